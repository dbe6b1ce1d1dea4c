// Terminal input as key presses. Ink's input parser hands over one event per escape sequence and one
// per run of text between them ("hi\r" in one read is one event, a paste's text another), so a run is
// cut here into what it holds: text, Enter, Backspace, Ctrl+letters. Bracketed pastes (ESC[200~ …
// ESC[201~, which kchat asks the terminal for) come out whole, line breaks kept.

const ESC = '\u001B';
export const PASTE_START = `${ESC}[200~`;
export const PASTE_END = `${ESC}[201~`;

/** A paste this long without its end marker is let through as it is, so a lost marker cannot eat input. */
const MAX_PASTE = 8 << 20;

/**
 * A key by name: `enter`, `alt+enter`, `ctrl+j`, `tab`, `shift+tab`, `backspace`, `alt+backspace`, `delete`,
 * `escape`, `up`, `ctrl+left`, `home`, `ctrl+end`, `pageup`, `f1`, `ctrl+a`, `alt+b`, `alt+1`… Modifiers in
 * the order ctrl, alt, shift.
 */
export type KeyName = string;

export type KeyPress =
	| {kind: 'key'; name: KeyName; sequence: string}
	/** Printable text typed (a run of it, when several keys came in one read). */
	| {kind: 'text'; text: string}
	/** A bracketed paste: the text as pasted, line breaks as `\n`. */
	| {kind: 'paste'; text: string};

const CSI_NAMES: Record<string, string> = {
	A: 'up',
	B: 'down',
	C: 'right',
	D: 'left',
	H: 'home',
	F: 'end',
	P: 'f1',
	Q: 'f2',
	R: 'f3',
	S: 'f4',
	Z: 'shift+tab',
};

const TILDE_NAMES: Record<string, string> = {
	'1': 'home',
	'2': 'insert',
	'3': 'delete',
	'4': 'end',
	'5': 'pageup',
	'6': 'pagedown',
	'7': 'home',
	'8': 'end',
	'11': 'f1',
	'12': 'f2',
	'13': 'f3',
	'14': 'f4',
	'15': 'f5',
	'17': 'f6',
	'18': 'f7',
	'19': 'f8',
	'20': 'f9',
	'21': 'f10',
	'23': 'f11',
	'24': 'f12',
};

/** rxvt's spellings of modified arrows and the Linux console's F1..F5. */
const OTHER_SEQUENCES: Record<string, string> = {
	[`${ESC}Oa`]: 'ctrl+up',
	[`${ESC}Ob`]: 'ctrl+down',
	[`${ESC}Oc`]: 'ctrl+right',
	[`${ESC}Od`]: 'ctrl+left',
	[`${ESC}[a`]: 'shift+up',
	[`${ESC}[b`]: 'shift+down',
	[`${ESC}[[A`]: 'f1',
	[`${ESC}[[B`]: 'f2',
	[`${ESC}[[C`]: 'f3',
	[`${ESC}[[D`]: 'f4',
	[`${ESC}[[E`]: 'f5',
	[`${ESC}[[5~`]: 'pageup',
	[`${ESC}[[6~`]: 'pagedown',
};

/** xterm's modifier parameter (1 + shift 1, alt 2, ctrl 4) as a name prefix. */
function modifiers(parameter: number): string {
	const bits = Math.max(0, parameter - 1);
	return `${bits & 4 ? 'ctrl+' : ''}${bits & 2 || bits & 8 ? 'alt+' : ''}${bits & 1 ? 'shift+' : ''}`;
}

/** Adds `alt+` to a key name, keeping the ctrl, alt, shift order. */
function withAlt(name: string): string {
	if (name.includes('alt+')) return name;
	return name.startsWith('ctrl+') ? `ctrl+alt+${name.slice(5)}` : `alt+${name}`;
}

/** The name of one control character (Enter, Tab, Backspace, Ctrl+letter). */
function controlName(c: number): string | undefined {
	if (c === 0x0d) return 'enter';
	if (c === 0x0a) return 'ctrl+j';
	if (c === 0x09) return 'tab';
	if (c === 0x7f || c === 0x08) return 'backspace';
	if (c === 0x1b) return 'escape';
	if (c === 0x00) return 'ctrl+space';
	if (c >= 0x01 && c <= 0x1a) return `ctrl+${String.fromCharCode(c + 0x60)}`;
	return undefined; // ^\ ^] ^^ ^_: nothing
}

