import {describe, expect, it} from 'vitest';
import {
	MAX_DISPLAY_CHARS,
	decodeUtf8,
	sanitizeNick,
	sanitizeRoomName,
	sanitizeText,
	truncateText,
	utf8ByteLength,
} from '../../source/chat/sanitize.js';
import {cellWidth} from '../../source/chat/wrap.js';
import {randomHostileString, seededRandom, unsafeChars} from './unsafe-chars.js';

describe('decodeUtf8', () => {
	it('decodes valid UTF-8, including a leading BOM and astral characters', () => {
		expect(decodeUtf8(Buffer.from('héllo 日本 👍', 'utf8'))).toBe('héllo 日本 👍');
		expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('\uFEFFa');
		expect(decodeUtf8(new Uint8Array())).toBe('');
	});

	it('shows each byte of an invalid sequence as \\xNN and keeps the valid parts', () => {
		expect(decodeUtf8(Buffer.from([0x66, 0xff, 0xc3, 0x28]))).toBe('f\\xFF\\xC3(');
		// Truncated 3-byte sequence, overlong '/', encoded surrogate, beyond U+10FFFF, then valid text.
		expect(decodeUtf8(Buffer.from([0xe6, 0x97]))).toBe('\\xE6\\x97');
		expect(decodeUtf8(Buffer.from([0xc0, 0xaf]))).toBe('\\xC0\\xAF');
		expect(decodeUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe('\\xED\\xA0\\x80');
		expect(decodeUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe('\\xF4\\x90\\x80\\x80');
		expect(decodeUtf8(Buffer.from([0x80, 0xe6, 0x97, 0xa5, 0xf0, 0x9f, 0x91, 0x8d]))).toBe('\\x80日👍');
	});

	it('agrees with TextDecoder on valid input and never emits U+FFFD for invalid input', () => {
		const random = seededRandom(7);
		for (let n = 0; n < 500; n++) {
			const bytes = Uint8Array.from({length: Math.floor(random() * 16)}, () => Math.floor(random() * 256));
			const decoded = decodeUtf8(bytes);
			const lenient = new TextDecoder().decode(bytes);
			if (!lenient.includes('\uFFFD')) expect(decoded).toBe(lenient);
			else expect(decoded).not.toContain('\uFFFD');
		}
	});

	it('decodes a 1 MB buffer of random bytes', () => {
		const random = seededRandom(1);
		const bytes = Uint8Array.from({length: 1 << 20}, () => Math.floor(random() * 256));
		const decoded = decodeUtf8(bytes);
		expect(decoded.length).toBeGreaterThan(1 << 20);
		expect(decoded).not.toContain('\uFFFD');
	});
});

describe('sanitizeText', () => {
	it('keeps ordinary text, wide characters and newlines unchanged', () => {
		const text = 'hello, 世界 👍🏽 café\nsecond line';
		expect(sanitizeText(text)).toBe(text);
	});

	it('normalises line ends and tabs', () => {
		expect(sanitizeText('a\r\nb')).toBe('a\nb');
		expect(sanitizeText('a\rb')).toBe('a␍b');
		expect(sanitizeText('a\tb')).toBe('a  b');
	});

	it('replaces each CSI sequence with one visible marker', () => {
		expect(sanitizeText('\x1b[2Jcleared')).toBe('␛cleared');
		expect(sanitizeText('x\x1b[10;10Hy')).toBe('x␛y');
		expect(sanitizeText('\x1b[31mred\x1b[0m')).toBe('␛red␛');
		expect(sanitizeText('\x1b[?1049h')).toBe('␛');
		expect(sanitizeText('\u009b2Jx')).toBe('␛x');
	});

	it('removes OSC title, clipboard and hyperlink sequences with either terminator', () => {
		expect(sanitizeText('\x1b]0;pwned\x07hi')).toBe('␛hi');
		expect(sanitizeText('\x1b]2;pwned\x1b\\hi')).toBe('␛hi');
		expect(sanitizeText('\x1b]52;c;aGVsbG8=\x07')).toBe('␛');
		expect(sanitizeText('\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\')).toBe('␛click␛');
		expect(sanitizeText('\u009d0;pwned\u009chi')).toBe('␛hi');
	});

	it('removes an unterminated OSC up to the end of the text', () => {
		expect(sanitizeText('before\x1b]0;pwned and the rest\nof the message')).toBe('before␛');
	});

	it('ends a control string at the next escape, so it cannot swallow the sequences after it', () => {
		expect(sanitizeText('\x1b]0;title\x1b[2Jvisible')).toBe('␛␛visible');
	});

	it('removes DCS, APC, PM and SOS strings in 7-bit and 8-bit forms', () => {
		expect(sanitizeText('a\x1bPq#0;2;0;0;0\x1b\\b')).toBe('a␛b');
		expect(sanitizeText('a\x1b_payload\x1b\\b')).toBe('a␛b');
		expect(sanitizeText('a\x1b^payload\x1b\\b')).toBe('a␛b');
		expect(sanitizeText('a\x1bXpayload\x1b\\b')).toBe('a␛b');
		expect(sanitizeText('a\u0090payload\u009cb')).toBe('a␛b');
		expect(sanitizeText('a\u009fpayload\u009cb')).toBe('a␛b');
		expect(sanitizeText('a\u009epayload\u009cb')).toBe('a␛b');
		expect(sanitizeText('a\u0098payload\u009cb')).toBe('a␛b');
	});

	it('removes other escapes (reset, charset) and shows a lone ESC', () => {
		expect(sanitizeText('\x1bcreset')).toBe('␛reset');
		expect(sanitizeText('\x1b(0line')).toBe('␛line');
		expect(sanitizeText('end\x1b')).toBe('end␛');
	});

	it('shows C0 controls as control pictures, DEL as ␡ and C1 controls as <U+XXXX>', () => {
		expect(sanitizeText('\x00\x07\x08\x0b\x0c')).toBe('␀␇␈␋␌');
		expect(sanitizeText('a\x7fb')).toBe('a␡b');
		expect(sanitizeText('a\u0085b\u009cc\u0080')).toBe('a<U+0085>b<U+009C>c<U+0080>');
	});

	it('shows bidi controls as <U+XXXX> instead of letting them reorder the line', () => {
		expect(sanitizeText('abc\u202Edef')).toBe('abc<U+202E>def');
		expect(sanitizeText('\u2066\u2069\u200e\u200f\u061c\u202a')).toBe('<U+2066><U+2069><U+200E><U+200F><U+061C><U+202A>');
	});

	it('replaces lone surrogates and keeps pairs', () => {
		expect(sanitizeText('a\ud800b\udc00c\ud83d\udc4d')).toBe('a\uFFFDb\uFFFDc👍');
	});

	it('stays linear on a 1 MB hostile string and on 10,000 lines', () => {
		const hostile = '\x1b[\x1b]\u009b\u0085\u202e\x07日'.repeat(1 << 17);
		const out = sanitizeText(hostile);
		expect(unsafeChars(out)).toEqual([]);
		const lines = Array.from({length: 10_000}, (_, i) => `line ${i}\x1b[2K`).join('\n');
		expect(sanitizeText(lines).split('\n')).toHaveLength(10_000);
		const unterminated = '\x1b]'.repeat(1 << 19);
		expect(sanitizeText(unterminated)).toBe('␛'.repeat(1 << 19));
	});

	it('never lets an unsafe character through (fuzz)', () => {
		const random = seededRandom(42);
		for (let n = 0; n < 2000; n++) {
			const input = randomHostileString(random);
			const out = sanitizeText(input);
			expect(unsafeChars(out), JSON.stringify(input)).toEqual([]);
			expect(out).not.toContain('\x1b');
		}
	});
});

describe('sanitizeNick', () => {
	it('strips zero-width and bidi characters', () => {
		expect(sanitizeNick('al\u200Bice')).toBe('alice');
		expect(sanitizeNick('\u202Eecila')).toBe('ecila');
		expect(sanitizeNick('\ufeffbob\u2060\u200d')).toBe('bob');
	});

	it('removes escape sequences and controls entirely', () => {
		expect(sanitizeNick('\x1b[31mbob\x1b[0m')).toBe('bob');
		expect(sanitizeNick('\x1b]0;pwned\x07eve')).toBe('eve');
		expect(sanitizeNick('ma\x07l\u0080lo\u009cry\x7f')).toBe('mallory');
	});

	it('collapses whitespace to one _ and trims it', () => {
		expect(sanitizeNick('  bob   the\tbuilder\n')).toBe('bob_the_builder');
		expect(sanitizeNick('a\u3000b\u00a0c\u0085d\r\ne')).toBe('a_b_c_d_e');
	});

	it('returns ? when nothing visible is left', () => {
		expect(sanitizeNick('')).toBe('?');
		expect(sanitizeNick(' \t\n')).toBe('?');
		expect(sanitizeNick('\u200b\u202e\x1b[2J')).toBe('?');
	});

	it('caps the nick at 32 cells with an ellipsis', () => {
		expect(sanitizeNick('a'.repeat(40))).toBe('a'.repeat(31) + '…');
		const wide = sanitizeNick('日'.repeat(40));
		expect(cellWidth(wide)).toBeLessThanOrEqual(32);
		expect(wide.endsWith('…')).toBe(true);
		expect(sanitizeNick('a'.repeat(32))).toBe('a'.repeat(32));
	});

	it('never lets an unsafe or invisible character through (fuzz)', () => {
		const random = seededRandom(4242);
		for (let n = 0; n < 2000; n++) {
			const input = randomHostileString(random, 60);
			const out = sanitizeNick(input);
			expect(unsafeChars(out), JSON.stringify(input)).toEqual([]);
			expect(out).not.toMatch(/\u200b|\u200d|\u2060|\ufeff|\s/);
			expect(out.length).toBeGreaterThan(0);
			expect(cellWidth(out)).toBeLessThanOrEqual(32);
		}
	});
});

describe('sanitizeRoomName', () => {
	it('is a nick sanitiser capped at 64 cells', () => {
		expect(sanitizeRoomName('chat-room-1')).toBe('chat-room-1');
		expect(sanitizeRoomName('ro\u200bom\x1b[2J')).toBe('room');
		expect(sanitizeRoomName('r'.repeat(100))).toBe('r'.repeat(63) + '…');
		expect(sanitizeRoomName('')).toBe('?');
	});
});

describe('truncateText and utf8ByteLength', () => {
	it('leaves text within the limit alone', () => {
		expect(truncateText('short', 10)).toBe('short');
	});

	it('cuts with a visible note of the full size', () => {
		expect(truncateText('abcdef', 3, 1000)).toBe('abc… [truncated, 1000 bytes]');
		expect(truncateText('日日日日', 2)).toBe('日日… [truncated, 12 bytes]');
		expect(truncateText('x'.repeat(MAX_DISPLAY_CHARS + 1))).toHaveLength(MAX_DISPLAY_CHARS + '… [truncated, 65537 bytes]'.length);
	});

	it('never cuts a surrogate pair in half', () => {
		expect(truncateText('a👍b', 2, 6)).toBe('a… [truncated, 6 bytes]');
	});

	it('counts UTF-8 bytes like Buffer.byteLength', () => {
		for (const s of ['', 'abc', 'é', '日本', '👍', 'a\ud800b']) expect(utf8ByteLength(s)).toBe(Buffer.byteLength(s, 'utf8'));
	});
});
