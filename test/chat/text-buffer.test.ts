import {describe, expect, it} from 'vitest';
import {
	bufferValue,
	COLLAPSE_CHARS,
	edit,
	emptyBuffer,
	HISTORY_SIZE,
	layoutBuffer,
	type EditAction,
	type TextBuffer,
} from '../../source/chat/text-buffer.js';

/** Applies actions in order, as keys that arrive in one read are. */
function apply(b: TextBuffer, ...actions: EditAction[]): TextBuffer {
	return actions.reduce(edit, b);
}

const type = (text: string): EditAction => ({type: 'insert', text});
const k = (t: Exclude<EditAction['type'], 'insert' | 'paste' | 'up' | 'down' | 'splice'>) => ({type: t}) as EditAction;
const typed = (text: string): TextBuffer => apply(emptyBuffer(), type(text));
/** The text with `|` at the cursor. */
const show = (b: TextBuffer): string => `${b.text.slice(0, b.cursor)}|${b.text.slice(b.cursor)}`;

describe('text buffer: cursor by grapheme clusters', () => {
	it('moves over a combining sequence, an emoji with modifiers and a flag as one character each', () => {
		const text = 'e\u0301👍🏽🇯🇵x';
		let b = typed(text);
		expect(show(b)).toBe(`${text}|`);
		b = apply(b, k('left'));
		expect(show(b)).toBe('e\u0301👍🏽🇯🇵|x');
		b = apply(b, k('left'));
		expect(show(b)).toBe('e\u0301👍🏽|🇯🇵x');
		b = apply(b, k('left'), k('left'));
		expect(b.cursor).toBe(0);
		b = apply(b, k('right'));
		expect(show(b)).toBe('e\u0301|👍🏽🇯🇵x');
		// Backspace and Delete take whole clusters.
		b = apply(b, k('delete'));
		expect(b.text).toBe('e\u0301🇯🇵x');
		b = apply(b, k('backspace'));
		expect(show(b)).toBe('|🇯🇵x');
		expect(apply(b, k('left')).cursor).toBe(0);
	});

	it('places the cursor by cells with wide characters (CJK takes two cells)', () => {
		const b = apply(typed('日本語abc'), k('left'), k('left'), k('left'));
		const layout = layoutBuffer(b, 40);
		expect(layout.cursorColumn).toBe(6);
		expect(layoutBuffer(typed('日本語'), 40).cursorColumn).toBe(6);
	});

	it('Home/End and Ctrl+A/E go to the start and end of the line; Left and Right stop at the ends', () => {
		let b = typed('hello');
		b = apply(b, k('line-start'));
		expect(b.cursor).toBe(0);
		expect(apply(b, k('left')).cursor).toBe(0);
		b = apply(b, k('line-end'), k('right'));
		expect(b.cursor).toBe(5);
	});
});

describe('text buffer: words', () => {
	it('moves by words with Alt+B/F (Ctrl+Left/Right), over spaces and punctuation', () => {
		let b = typed('alice: see you, 明日 ok');
		b = apply(b, k('word-left'));
		expect(show(b)).toBe('alice: see you, 明日 |ok');
		b = apply(b, k('word-left'));
		expect(show(b)).toBe('alice: see you, |明日 ok');
		b = apply(b, k('word-left'), k('word-left'));
		expect(show(b)).toBe('alice: |see you, 明日 ok');
		b = apply(b, k('word-left'), k('word-left'));
		expect(b.cursor).toBe(0);
		b = apply(b, k('word-right'));
		expect(show(b)).toBe('alice|: see you, 明日 ok');
		b = apply(b, k('word-right'));
		expect(show(b)).toBe('alice: see| you, 明日 ok');
	});

	it('Ctrl+W / Alt+Backspace delete the word before the cursor, Alt+D the one after; Ctrl+Y puts it back', () => {
		let b = typed('one two three');
		b = apply(b, k('delete-word-left'));
		expect(show(b)).toBe('one two |');
		b = apply(b, k('delete-word-left'));
		expect(show(b)).toBe('one |');
		// Kills in a row add up in the kill buffer.
		b = apply(b, k('yank'));
		expect(b.text).toBe('one two three');
		b = apply(b, k('line-start'), k('delete-word-right'));
		expect(show(b)).toBe('| two three');
		b = apply(b, k('line-end'), k('yank'));
		expect(b.text).toBe(' two threeone');
	});

	it('Ctrl+U and Ctrl+K kill to the start and the end of the line', () => {
		let b = apply(typed('hello world'), k('word-left'));
		b = apply(b, k('kill-to-end'));
		expect(show(b)).toBe('hello |');
		b = apply(b, k('kill-to-start'));
		expect(show(b)).toBe('|');
		// Two kills in a row: one piece of text, in its order.
		b = apply(b, k('yank'));
		expect(b.text).toBe('hello world');
		// A kill after something else replaces what was there.
		b = apply(b, k('word-left'), k('kill-to-end'), k('line-start'), k('yank'));
		expect(show(b)).toBe('world|hello ');
	});
});

