import {Fragment, useCallback, useEffect, useLayoutEffect, useRef, useState} from 'react';
import {useStore} from 'zustand';
import {formatDay, sameDay} from '../chat/format-time.js';
import {mentionsNick} from '../chat/mentions.js';
import type {ChatStore} from '../store/chat-store.js';
import {MessageLine} from './message-line.js';

export type MessagePaneProps = {store: ChatStore};

/** Lines drawn at first, and added by "show older": the room's log holds more (the store's scrollback). */
const PAGE = 300;
/** Within this many pixels of the bottom counts as reading the newest lines. */
const BOTTOM_SLACK = 48;

/**
 * The current room's lines in the room's order (the store's log: timestamp, partition, offset), day
 * rules, and the "new messages" marker. Reading at the bottom of a visible tab marks the room read,
 * as being at the live end does in the terminal; scrolled up or in a hidden tab, lines count as unread.
 */
export function MessagePane({store}: MessagePaneProps) {
	const current = useStore(store, s => s.current);
	const room = useStore(store, s => (s.current ? s.rooms[s.current] : undefined));
	const nick = useStore(store, s => s.nick);
	const [shown, setShown] = useState(PAGE);
	const pane = useRef<HTMLDivElement>(null);
	const atBottom = useRef(true);

	const watching = useCallback(() => {
		const {actions, current: room, rooms} = store.getState();
		const scrolled = room ? (rooms[room]?.scroll ?? 0) : 0;
		const looking = atBottom.current && document.visibilityState === 'visible';
		if (looking && scrolled !== 0) actions.scrollToEnd();
		else if (!looking && scrolled === 0) actions.scrollBy(1);
	}, [store]);

	useEffect(() => {
		document.addEventListener('visibilitychange', watching);
		return () => document.removeEventListener('visibilitychange', watching);
	}, [watching]);

	useEffect(() => {
		setShown(PAGE);
		atBottom.current = true;
	}, [current]);

	// New lines keep the view at the bottom when it was there.
	useLayoutEffect(() => {
		const el = pane.current;
		if (el && atBottom.current) el.scrollTop = el.scrollHeight;
		watching();
	}, [room?.rev, current, watching]);

	if (!room) return <div className="messages empty" ref={pane} />;
	const total = room.log.length;
	const first = Math.max(0, total - shown);
	const lines = room.log.slice(first);
	return (
		<div
			className="messages"
			ref={pane}
			role="log"
			aria-live="polite"
			onScroll={event => {
				const el = event.currentTarget;
				atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK;
				watching();
			}}
		>
			{first > 0 ? (
				<button className="older" onClick={() => setShown(n => n + PAGE)}>
					Show {Math.min(PAGE, first)} older lines
				</button>
			) : null}
			{room.status === 'joining' && total === 0 ? <div className="placeholder">Loading #{room.name}…</div> : null}
			{room.status === 'live' && total === 0 ? <div className="placeholder">No messages in #{room.name} yet. Say hello!</div> : null}
			{lines.map((m, i) => {
				const before = i > 0 ? lines[i - 1] : first > 0 ? room.log.at(first - 1) : undefined;
				const newDay = !before || !sameDay(before.timestamp, m.timestamp);
				return (
					<Fragment key={m.id}>
						{newDay ? <div className="day">{formatDay(m.timestamp)}</div> : null}
						{m.id === room.markerId ? <div className="marker">new messages</div> : null}
						<MessageLine message={m} own={m.user === nick} mention={m.user !== nick && m.type !== 'notice' && mentionsNick(m.text, nick)} />
					</Fragment>
				);
			})}
		</div>
	);
}
