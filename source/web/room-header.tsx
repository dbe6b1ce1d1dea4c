import {useStore} from 'zustand';
import type {ChatStore} from '../store/chat-store.js';
import type {GatewayClient} from './gateway-client.js';

export type RoomHeaderProps = {store: ChatStore; client: GatewayClient};

/** The current room's name, how many are in it, its state, and a way out. */
export function RoomHeader({store, client}: RoomHeaderProps) {
	const current = useStore(store, s => s.current);
	const status = useStore(store, s => (s.current ? s.rooms[s.current]?.status : undefined));
	const error = useStore(store, s => (s.current ? s.rooms[s.current]?.error : undefined));
	const members = useStore(store, s => (s.current ? (s.rooms[s.current]?.members.length ?? 0) : 0));
	const online = useStore(store, s => s.connection.state === 'online');
	if (!current) return <header className="room-header">{online ? 'Not in a room: join one on the left, or type /join ROOM' : 'Connecting…'}</header>;
	return (
		<header className="room-header">
			<span className="room-title"># {current}</span>
			<span className="room-meta">
				{status === 'joining' ? 'joining…' : status === 'failed' ? `cannot join: ${error ?? ''}` : `${members} ${members === 1 ? 'member' : 'members'}`}
			</span>
			<button className="leave" title={`leave ${current}`} onClick={() => client.leave(current)}>
				Leave
			</button>
		</header>
	);
}