/** The name of an escape sequence as Ink's parser cuts it (CSI, SS3, ESC+key, ESC ESC+sequence). */
export function sequenceName(sequence: string): string | undefined {
	const other = OTHER_SEQUENCES[sequence];
	if (other) return other;
	if (sequence.startsWith(`${ESC}${ESC}`)) {
		// Alt as a second ESC before a sequence (rxvt, macOS Terminal): ESC ESC [ D is Alt+Left.
		const inner = sequenceName(sequence.slice(1));
		return inner && inner !== 'escape' ? withAlt(inner) : sequence.length === 2 ? 'alt+escape' : undefined;
	}
	const csi = /^\u001B\[(\d*(?:;\d+)*)([~A-Za-z])$/.exec(sequence);
	if (csi) {
		const [, params = '', final = ''] = csi;
		const parts = params.split(';');
		const prefix = parts.length > 1 ? modifiers(Number(parts[1])) : '';
		const base = final === '~' ? TILDE_NAMES[parts[0] ?? ''] : CSI_NAMES[final];
		if (!base) return undefined;
		if (base === 'shift+tab') return base;
		return prefix + base;
	}
	const ss3 = /^\u001BO(\d*)([A-Za-z])$/.exec(sequence);
	if (ss3) {
		const base = CSI_NAMES[ss3[2] ?? ''];
		return base ? modifiers(Number(ss3[1] || '1')) + base : undefined;
	}
	if (sequence === ESC) return 'escape';
	// ESC and one key: Alt+key.
	const rest = sequence.slice(1);
	if (sequence.startsWith(ESC) && [...rest].length === 1) {
		const control = controlName(rest.charCodeAt(0));
		if (control) return withAlt(control === 'ctrl+j' ? 'enter' : control);
		return `alt+${rest.toLowerCase()}`;
	}
	return undefined;
}

/** Sequences a terminal may send, the common spelling of each key first (for keySequence). */
function* spellings(): Generator<string> {
	const controls = ['\r', '\n', '\t', '\u007F', ESC, '\u0000', ...Array.from({length: 26}, (_, i) => String.fromCharCode(i + 1))];
	yield* controls;
	for (const letter of 'PQRS') yield `${ESC}O${letter}`;
	for (const letter of Object.keys(CSI_NAMES)) yield `${ESC}[${letter}`;
	for (const code of Object.keys(TILDE_NAMES)) yield `${ESC}[${code}~`;
	for (let m = 2; m <= 8; m++) {
		for (const letter of Object.keys(CSI_NAMES)) yield `${ESC}[1;${m}${letter}`;
		for (const code of Object.keys(TILDE_NAMES)) yield `${ESC}[${code};${m}~`;
	}
	for (const c of controls) yield ESC + c;
	for (let c = 0x20; c < 0x7f; c++) yield ESC + String.fromCharCode(c);
	yield* Object.keys(OTHER_SEQUENCES);
}

/** The sequence a terminal sends for a key name (one spelling; the inverse of the decoder), for tests and docs. */
export function keySequence(name: KeyName): string {
	for (const sequence of spellings()) {
		const decoded = sequence.length === 1 ? controlName(sequence.charCodeAt(0)) : sequenceName(sequence);
		if (decoded === name) return sequence;
	}
	throw new Error(`no sequence for key ${name}`);
}

/** `ctrl+left` as `Ctrl+Left`, for the help. */
export function keyLabel(name: KeyName): string {
	const special: Record<string, string> = {pageup: 'PgUp', pagedown: 'PgDn', escape: 'Esc', backspace: 'Backspace', delete: 'Delete', enter: 'Enter'};
	return name
		.split('+')
		.map(part => special[part] ?? (part.length === 1 ? part.toUpperCase() : part.replace(/^./, c => c.toUpperCase())))
		.join('+');
}

/**
 * Cuts Ink's input events into key presses, in order. Keeps the state a paste needs across events
 * (the markers and the text between them arrive as separate events, possibly over several reads).
 */
export class KeyDecoder {
	private paste: string | undefined;

	/** The key presses in one of Ink's input events. */
	push(event: string): KeyPress[] {
		if (this.paste !== undefined) return this.inPaste(event);
		if (event.startsWith(PASTE_START)) {
			this.paste = '';
			return this.inPaste(event.slice(PASTE_START.length));
		}
		if (event.startsWith(ESC)) {
			const name = sequenceName(event);
			return name ? [{kind: 'key', name, sequence: event}] : [];
		}
		return splitRun(event);
	}

	/** A paste is open (its end marker has not come yet). */
	get pasting(): boolean {
		return this.paste !== undefined;
	}

	private inPaste(event: string): KeyPress[] {
		const text = this.paste + event;
		const end = text.indexOf(PASTE_END);
		if (end === -1 && text.length <= MAX_PASTE) {
			this.paste = text;
			return [];
		}
		this.paste = undefined;
		const pasted = end === -1 ? text : text.slice(0, end);
		const keys: KeyPress[] = pasted === '' ? [] : [{kind: 'paste', text: pasted.replace(/\r\n?/g, '\n')}];
		if (end !== -1 && end + PASTE_END.length < text.length) keys.push(...this.push(text.slice(end + PASTE_END.length)));
		return keys;
	}
}

const CONTROL = /[\x00-\x1f\x7f]/;

/** A run of typed keys with no escape sequence in it: text and control characters, in order. */
function splitRun(run: string): KeyPress[] {
	const keys: KeyPress[] = [];
	let start = 0;
	for (let i = 0; i < run.length; i++) {
		if (!CONTROL.test(run[i]!)) continue;
		if (i > start) keys.push({kind: 'text', text: run.slice(start, i)});
		const name = controlName(run.charCodeAt(i));
		// A line break sent as CR LF is one Enter.
		if (name === 'ctrl+j' && run[i - 1] === '\r') {
			start = i + 1;
			continue;
		}
		if (name) keys.push({kind: 'key', name, sequence: run[i]!});
		start = i + 1;
	}
	if (start < run.length) keys.push({kind: 'text', text: run.slice(start)});
	return keys;
}
