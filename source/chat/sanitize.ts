import {truncateToWidth} from './wrap.js';

// Everything read from Kafka is untrusted: it must never reach the terminal as a control character,
// an escape sequence or a bidi control (see DESIGN.md, "Untrusted text"). All loops here are single
// passes, so a 1 MB value or a 10,000-line value costs linear time.

/** Message text longer than this (UTF-16 units) is cut before display so a huge value cannot stall the UI. */
export const MAX_DISPLAY_CHARS = 65_536;
export const MAX_NICK_CELLS = 32;
export const MAX_ROOM_CELLS = 64;

const strictDecoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});

/** Strict UTF-8 decode: each byte that is not part of a valid sequence becomes the visible text `\xNN`. */
export function decodeUtf8(buf: Buffer | Uint8Array): string {
	try {
		return strictDecoder.decode(buf);
	} catch {
		return decodeWithEscapes(buf);
	}
}

/** Length of the valid UTF-8 sequence at i, or 0 (rejects overlongs, surrogates and > U+10FFFF like TextDecoder). */
function sequenceLength(b: Uint8Array, i: number): number {
	const b0 = b[i]!;
	if (b0 < 0x80) return 1;
	let length: number;
	let lo = 0x80;
	let hi = 0xbf;
	if (b0 >= 0xc2 && b0 <= 0xdf) length = 2;
	else if (b0 >= 0xe0 && b0 <= 0xef) {
		length = 3;
		if (b0 === 0xe0) lo = 0xa0;
		if (b0 === 0xed) hi = 0x9f;
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		length = 4;
		if (b0 === 0xf0) lo = 0x90;
		if (b0 === 0xf4) hi = 0x8f;
	} else return 0;
	if (i + length > b.length) return 0;
	const b1 = b[i + 1]!;
	if (b1 < lo || b1 > hi) return 0;
	for (let k = 2; k < length; k++) {
		const bk = b[i + k]!;
		if (bk < 0x80 || bk > 0xbf) return 0;
	}
	return length;
}

const HEX = '0123456789ABCDEF';

/**
 * Valid sequences decoded, each invalid byte as `\xNN`. With `clean`, each run of valid text is passed
 * through it on its own before the escape after it is added (see sanitizeBytes).
 */
function decodeWithEscapes(b: Uint8Array, clean: (s: string) => string = s => s): string {
	let out = '';
	let run = ''; // valid text since the last invalid byte
	const units: number[] = [];
	const endRun = (): void => {
		const text = run + String.fromCharCode(...units);
		if (text) out += clean(text);
		run = '';
		units.length = 0;
	};
	let i = 0;
	while (i < b.length) {
		const length = sequenceLength(b, i);
		const b0 = b[i]!;
		if (length === 0) {
			endRun();
			out += `\\x${HEX[b0 >> 4]}${HEX[b0 & 15]}`;
			i++;
		} else {
			let cp = length === 1 ? b0 : b0 & (0xff >> (length + 1));
			for (let k = 1; k < length; k++) cp = (cp << 6) | (b[i + k]! & 0x3f);
			if (cp > 0xffff) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
			else units.push(cp);
			i += length;
		}
		// Collect in bounded pieces: fromCharCode takes its units as arguments.
		if (units.length >= 8192) {
			run += String.fromCharCode(...units);
			units.length = 0;
		}
	}
	endRun();
	return out;
}

/**
 * Bytes from Kafka as safe, visible text: as sanitizeText(decodeUtf8(b)), but each run of valid UTF-8 is
 * sanitised on its own, so that an escape sequence cannot take the backslash of a following `\xNN` as its
 * final byte (ESC then the byte 0xFF shows `␛\xFF`, not `␛xFF` as if the text said "xFF").
 */
export function sanitizeBytes(b: Uint8Array): string {
	try {
		return sanitizeText(strictDecoder.decode(b));
	} catch {
		return decodeWithEscapes(b, sanitizeText);
	}
}

const ESC = 0x1b;

/** ESC and the 8-bit C1 introducers of CSI, OSC, DCS, SOS, PM and APC. */
function isIntroducer(c: number): boolean {
	return c === ESC || c === 0x9b || c === 0x9d || c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f;
}

/** CSI after its introducer: parameter and intermediate bytes, then a final byte. Anything else aborts it (as in terminals). */
function csiEnd(s: string, j: number): number {
	let c = s.charCodeAt(j);
	while (c >= 0x20 && c <= 0x3f) c = s.charCodeAt(++j);
	return c >= 0x40 && c <= 0x7e ? j + 1 : j;
}

/**
 * A control string (OSC, DCS, SOS, PM, APC) runs to ST (`ESC \` or U+009C), BEL for OSC, CAN/SUB, or the end
 * of the text when unterminated. Another ESC or C1 control ends it without being consumed, as terminals do,
 * so one unterminated string cannot swallow the sequences after it.
 */
function stringEnd(s: string, j: number, bel: boolean): number {
	for (; j < s.length; j++) {
		const c = s.charCodeAt(j);
		if ((c === 0x07 && bel) || c === 0x9c || c === 0x18 || c === 0x1a) return j + 1;
		if (c === ESC) return s.charCodeAt(j + 1) === 0x5c ? j + 2 : j;
		if (c >= 0x80 && c <= 0x9f) return j;
	}
	return s.length;
}

