// The terminal modes the chat turns on, and the one function that turns them off again, whichever way
// the app ends (quit, a signal, a crash, process.exit): the shell must get its terminal back as it was.

const ESC = '\u001B';
/** The terminal marks pasted text with ESC[200~ … ESC[201~ (see KeyDecoder). */
export const BRACKETED_PASTE_ON = `${ESC}[?2004h`;
export const BRACKETED_PASTE_OFF = `${ESC}[?2004l`;
/** The alternate screen (as less and vim use), cursor home; leaving it restores the screen and cursor from before. */
export const ALT_SCREEN_ON = `${ESC}[?1049h${ESC}[H`;
export const ALT_SCREEN_OFF = `${ESC}[?1049l`;
const SHOW_CURSOR = `${ESC}[?25h`;

export type TerminalModes = {
	/** Turns the modes off; only the first call writes. */
	restore(): void;
};

/** Turns on bracketed paste (and the alternate screen unless `altScreen` is false) on a terminal. */
export function enterTerminalModes(stdout: NodeJS.WriteStream, altScreen: boolean): TerminalModes {
	stdout.write((altScreen ? ALT_SCREEN_ON : '') + BRACKETED_PASTE_ON);
	let restored = false;
	const restore = (): void => {
		if (restored) return;
		restored = true;
		process.off('exit', restore);
		// Synchronous on a terminal, so it also happens on process.exit.
		stdout.write(BRACKETED_PASTE_OFF + (altScreen ? ALT_SCREEN_OFF : '') + SHOW_CURSOR);
	};
	process.once('exit', restore);
	return {restore};
}