describe('text buffer: several lines', () => {
	it('Alt+Enter / Ctrl+J insert a line break; Home and End work on the current line', () => {
		let b = apply(typed('first'), k('newline'), type('second'));
		expect(bufferValue(b)).toBe('first\nsecond');
		b = apply(b, k('line-start'));
		expect(show(b)).toBe('first\n|second');
		b = apply(b, k('left'), k('line-start'));
		expect(b.cursor).toBe(0);
		b = apply(b, k('line-end'));
		expect(show(b)).toBe('first|\nsecond');
	});

	it('Up and Down move between rows keeping the column, wrapped rows included', () => {
		let b = apply(typed('abcdef'), k('newline'), type('xy'), k('newline'), type('0123456789012'));
		// Width 11: ten cells of text a row (one left for the cursor), so the last line wraps.
		const layout = layoutBuffer(b, 11);
		expect(layout.rows.map(r => r.parts.map(p => p.text).join(''))).toEqual(['abcdef', 'xy', '0123456789', '012']);
		expect(layout.cursorRow).toBe(3);
		b = apply(b, {type: 'up', width: 11});
		expect(show(b)).toBe('abcdef\nxy\n012|3456789012');
		b = apply(b, {type: 'up', width: 11});
		expect(show(b)).toBe('abcdef\nxy|\n0123456789012');
		// The column aimed for is kept through a short row.
		b = apply(b, {type: 'up', width: 11});
		expect(show(b)).toBe('abc|def\nxy\n0123456789012');
		b = apply(b, {type: 'down', width: 11}, {type: 'down', width: 11});
		expect(show(b)).toBe('abcdef\nxy\n012|3456789012');
	});

	it('wraps long lines at spaces', () => {
		const layout = layoutBuffer(typed('the quick brown fox jumps'), 13);
		expect(layout.rows.map(r => r.parts.map(p => p.text).join(''))).toEqual(['the quick ', 'brown fox ', 'jumps']);
		expect(layout.cursorRow).toBe(2);
		expect(layout.cursorColumn).toBe(5);
	});
});

