// The app's global keys, decoded from the raw sequences a terminal sends (one key per sequence, as Ink's
// input parser splits them). Ink's `useInput` has no names for function keys (F1 arrives as an empty
// input with no flag set), so these are matched on the sequences themselves.

export type GlobalKeyName =
	| 'next-room'
	| 'previous-room'
	| 'next-active'
	| 'page-up'
	| 'page-down'
	| 'end'
	| 'help'
	| 'members'
	| 'redraw'
	| 'quit'
	| 'escape';

export type GlobalKey = {name: GlobalKeyName} | {name: 'room'; index: number};

const ESC = '\u001B';

const SEQUENCES: Record<string, GlobalKeyName> = {
	'\u000E': 'next-room', // Ctrl+N
	'\u0010': 'previous-room', // Ctrl+P
	'\u000C': 'redraw', // Ctrl+L
	'\u0003': 'quit', // Ctrl+C (raw mode: a key, not SIGINT)
	[ESC]: 'escape',
	[`${ESC}a`]: 'next-active', // Alt+A
	[`${ESC}A`]: 'next-active',
	[`${ESC}m`]: 'members', // Alt+M
	[`${ESC}M`]: 'members',
	[`${ESC}[5~`]: 'page-up',
	[`${ESC}[[5~`]: 'page-up',
	[`${ESC}[6~`]: 'page-down',
	[`${ESC}[[6~`]: 'page-down',
	[`${ESC}[F`]: 'end',
	[`${ESC}OF`]: 'end',
	[`${ESC}[4~`]: 'end',
	[`${ESC}[8~`]: 'end',
	[`${ESC}OP`]: 'help', // F1: xterm, then rxvt, then the Linux console
	[`${ESC}[11~`]: 'help',
	[`${ESC}[[A`]: 'help',
	[`${ESC}OQ`]: 'members', // F2
	[`${ESC}[12~`]: 'members',
	[`${ESC}[[B`]: 'members',
};

const ALT_DIGIT = /^\u001B([1-9])$/;

/** The global key a raw sequence stands for, if any. */
export function decodeKey(sequence: string): GlobalKey | undefined {
	const digit = ALT_DIGIT.exec(sequence);
	if (digit) return {name: 'room', index: Number(digit[1]) - 1};
	const name = SEQUENCES[sequence];
	return name ? {name} : undefined;
}

/** Keys the text input would wrongly type as letters: Ctrl+letter (ink-text-input types `n` for Ctrl+N) and Alt+key. */
export function isControlInput(sequence: string): boolean {
	if (sequence.length === 1) {
		const c = sequence.charCodeAt(0);
		// Enter, Tab, Backspace (^H, DEL) are the text input's own.
		return c < 0x20 && c !== 0x0d && c !== 0x09 && c !== 0x08;
	}
	// Alt+key: ESC and one character (two UTF-16 units for an astral one).
	return sequence.startsWith(ESC) && [...sequence].length === 2 && sequence !== `${ESC}${ESC}`;
}
