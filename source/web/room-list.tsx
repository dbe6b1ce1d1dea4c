import {useState, type FormEvent} from 'react';
import {useStore} from 'zustand';
import {validateRoomName} from '../chat/names.js';
import type {ChatStore} from '../store/chat-store.js';
import type {GatewayClient} from './gateway-client.js';

export type RoomListProps = {store: ChatStore; client: GatewayClient};

/** Joined rooms (unread count, `@` for mentions), a box to join any room, then the server's other rooms. */
export function RoomList({store, client}: RoomListProps) {
	const order = useStore(store, s => s.order);
	const rooms = useStore(store, s => s.rooms);
	const current = useStore(store, s => s.current);
	const available = useStore(store, s => s.available);
	const others = available.filter(r => !rooms[r.name]);
	return (
		<nav className="room-list" aria-label="rooms">
			<div className="section">Rooms</div>
			<ul>
				{order.map(name => {
					const room = rooms[name];
					if (!room) return null;
					return (
						<li key={name} className={`room${name === current ? ' current' : ''}${room.unread > 0 ? ' unread' : ''}`}>
							<button className="room-name" onClick={() => store.getState().actions.selectRoom(name)} title={room.error ?? name}>
								<span className="hash">#</span>
								{name}
								{room.status === 'joining' ? <span className="state"> …</span> : room.status === 'failed' ? <span className="state failed"> ✗</span> : null}
							</button>
							{room.mentions > 0 ? (
								<span className="badge mention" title={`${room.mentions} mentioning you`}>
									@
								</span>
							) : null}
							{room.unread > 0 ? (
								<span className="badge" title={`${room.unread} unread`}>
									{room.unread}
								</span>
							) : null}
							<button className="close" title={`leave ${name}`} aria-label={`leave ${name}`} onClick={() => client.leave(name)}>
								×
							</button>
						</li>
					);
				})}
			</ul>
			<JoinForm onJoin={room => client.join(room)} />
			{others.length > 0 ? (
				<>
					<div className="section">On the server</div>
					<ul>
						{others.map(r => (
							<li key={r.name} className="room other">
								<button className="room-name" title={`join ${r.name} (${r.partitions} partitions)`} onClick={() => client.join(r.name)}>
									<span className="hash">#</span>
									{r.name}
								</button>
							</li>
						))}
					</ul>
				</>
			) : null}
		</nav>
	);
}

function JoinForm({onJoin}: {onJoin: (room: string) => void}) {
	const [room, setRoom] = useState('');
	const [error, setError] = useState('');
	const submit = (event: FormEvent): void => {
		event.preventDefault();
		const name = room.trim().replace(/^#/, '');
		const problem = validateRoomName(name);
		if (problem) return setError(problem);
		onJoin(name);
		setRoom('');
		setError('');
	};
	return (
		<form className="join-form" onSubmit={submit}>
			<input aria-label="join a room" placeholder="+ join a room" value={room} maxLength={249} onChange={e => setRoom(e.target.value)} />
			{error ? <div className="error">{error}</div> : null}
		</form>
	);
}