describe('text buffer: pastes', () => {
	it('inserts a short paste as text with its line breaks, without the trailing one', () => {
		const b = apply(typed('> '), {type: 'paste', text: 'one\r\ntwo\n'});
		expect(show(b)).toBe('> one\ntwo|');
	});

	it('collapses a paste over five lines or 500 characters, shows it as one unit, and sends it whole', () => {
		const pasted = Array.from({length: 42}, (_, i) => `line ${i}`).join('\n');
		let b = apply(typed('see: '), {type: 'paste', text: pasted}, type(' ok'));
		const layout = layoutBuffer(b, 80);
		expect(layout.rows).toHaveLength(1);
		expect(layout.rows[0]!.parts.map(p => p.text)).toEqual(['see: ', '[pasted 42 lines]', ' ok']);
		expect(layout.rows[0]!.parts[1]!.atom).toBe(true);
		expect(bufferValue(b)).toBe(`see: ${pasted} ok`);
		// One step over it, one Backspace removes it.
		b = apply(b, k('word-left'), k('left'));
		expect(b.cursor).toBe(7);
		b = apply(b, k('backspace'));
		expect(bufferValue(b)).toBe('see:  ok');

		const long = 'x'.repeat(COLLAPSE_CHARS + 1);
		const one = apply(emptyBuffer(), {type: 'paste', text: long});
		expect(layoutBuffer(one, 80).rows[0]!.parts[0]!.text).toBe('[pasted 501 characters]');
		expect(bufferValue(one)).toBe(long);
		// Expanded on request (Ctrl+O), the cursor after the pasted text.
		const expanded = apply(one, k('expand-pastes'));
		expect(expanded.text).toBe(long);
		expect(expanded.cursor).toBe(long.length);
	});

	it('never takes a typed or pasted private-use character of plane 15 for a paste', () => {
		const b = apply(typed('a\u{F0000}b'), {type: 'paste', text: '\u{F0001}'});
		expect(bufferValue(b)).toBe('a\uFFFDb\uFFFD');
	});

	it('shows control characters in typed and pasted text as pictures and tabs as spaces', () => {
		const b = apply(typed('bell\u0007'), {type: 'paste', text: 'a\tb\u001B[2J'});
		expect(bufferValue(b)).toBe('bell␇a  b␛');
	});
});

describe('text buffer: history with the draft kept', () => {
	const sent = (b: TextBuffer, text: string): TextBuffer => apply(b, type(text), {type: 'submitted'});
	const up = {type: 'up', width: 80} as const;
	const down = {type: 'down', width: 80} as const;

	it('Up and Down walk the lines sent; Down past the newest restores the draft, cursor included', () => {
		let b = sent(sent(emptyBuffer(), 'first'), 'second');
		expect(b.text).toBe('');
		b = apply(b, type('draft'), k('left'));
		b = apply(b, up);
		expect(b.text).toBe('second');
		b = apply(b, up);
		expect(b.text).toBe('first');
		// At the oldest, Up stays.
		expect(apply(b, up).text).toBe('first');
		b = apply(b, down, down);
		expect(show(b)).toBe('draf|t');
		expect(apply(b, down)).toEqual(b);
	});

	it('typing or Ctrl+U while walking makes the shown line the one being written', () => {
		let b = sent(sent(emptyBuffer(), 'first'), 'second');
		b = apply(b, type('draft'), up, up, type('!'));
		expect(b.text).toBe('first!');
		// The walk starts again from the newest line; the edited line is now the draft.
		b = apply(b, up);
		expect(b.text).toBe('second');
		b = apply(b, down);
		expect(b.text).toBe('first!');
		b = apply(b, up, k('kill-to-start'), up);
		expect(b.text).toBe('second');
		b = apply(b, down);
		expect(b.text).toBe('');
	});

	it('keeps lines as sent (pastes expanded), not blank ones or a repeat, at most HISTORY_SIZE', () => {
		let b = emptyBuffer();
		b = apply(b, {type: 'paste', text: 'a\nb\nc\nd\ne\nf'}, {type: 'submitted'});
		b = sent(b, '   ');
		b = sent(sent(b, 'again'), 'again');
		expect(b.history).toEqual(['a\nb\nc\nd\ne\nf', 'again']);
		// A long line comes back collapsed, as it was pasted.
		const back = apply(b, up, up);
		expect(back.text).not.toContain('\n');
		expect(bufferValue(back)).toBe('a\nb\nc\nd\ne\nf');
		for (let i = 0; i < HISTORY_SIZE + 5; i++) b = sent(b, `line ${i}`);
		expect(b.history).toHaveLength(HISTORY_SIZE);
		expect(b.history.at(-1)).toBe(`line ${HISTORY_SIZE + 4}`);
	});
});

describe('text buffer: completion', () => {
	it('replaces a range and puts the cursor after it', () => {
		const b = apply(typed('hi al'), {type: 'splice', start: 3, end: 5, text: 'alice '});
		expect(show(b)).toBe('hi alice |');
	});
});
