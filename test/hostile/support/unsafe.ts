// What must never reach a terminal from untrusted input (DESIGN.md, "Untrusted text"), as checks that
// name the offending characters, for strings (store lines, frames) and for raw output bytes.

/** C0 controls except newline, DEL, C1 controls, bidi controls, lone surrogates. */
const UNSAFE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Zero-width, bidi and other invisible format characters (Unicode's own classes): never in a nick. */
const INVISIBLE = /\p{Cf}|\p{Default_Ignorable_Code_Point}/gu;

function labels(matches: IterableIterator<RegExpMatchArray>): string[] {
	return [...matches].map(m => `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** The unsafe characters in s as `U+XXXX` labels (empty when safe), so a failure says which. */
export function unsafeChars(s: string): string[] {
	return labels(s.matchAll(UNSAFE));
}

/** Invisible characters in a nick as `U+XXXX` labels. */
export function invisibleChars(s: string): string[] {
	return labels(s.matchAll(INVISIBLE));
}

const SGR = /\u001B\[[0-9;]*m/g;

/** Escape sequences in a frame other than Ink's own colour codes (SGR), as printable text. */
export function foreignEscapes(frame: string): string[] {
	const rest = frame.replace(SGR, '');
	return [...rest.matchAll(/\u001B.{0,12}/gs)].map(m => JSON.stringify(m[0]));
}

const strict = new TextDecoder('utf-8', {fatal: true});

/**
 * Problems with bytes meant for a terminal: not valid UTF-8 (a raw byte such as 0x9B would be a C1 control
 * to an 8-bit terminal), or any unsafe character. Empty when the bytes are safe.
 */
export function unsafeBytes(bytes: Buffer): string[] {
	const problems: string[] = [];
	const raw = bytes.findIndex(b => b === 0x1b || (b < 0x20 && b !== 0x0a) || b === 0x7f);
	if (raw >= 0) problems.push(`raw control byte 0x${bytes[raw]!.toString(16).padStart(2, '0')} at ${raw}`);
	let text: string;
	try {
		text = strict.decode(bytes);
	} catch {
		return [...problems, 'not valid UTF-8'];
	}
	const chars = unsafeChars(text);
	if (chars.length > 0) problems.push(`unsafe characters ${[...new Set(chars)].join(' ')}`);
	return problems;
}
