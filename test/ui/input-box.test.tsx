import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {PASTE_END, PASTE_START} from '../../source/chat/key-decoder.js';
import {maxInputRows} from '../../source/ui/input-box.js';
import {joinRooms} from './support/messages.js';
import {renderApp} from './support/render-app.js';
import {waitFor} from './support/wait-for.js';

afterEach(() => cleanup());

/** The rows of the input box: below the panes (whose rows hold their borders), above the status line. */
const inputRows = (frame: string): string[] =>
	frame
		.split('\n')
		.filter(row => !row.includes('│'))
		.slice(0, -1);

describe('input box', () => {
	it('grows with its text up to a third of the screen, then scrolls with the cursor; the frame keeps its height', async () => {
		const app = await renderApp({columns: 60, rows: 21, setup: s => joinRooms(s, 'a')});
		const words = Array.from({length: 30}, (_, i) => `w${String(i).padStart(2, '0')}`).join(' ');
		await app.press(words);
		await waitFor(() => expect(app.frame()).toContain('w29'));
		// `[a] ` then 56 cells a row (one left for the cursor): 30 words of 4 cells wrap at spaces into 3 rows.
		expect(inputRows(app.frame()).map(r => r.trimEnd())).toEqual([
			'[a] w00 w01 w02 w03 w04 w05 w06 w07 w08 w09 w10 w11 w12 w13',
			'    w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27',
			'    w28 w29',
		]);
		expect(app.frame().split('\n')).toHaveLength(20);

		await app.press(` ${words}`.repeat(3));
		// A third of 21 rows is 7: the start scrolls away, the cursor's row (the newest text) stays on screen.
		await waitFor(() => expect(app.frame()).not.toContain('[a] w00'));
		const rows = inputRows(app.frame());
		expect(rows).toHaveLength(maxInputRows(21));
		expect(rows.at(-1)).toMatch(/w29\s*$/);
		expect(app.frame().split('\n')).toHaveLength(20);
	});

	it('shows a pasted text with its line breaks, and a long paste collapsed; control characters as pictures', async () => {
		const app = await renderApp({setup: s => joinRooms(s, 'a')});
		await app.press(`${PASTE_START}one\r\ntwo\u0007${PASTE_END}`);
		await waitFor(() => expect(inputRows(app.frame()).map(r => r.trimEnd())).toEqual(['[a] one', '    two␇']));
		await app.press(`${PASTE_START}${Array.from({length: 42}, (_, i) => `line ${i}`).join('\n')}${PASTE_END}`);
		await waitFor(() => expect(inputRows(app.frame()).map(r => r.trimEnd())).toEqual(['[a] one', '    two␇[pasted 42 lines]']));
		// Sent whole, as one message.
		await app.press('\r');
		await waitFor(() => expect(app.controller.callsOf('send')).toHaveLength(1));
		const [room, text] = app.controller.callsOf('send')[0]!;
		expect(room).toBe('a');
		expect(text).toBe(`one\ntwo␇${Array.from({length: 42}, (_, i) => `line ${i}`).join('\n')}`);
	});
});
