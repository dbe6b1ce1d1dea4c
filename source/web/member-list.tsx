import {useStore} from 'zustand';
import type {Member} from '../chat/presence-table.js';
import type {ChatStore} from '../store/chat-store.js';
import {nickStyle} from './nick-style.js';

export type MemberListProps = {store: ChatStore};

const NO_MEMBERS: Member[] = [];

/** Who is in the current room, terminal and web users alike: `●` online, `○` away, `×2` when a nick runs twice. */
export function MemberList({store}: MemberListProps) {
	const members = useStore(store, s => (s.current ? s.rooms[s.current]?.members : undefined) ?? NO_MEMBERS);
	const nick = useStore(store, s => s.nick);
	return (
		<aside className="members" aria-label="members">
			<div className="section">Members · {members.length}</div>
			<ul>
				{members.map(m => (
					<li key={m.nick} className={`member ${m.status}`}>
						<span className="dot" />
						<span className={`member-nick${m.nick === nick ? ' self' : ''}`} style={nickStyle(m.nick)}>
							{m.nick}
						</span>
						{m.instances > 1 ? (
							<span className="twice" title={`${m.nick} is connected ${m.instances} times (anyone can pick any nick)`}>
								×{m.instances}
							</span>
						) : null}
					</li>
				))}
			</ul>
		</aside>
	);
}
