import {describe, expect, it} from 'vitest';
import {KeyDecoder, keyLabel, keySequence, PASTE_END, PASTE_START, sequenceName, type KeyPress} from '../../source/chat/key-decoder.js';

const key = (name: string, sequence: string): KeyPress => ({kind: 'key', name, sequence});
const text = (t: string): KeyPress => ({kind: 'text', text: t});

describe('key decoder', () => {
	it('cuts a run typed in one read into text, Enter, Backspace and Ctrl keys, in order', () => {
		const decoder = new KeyDecoder();
		expect(decoder.push('one\rtwo\rthree\r')).toEqual([text('one'), key('enter', '\r'), text('two'), key('enter', '\r'), text('three'), key('enter', '\r')]);
		expect(decoder.push('ab\u007F\u0017c\nx\u0001')).toEqual([
			text('ab'),
			key('backspace', '\u007F'),
			key('ctrl+w', '\u0017'),
			text('c'),
			key('ctrl+j', '\n'),
			text('x'),
			key('ctrl+a', '\u0001'),
		]);
		// CR LF is one Enter.
		expect(decoder.push('hi\r\n')).toEqual([text('hi'), key('enter', '\r')]);
	});

	it('names escape sequences in the spellings terminals use', () => {
		const names: Record<string, string> = {
			'\u001B[A': 'up',
			'\u001BOA': 'up',
			'\u001B[1;5D': 'ctrl+left',
			'\u001BOd': 'ctrl+left',
			'\u001B[1;3C': 'alt+right',
			'\u001B\u001B[D': 'alt+left',
			'\u001B[H': 'home',
			'\u001B[1~': 'home',
			'\u001B[7~': 'home',
			'\u001BOF': 'end',
			'\u001B[4~': 'end',
			'\u001B[1;5F': 'ctrl+end',
			'\u001B[3~': 'delete',
			'\u001B[5~': 'pageup',
			'\u001B[[6~': 'pagedown',
			'\u001BOP': 'f1',
			'\u001B[11~': 'f1',
			'\u001B[[A': 'f1',
			'\u001BOQ': 'f2',
			'\u001B[Z': 'shift+tab',
			'\u001Bb': 'alt+b',
			'\u001BB': 'alt+b',
			'\u001B1': 'alt+1',
			'\u001B\r': 'alt+enter',
			'\u001B\u007F': 'alt+backspace',
			'\u001B': 'escape',
		};
		for (const [sequence, name] of Object.entries(names)) expect(sequenceName(sequence), JSON.stringify(sequence)).toBe(name);
		expect(sequenceName('\u001B[I')).toBeUndefined();
	});

	it('keeps a bracketed paste whole, line breaks as \\n, also over several reads and with escapes in it', () => {
		const decoder = new KeyDecoder();
		// Ink's parser hands the markers and the text between them over as separate events.
		expect(decoder.push(PASTE_START)).toEqual([]);
		expect(decoder.pasting).toBe(true);
		expect(decoder.push('one\r\ntwo\r')).toEqual([]);
		expect(decoder.push('\u001B[31m')).toEqual([]);
		expect(decoder.push('three')).toEqual([]);
		expect(decoder.push(PASTE_END)).toEqual([{kind: 'paste', text: 'one\ntwo\n\u001B[31mthree'}]);
		expect(decoder.pasting).toBe(false);
		expect(decoder.push('x\r')).toEqual([text('x'), key('enter', '\r')]);
		// The end marker and what follows in one event.
		expect(decoder.push(`${PASTE_START}a\nb${PASTE_END}c`)).toEqual([{kind: 'paste', text: 'a\nb'}, text('c')]);
	});

	it('gives each key name a sequence that decodes to it, and a label for the help', () => {
		for (const name of ['enter', 'alt+enter', 'ctrl+j', 'tab', 'backspace', 'alt+backspace', 'delete', 'escape', 'up', 'ctrl+left', 'alt+right', 'home', 'end', 'ctrl+home', 'pageup', 'f1', 'f2', 'ctrl+n', 'alt+b', 'alt+3']) {
			const sequence = keySequence(name);
			const decoded = new KeyDecoder().push(sequence);
			expect(decoded, name).toEqual([key(name, sequence)]);
		}
		expect(keyLabel('ctrl+left')).toBe('Ctrl+Left');
		expect(keyLabel('pageup')).toBe('PgUp');
		expect(keyLabel('alt+enter')).toBe('Alt+Enter');
	});
});
