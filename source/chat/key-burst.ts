// Terminal input, cut into the keys it holds. A terminal sends a key per write, but a process that is
// busy (a flood being drawn) or far away (ssh) reads several at once: "hi\r" is `h`, `i` and Enter.
// Ink hands such a chunk to the input as one string, so Enter became a space and Backspace a `␡`;
// cut into keys, each is handled as the key it is. Pastes stay whole: inside bracketed-paste markers
// (which kchat asks the terminal for) for certain, else by the shape of the text.

const ESC = '\u001B';
export const PASTE_START = `${ESC}[200~`;
export const PASTE_END = `${ESC}[201~`;
/** Turns bracketed paste on (the terminal marks pasted text) and off. */
export const BRACKETED_PASTE_ON = `${ESC}[?2004h`;
export const BRACKETED_PASTE_OFF = `${ESC}[?2004l`;

/** A paste this long without its end marker is let through as it is, so a lost marker cannot eat input. */
const MAX_PASTE = 1 << 20;

/**
 * An escape sequence (CSI with parameters, SS3, ESC with one character, also after a second ESC for
 * Alt), a control character, or a run of text.
 */
const TOKEN = /\u001B{1,2}(?:\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|O[\x40-\x7e]|[^\u001B[O]|\[|O)?|[\x00-\x1a\x1c-\x1f\x7f]|[^\x00-\x1f\x7f]+/gu;
/** The start of an escape sequence with nothing after it: ESC, ESC ESC, ESC [ and parameters, ESC O. */
const INCOMPLETE_ESCAPE = /\u001B{1,2}(?:\[[\x30-\x3f]*[\x20-\x2f]*|O)?$/;
const LINE_BREAK_OR_TAB = /^[\r\n\t]$/;
const TEXT = /^[^\x00-\x1f\x7f]/u;

export class KeySplitter {
	private pasting = false;
	private paste = '';
	/** The terminal marks pastes: every line break outside them is a key. */
	private marksPastes = false;
	/** The start of an escape sequence that ended the last read. */
	private held = '';

	/** The keys in `chunk` (text runs as one key each), and pasted text as one key. */
	push(chunk: string): string[] {
		const keys: string[] = [];
		let rest = this.held + chunk;
		this.held = '';
		while (rest.length > 0) {
			if (this.pasting) {
				// The end marker may have been cut between two reads: look for it in what came so far.
				const text = this.paste + rest;
				const end = text.indexOf(PASTE_END);
				if (end === -1) {
					this.paste = text;
					if (this.paste.length > MAX_PASTE) keys.push(...this.endPaste());
					return keys;
				}
				this.paste = text.slice(0, end);
				keys.push(...this.endPaste());
				rest = text.slice(end + PASTE_END.length);
				continue;
			}
			const start = rest.indexOf(PASTE_START);
			if (start === -1) {
				// An escape sequence cut at the end of the read (a paste marker, an arrow) waits for the rest.
				const cut = INCOMPLETE_ESCAPE.exec(rest);
				if (cut) {
					this.held = cut[0];
					rest = rest.slice(0, cut.index);
				}
				keys.push(...this.typed(rest));
				break;
			}
			keys.push(...this.typed(rest.slice(0, start)));
			this.pasting = true;
			this.marksPastes = true;
			rest = rest.slice(start + PASTE_START.length);
		}
		return keys;
	}

	/** A cut escape sequence is waiting for the rest of it (see flush). */
	get holding(): boolean {
		return this.held !== '';
	}

	/** What is held back, as keys: nothing more came, so a lone Esc was just Esc. */
	flush(): string[] {
		const held = this.held;
		this.held = '';
		return held === '' ? [] : this.typed(held);
	}

	private endPaste(): string[] {
		// Pasted text is text: its line breaks join the lines (a copied line's last one goes), its escapes
		// must not move the cursor.
		const text = this.paste.replace(/^[\r\n]+|[\r\n]+$/g, '').replace(/\r\n|\r|\n/g, ' ').replaceAll(ESC, '␛');
		this.pasting = false;
		this.paste = '';
		return text === '' ? [] : [text];
	}

	/** Typed keys. Without paste markers a line break or Tab between text is a pasted one, kept in the text. */
	private typed(text: string): string[] {
		const tokens = text.match(TOKEN) ?? [];
		const keys: string[] = [];
		for (let i = 0; i < tokens.length; i++) {
			const token = tokens[i]!;
			const last = keys.at(-1);
			const glue =
				!this.marksPastes &&
				last !== undefined &&
				TEXT.test(last) &&
				(TEXT.test(token) || (LINE_BREAK_OR_TAB.test(token) && TEXT.test(tokens[i + 1] ?? '')));
			if (glue) keys[keys.length - 1] = last + token;
			else keys.push(token);
		}
		return keys;
	}
}
