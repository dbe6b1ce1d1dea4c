import {useState, type FormEvent} from 'react';
import {useStore} from 'zustand';
import {validateNick} from '../chat/names.js';
import type {ChatStore} from '../store/chat-store.js';
import type {GatewayClient} from './gateway-client.js';

export type StatusBarProps = {store: ChatStore; client: GatewayClient};

/** Who you are (click to change the nick) and whether the server and Kafka answer. */
export function StatusBar({store, client}: StatusBarProps) {
	const nick = useStore(store, s => s.nick);
	const connection = useStore(store, s => s.connection);
	const [editing, setEditing] = useState(false);
	const [draft, setDraft] = useState('');
	const [error, setError] = useState('');
	const submit = (event: FormEvent): void => {
		event.preventDefault();
		const problem = validateNick(draft);
		if (problem) return setError(problem);
		client.setNick(draft);
		setEditing(false);
		setError('');
	};
	return (
		<footer className="status-bar">
			{editing ? (
				<form onSubmit={submit}>
					<input autoFocus aria-label="new nick" value={draft} maxLength={32} onChange={e => setDraft(e.target.value)} onBlur={() => setEditing(false)} />
					{error ? <div className="error">{error}</div> : null}
				</form>
			) : (
				<button
					className="nick"
					title="change your nick"
					onClick={() => {
						setDraft(nick);
						setEditing(true);
					}}
				>
					{nick}
				</button>
			)}
			<div className={`connection ${connection.state}`} title={connection.reason ?? ''}>
				<span className="dot" /> {connection.state === 'online' ? 'online' : `${connection.state}${connection.reason ? `: ${connection.reason}` : '…'}`}
			</div>
		</footer>
	);
}
