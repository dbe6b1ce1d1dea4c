import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {MAX_INPUT_ROWS} from '../../source/ui/input-box.js';
import {joinRooms} from './support/messages.js';
import {renderApp} from './support/render-app.js';
import {waitFor} from './support/wait-for.js';

afterEach(() => cleanup());

describe('input box', () => {
	it('grows with a long line up to a limit, showing its end, and the frame keeps its height', async () => {
		const app = await renderApp({columns: 60, rows: 20, setup: s => joinRooms(s, 'a')});
		const words = Array.from({length: 30}, (_, i) => `w${String(i).padStart(2, '0')}`).join(' ');
		await app.press(words);
		await waitFor(() => expect(app.frame()).toContain('w29'));
		let rows = app.frame().split('\n');
		expect(rows).toHaveLength(19);
		// `[a] ` and 30 words of 4 cells: 154 cells, 3 rows of 60.
		expect(rows.slice(-4, -1).join(' ')).toMatch(/^\[a\] w00 .* w29\s*$/);

		await app.press(` ${words}`.repeat(2));
		// The newest part (where the cursor is) stays on screen, above the status line; the start scrolls away.
		await waitFor(() => expect(app.frame()).not.toContain('[a] w00'));
		rows = app.frame().split('\n');
		expect(rows.at(-2)).toMatch(/w29\s*$/);
		expect(rows).toHaveLength(19);
		expect(rows.slice(-1 - MAX_INPUT_ROWS, -1).every(r => /^(\[a\] )?w\d\d/.test(r))).toBe(true);
		expect(app.frame()).not.toContain('[a] w00');
	});

	it('turns pasted line breaks into spaces and control characters into visible ones', async () => {
		const app = await renderApp({setup: s => joinRooms(s, 'a')});
		await app.press('one\ntwo\r\nthree\u0007');
		await waitFor(() => expect(app.frame()).toMatch(/^\[a\] one two three␇\s*$/m));
	});
});
