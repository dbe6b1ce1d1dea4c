import {describe, expect, it} from 'vitest';
import {decodeRecord} from '../../source/chat/record-codec.js';
import {decodeUtf8, sanitizeBytes, sanitizeText} from '../../source/chat/sanitize.js';
import {seededRandom} from '../chat/unsafe-chars.js';
import {unsafeChars} from './support/unsafe.js';

// Binary values are shown as text with each invalid byte as `\xNN`: no escape sequence may swallow one.

/** Bytes that start or end terminal sequences, invalid UTF-8, ordinary text; no backslash of their own. */
const PIECES: number[][] = [
	[0x1b], [0x1b, 0x5b], [0x1b, 0x5d], [0x1b, 0x50], [0x1b, 0x5f], [0x07], [0x9c], [0xc2, 0x9b], [0xc2, 0x9d], [0xc2, 0x90], [0xc2, 0x9c],
	[0xff], [0xfe], [0xc3], [0x80], [0xed, 0xa0, 0x80], [0xf8], [0x00], [0x0d], [0x0a], [0x33], [0x3b], [0x6d], [0x61], [0xe6, 0x97, 0xa5],
];

function randomBytes(random: () => number, pieces: number): Buffer {
	const out: number[] = [];
	for (let i = 0; i < pieces; i++) out.push(...PIECES[Math.floor(random() * PIECES.length)]!);
	return Buffer.from(out);
}

const escapes = (s: string): number => s.split('\\x').length - 1;

describe('sanitizeBytes', () => {
	it('shows the invalid byte after a cut-short escape sequence, backslash and all', () => {
		expect(sanitizeBytes(Buffer.from([0x1b, 0xff]))).toBe('␛\\xFF');
		expect(sanitizeBytes(Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0xff, 0x41]))).toBe('␛\\xFFA');
		expect(sanitizeBytes(Buffer.from([0xc2, 0x9b, 0x31, 0xfe]))).toBe('␛\\xFE');
	});

	it('is sanitizeText of the text for valid UTF-8', () => {
		for (const s of ['plain', 'a\x1b[2Jb', '\u202Ex\u202C', 'tab\tcr\r\nnul\0', '']) expect(sanitizeBytes(Buffer.from(s))).toBe(sanitizeText(s));
	});

	it('never lets an unsafe character through and keeps every invalid byte visible (fuzz)', () => {
		const random = seededRandom(0xbad);
		for (let n = 0; n < 3000; n++) {
			const bytes = randomBytes(random, Math.floor(random() * 30));
			const out = sanitizeBytes(bytes);
			expect(unsafeChars(out), bytes.toString('hex')).toEqual([]);
			expect(out).not.toContain('\x1b');
			// The pieces hold no backslash: each `\x` is one invalid byte.
			expect(escapes(out), bytes.toString('hex')).toBe(escapes(decodeUtf8(bytes)));
		}
	});

	it('shows a 1 MB random binary value cut to the display limit, with a note', () => {
		const random = seededRandom(7);
		const value = Buffer.from(Array.from({length: 1 << 20}, () => Math.floor(random() * 256)));
		const m = decodeRecord({topic: 'r', partition: 0, offset: '0', timestamp: '0', key: null, value});
		expect(m.text.endsWith(`… [truncated, ${1 << 20} bytes]`)).toBe(true);
		expect(unsafeChars(m.text)).toEqual([]);
	});
});