/** Index just past the escape sequence that starts at i (s[i] is an introducer); at least i + 1. */
function sequenceEnd(s: string, i: number): number {
	const c = s.charCodeAt(i);
	if (c === 0x9b) return csiEnd(s, i + 1);
	if (c === 0x9d) return stringEnd(s, i + 1, true);
	if (c !== ESC) return stringEnd(s, i + 1, false);
	const n = s.charCodeAt(i + 1);
	if (n === 0x5b) return csiEnd(s, i + 2); // [
	if (n === 0x5d) return stringEnd(s, i + 2, true); // ]
	if (n === 0x50 || n === 0x58 || n === 0x5e || n === 0x5f) return stringEnd(s, i + 2, false); // P X ^ _
	// Other escapes: intermediates (0x20-0x2F) then a final byte (0x30-0x7E), e.g. `ESC c` (reset), `ESC ( 0`.
	let j = i + 1;
	while (s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
	const f = s.charCodeAt(j);
	return f >= 0x30 && f <= 0x7e ? j + 1 : i + 1;
}

function isBidiControl(c: number): boolean {
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f || c === 0x061c;
}

/** `<U+202E>`: how a code point that must not reach the terminal is shown. */
function codePointLabel(c: number): string {
	return `<U+${c.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * Message text made safe for the terminal, with nothing hidden: `\r\n` -> `\n`, lone `\r` -> `␍`, tab -> two
 * spaces (predictable width), each escape sequence -> one `␛`, other C0 controls -> their control pictures
 * (BEL -> `␇`), DEL -> `␡`, other C1 controls and bidi controls -> `<U+0085>`, lone surrogates -> U+FFFD.
 */
export function sanitizeText(s: string): string {
	let out = '';
	let run = 0; // start of the current run of safe characters, copied in one slice
	let i = 0;
	while (i < s.length) {
		const c = s.charCodeAt(i);
		if ((c >= 0x20 && c < 0x7f) || c === 0x0a || (c >= 0xa0 && c < 0xd800 && !isBidiControl(c)) || c > 0xdfff) {
			i++;
			continue;
		}
		if (c >= 0xd800 && c <= 0xdbff) {
			const d = s.charCodeAt(i + 1);
			if (d >= 0xdc00 && d <= 0xdfff) {
				i += 2;
				continue;
			}
		}
		out += s.slice(run, i);
		let next = i + 1;
		if (c === 0x0d) {
			if (s.charCodeAt(i + 1) === 0x0a) next = i + 2;
			out += next === i + 2 ? '\n' : '␍';
		} else if (c === 0x09) out += '  ';
		else if (isIntroducer(c)) {
			next = sequenceEnd(s, i);
			out += '␛';
		} else if (c < 0x20) out += String.fromCharCode(0x2400 + c);
		else if (c === 0x7f) out += '␡';
		else if (c >= 0xd800 && c <= 0xdfff) out += '\uFFFD';
		else out += codePointLabel(c); // C1 or bidi control
		i = next;
		run = next;
	}
	return run === 0 ? s : out + s.slice(run);
}

/** s without its escape sequences (nothing left in their place). */
function stripSequences(s: string): string {
	let out = '';
	let run = 0;
	for (let i = 0; i < s.length; ) {
		if (isIntroducer(s.charCodeAt(i))) {
			out += s.slice(run, i);
			i = run = sequenceEnd(s, i);
		} else i++;
	}
	return run === 0 ? s : out + s.slice(run);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LINE_SPACE = /[\t\n\v\f\r\u0085]/g;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const SPACES = /[\s\p{Z}]+/gu;

/** One-line name for display: no escapes, controls, format or zero-width characters; whitespace runs -> `_`; `?` when empty. */
function sanitizeName(s: string, maxCells: number): string {
	const name = stripSequences(s)
		.replace(LONE_SURROGATE, '\uFFFD')
		.replace(LINE_SPACE, ' ')
		.replace(INVISIBLE, '')
		.trim()
		.replace(SPACES, '_');
	return truncateToWidth(name, maxCells) || '?';
}

/** A nick from Kafka, safe to print: see sanitizeName; at most 32 cells. */
export function sanitizeNick(s: string): string {
	return sanitizeName(s, MAX_NICK_CELLS);
}

/** A room (topic) name from Kafka, safe to print: as sanitizeNick, at most 64 cells. */
export function sanitizeRoomName(s: string): string {
	return sanitizeName(s, MAX_ROOM_CELLS);
}

/** UTF-8 size of text without encoding it (a lone surrogate counts 3, as U+FFFD). */
export function utf8ByteLength(text: string): number {
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x80) bytes += 1;
		else if (c < 0x800) bytes += 2;
		else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
			bytes += 4;
			i++;
		} else bytes += 3;
	}
	return bytes;
}

/** The visible note appended to cut text. */
export function truncationNote(totalBytes: number): string {
	return `… [truncated, ${totalBytes} bytes]`;
}

/** s cut to at most maxChars UTF-16 units (never inside a surrogate pair) plus the note; s itself when it fits. */
export function truncateText(s: string, maxChars = MAX_DISPLAY_CHARS, totalBytes?: number): string {
	if (s.length <= maxChars) return s;
	let cut = Math.max(0, Math.floor(maxChars));
	const last = s.charCodeAt(cut - 1);
	if (last >= 0xd800 && last <= 0xdbff) cut--;
	return s.slice(0, cut) + truncationNote(totalBytes ?? utf8ByteLength(s));
}
