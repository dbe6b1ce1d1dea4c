import {describe, expect, it} from 'vitest';
import {KeySplitter, PASTE_END, PASTE_START} from '../../source/chat/key-burst.js';

const split = (...chunks: string[]): string[] => {
	const splitter = new KeySplitter();
	return chunks.flatMap(c => splitter.push(c));
};

describe('key bursts', () => {
	it('cuts typed keys read at once into text runs, controls and escape sequences', () => {
		expect(split('hello\r')).toEqual(['hello', '\r']);
		expect(split('abcd\x7f\x7fef\r')).toEqual(['abcd', '\x7f', '\x7f', 'ef', '\r']);
		expect(split('12\x1b[D3')).toEqual(['12', '\x1b[D', '3']);
		expect(split('\x0e\x1b2x\x1b[1;3A\x1bOP\x03')).toEqual(['\x0e', '\x1b2', 'x', '\x1b[1;3A', '\x1bOP', '\x03']);
		expect(split('\x1b[5~\x1b[6~')).toEqual(['\x1b[5~', '\x1b[6~']);
	});

	it('keeps text whole, wide and astral characters included', () => {
		expect(split('héllo 世界 👍🏽 x')).toEqual(['héllo 世界 👍🏽 x']);
	});

	it('keeps a bracketed paste as one key, its line breaks as spaces and its escapes harmless', () => {
		expect(split(`a${PASTE_START}one\r\ntwo\x1b[2J${PASTE_END}\r`)).toEqual(['a', 'one two␛[2J', '\r']);
		// A long paste comes in several reads.
		expect(split(`${PASTE_START}one\r`, 'two\r', `three${PASTE_END}`)).toEqual(['one two three']);
		// A copied line's own line break is not part of it.
		expect(split(`${PASTE_START}\none line\r\n${PASTE_END}`)).toEqual(['one line']);
	});

	it('waits for the rest of an escape sequence cut between reads, and lets a lone Esc go on flush', () => {
		const splitter = new KeySplitter();
		expect(splitter.push('ab\x1b[')).toEqual(['ab']);
		expect(splitter.holding).toBe(true);
		expect(splitter.push('Dc')).toEqual(['\x1b[D', 'c']);
		expect(splitter.push(`x\x1b[20`)).toEqual(['x']);
		expect(splitter.push(`0~one\x1b[2`)).toEqual([]);
		expect(splitter.push(`01~\r`)).toEqual(['one', '\r']);
		expect(splitter.push('\x1b')).toEqual([]);
		expect(splitter.flush()).toEqual(['\x1b']);
		expect(splitter.holding).toBe(false);
	});

	it('without paste markers, takes a line break between text for a pasted one', () => {
		expect(split('one\rtwo\r')).toEqual(['one\rtwo', '\r']);
		expect(split('a\tb')).toEqual(['a\tb']);
		// Once the terminal marks pastes, a line break outside them is Enter.
		expect(split(`${PASTE_START}x${PASTE_END}`, 'one\rtwo')).toEqual(['x', 'one', '\r', 'two']);
	});
});
