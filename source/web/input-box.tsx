import {useState, type KeyboardEvent} from 'react';
import {useStore} from 'zustand';
import {complete} from '../chat/completion.js';
import type {ChatStore} from '../store/chat-store.js';
import type {GatewayClient} from './gateway-client.js';
import {submitLine} from './submit-line.js';
import {WEB_COMMANDS} from './web-commands.js';

export type InputBoxProps = {store: ChatStore; client: GatewayClient};

/** Enter sends, Shift+Enter starts a new line, Tab completes nicks and commands; the input is kept when refused. */
export function InputBox({store, client}: InputBoxProps) {
	const current = useStore(store, s => s.current);
	const [text, setText] = useState('');
	const [error, setError] = useState('');

	const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
		if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
			event.preventDefault();
			const result = submitLine(text, store, client);
			if (result.ok) {
				setText('');
				setError('');
			} else setError(result.error);
			return;
		}
		if (event.key === 'Tab' && !event.shiftKey && text !== '') {
			const cursor = event.currentTarget.selectionStart;
			const {rooms, current: room, available, order} = store.getState();
			const found = complete(text, cursor, {
				commands: WEB_COMMANDS,
				candidates: source =>
					source === 'rooms' ? available.map(r => r.name) : source === 'joined-rooms' ? order : room ? (rooms[room]?.members.map(m => m.nick) ?? []) : [],
			});
			const [first] = found.candidates;
			if (first) {
				event.preventDefault();
				setText(text.slice(0, found.start) + first + text.slice(found.end));
			}
		}
	};

	const lines = Math.min(8, text.split('\n').length);
	return (
		<div className="input-box">
			<textarea
				aria-label="message"
				rows={lines}
				value={text}
				placeholder={current ? `Message #${current}  (Enter sends, Shift+Enter new line, /help)` : 'Type /join ROOM'}
				onChange={event => {
					setText(event.target.value);
					if (error) setError('');
				}}
				onKeyDown={onKeyDown}
				autoFocus
			/>
			{error ? (
				<div className="error" role="alert">
					{error}
				</div>
			) : null}
		</div>
	);
}
