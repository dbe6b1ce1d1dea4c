import {useState, type FormEvent} from 'react';
import {NICK_RULE, validateNick} from '../chat/names.js';

export type NickPromptProps = {onNick: (nick: string) => void};

/** The first screen when no nick is known: the same rule as everywhere in kchat. */
export function NickPrompt({onNick}: NickPromptProps) {
	const [nick, setNick] = useState('');
	const [error, setError] = useState('');
	const submit = (event: FormEvent): void => {
		event.preventDefault();
		const problem = validateNick(nick.trim());
		if (problem) setError(problem);
		else onNick(nick.trim());
	};
	return (
		<div className="prompt">
			<form className="prompt-card" onSubmit={submit}>
				<h1>kchat</h1>
				<p>Chat rooms on Apache Kafka. Pick a nick ({NICK_RULE}).</p>
				<input autoFocus aria-label="nick" value={nick} maxLength={32} onChange={e => setNick(e.target.value)} placeholder="your nick" />
				<button type="submit">Join</button>
				{error ? <p className="error">{error}</p> : null}
			</form>
		</div>
	);
}
