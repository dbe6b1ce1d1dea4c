import {describe, expect, it} from 'vitest';
import {decodeKey, isControlInput} from '../../source/ui/key-map.js';

describe('decodeKey', () => {
	it('names the global keys in the spellings terminals use', () => {
		expect(decodeKey('\u000E')).toEqual({name: 'next-room'});
		expect(decodeKey('\u0010')).toEqual({name: 'previous-room'});
		expect(decodeKey('\u001B1')).toEqual({name: 'room', index: 0});
		expect(decodeKey('\u001B9')).toEqual({name: 'room', index: 8});
		expect(decodeKey('\u001Ba')).toEqual({name: 'next-active'});
		for (const s of ['\u001B[5~', '\u001B[[5~']) expect(decodeKey(s)).toEqual({name: 'page-up'});
		for (const s of ['\u001B[6~', '\u001B[[6~']) expect(decodeKey(s)).toEqual({name: 'page-down'});
		for (const s of ['\u001B[F', '\u001BOF', '\u001B[4~', '\u001B[8~']) expect(decodeKey(s)).toEqual({name: 'end'});
		for (const s of ['\u001BOP', '\u001B[11~', '\u001B[[A']) expect(decodeKey(s)).toEqual({name: 'help'});
		for (const s of ['\u001BOQ', '\u001B[12~', '\u001Bm']) expect(decodeKey(s)).toEqual({name: 'members'});
		expect(decodeKey('\u000C')).toEqual({name: 'redraw'});
		expect(decodeKey('\u0003')).toEqual({name: 'quit'});
		expect(decodeKey('\u001B')).toEqual({name: 'escape'});
	});

	it('leaves text and the text input\'s keys alone', () => {
		for (const s of ['a', '1', '?', '\r', '\t', '\u007F', '\u001B[A', '\u001B[D', '\u001B0', 'hello']) expect(decodeKey(s)).toBeUndefined();
	});
});

describe('isControlInput', () => {
	it('is true for Ctrl+letter and Alt+key, which ink-text-input would type as letters', () => {
		for (const s of ['\u0001', '\u0017', '\u001Bx', '\u001B1']) expect(isControlInput(s)).toBe(true);
		for (const s of ['a', '\r', '\t', '\u0008', '\u007F', '\u001B[A', 'ab']) expect(isControlInput(s)).toBe(false);
	});
});
