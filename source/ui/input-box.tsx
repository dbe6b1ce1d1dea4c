import {useCallback, useRef, useState} from 'react';
import {Box, Text, useInput, type Key} from 'ink';
import TextInput from 'ink-text-input';
import wrapAnsi from 'wrap-ansi';
import {completeInput} from '../chat/commands.js';
import {sanitizeText} from '../chat/sanitize.js';
import {truncateToWidth} from '../chat/wrap.js';

export const MAX_INPUT_ROWS = 5;
const HISTORY_SIZE = 200;

export type InputBoxProps = {
	room?: string;
	value: string;
	onChange: (value: string) => void;
	/** Runs the line; false keeps it in the input (the error is shown by the caller). */
	onSubmit: (value: string) => boolean;
	onHelp: () => void;
	/** Whether the key being handled is the app's (Ctrl+N, Alt+2): the text input must not type it. */
	isConsumed: () => boolean;
	/** Nicks for Tab completion, read when Tab is pressed. */
	nicks: () => string[];
	/** A line under the input: completion candidates. */
	onHint: (hint: string | undefined) => void;
	focus: boolean;
	width: number;
	rows: number;
};

export function promptFor(room: string | undefined, width: number): string {
	return `[${truncateToWidth(room ?? 'no room', Math.max(4, Math.floor(width / 3)))}] `;
}

let lastRows: {text: string; width: number; rows: number} | undefined;

/** Rows the prompt and value take as Ink wraps them (the cursor takes a cell at the end). */
export function textRows(prompt: string, value: string, width: number): number {
	// The App (for the layout) and the input box (for its scroll) ask the same in one render: wrapping a
	// long line costs milliseconds, so the last answer is kept.
	const text = prompt + value + ' ';
	if (lastRows?.text === text && lastRows.width === width) return lastRows.rows;
	const rows = wrapAnsi(text, Math.max(1, width), {trim: false, hard: true}).split('\n').length;
	lastRows = {text, width, rows};
	return rows;
}

/** Rows the input box takes: its text's, up to MAX_INPUT_ROWS. */
export function inputRows(prompt: string, value: string, width: number): number {
	return Math.min(MAX_INPUT_ROWS, textRows(prompt, value, width));
}

/** Own input made printable: line breaks from a paste become spaces, controls their visible pictures. */
function clean(value: string): string {
	return sanitizeText(value.replace(/\r\n|\r|\n/g, ' '));
}

type Completion = {candidates: string[]; index: number};

/** The prompt `[room] ` and the text input, with history on Up/Down and completion on Tab. */
export function InputBox(props: InputBoxProps) {
	const {room, value, onChange, focus, width, rows} = props;
	// A new key remounts ink-text-input: its cursor goes to the end of a value set from outside.
	const [generation, setGeneration] = useState(0);
	const history = useRef<string[]>([]);
	const position = useRef(0); // index in history; history.length is the draft
	const draft = useRef('');
	const completion = useRef<Completion | undefined>(undefined);

	// The value as of the last key, ahead of React: ink-text-input's handler is re-registered in an effect,
	// so a key that arrives before that (Enter right after a paste) sees a stale value in its closure.
	const live = useRef(value);
	const rendered = useRef(value);
	if (rendered.current !== value) live.current = rendered.current = value;

	const replace = (next: string): void => {
		live.current = next;
		onChange(next);
		setGeneration(g => g + 1);
	};

	// Read through a ref: Ink registers key handlers in effects, which may run after the next key arrives.
	const latest = useRef({value, props, replace});
	latest.current = {value, props, replace};

	const change = (raw: string): void => {
		if (props.isConsumed()) {
			// ink-text-input typed the letter of Ctrl+N or Alt+2 and moved its cursor: undo both.
			setGeneration(g => g + 1);
			return;
		}
		if (latest.current.value === '' && raw === '?') {
			props.onHelp();
			setGeneration(g => g + 1);
			return;
		}
		completion.current = undefined;
		props.onHint(undefined);
		const next = clean(raw);
		live.current = next;
		if (next === raw) onChange(next);
		else replace(next);
	};

	const submit = (): void => {
		if (props.isConsumed()) return;
		const line = live.current;
		if (!props.onSubmit(line)) return;
		if (line.trim() !== '' && history.current.at(-1) !== line) {
			history.current.push(line);
			if (history.current.length > HISTORY_SIZE) history.current.shift();
		}
		position.current = history.current.length;
		draft.current = '';
		completion.current = undefined;
		props.onHint(undefined);
		replace('');
	};

	const onKey = useCallback((input: string, key: Key): void => {
		const {value, props, replace} = latest.current;
		// Readline habits: Ctrl+U clears the line, Ctrl+W deletes the word before the cursor (at the end).
		if (key.ctrl && (input === 'u' || input === 'w')) {
			replace(input === 'u' ? '' : value.replace(/\S*\s*$/, ''));
			return;
		}
		if (key.upArrow || key.downArrow) {
			const h = history.current;
			if (position.current === h.length) draft.current = value;
			const next = Math.max(0, Math.min(h.length, position.current + (key.upArrow ? -1 : 1)));
			if (next === position.current) return;
			position.current = next;
			replace(next === h.length ? draft.current : h[next]!);
			return;
		}
		if (key.tab && !key.shift) {
			const c = completion.current;
			if (c && c.candidates[c.index] === value) {
				c.index = (c.index + 1) % c.candidates.length;
				replace(c.candidates[c.index]!);
				return;
			}
			const candidates = completeInput(value, props.nicks());
			if (candidates.length === 0) return;
			completion.current = {candidates, index: 0};
			props.onHint(candidates.length > 1 ? `Tab: ${candidates.map(s => s.trim().split(' ').at(-1)!.replace(/:$/, '')).join(' ')}` : undefined);
			replace(candidates[0]!);
		}
	}, []);
	useInput(onKey, {isActive: focus});

	const prompt = promptFor(room, width);
	// A line taller than the box shows its end, where the cursor usually is: the text moves up, the box clips it.
	const hidden = Math.max(0, textRows(prompt, value, width) - rows);
	return (
		<Box width={width} height={rows} flexDirection="column" overflow="hidden">
			<Box flexShrink={0} marginTop={-hidden}>
				<Text>
					<Text color="cyan" bold>
						{prompt}
					</Text>
					<TextInput key={generation} value={value} onChange={change} onSubmit={submit} focus={focus} />
				</Text>
			</Box>
		</Box>
	);
}
