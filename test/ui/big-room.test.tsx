import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {joinRooms, line} from './support/messages.js';
import {renderApp} from './support/render-app.js';
import {waitFor} from './support/wait-for.js';

afterEach(() => cleanup());

const inputRow = (frame: string) => frame.split('\n').find(row => row.startsWith('[')) ?? '';

describe('a room with 50,000 lines', () => {
	it('renders only the visible rows: the newest lines show, typing and scrolling stay live', async () => {
		const app = await renderApp({
			scrollbackCap: 60_000,
			setup: s => {
				joinRooms(s, 'big');
				s.getState().actions.receive(Array.from({length: 50_000}, (_, i) => line('big', `user${i % 7}`, `line number ${i}`)));
			},
		});
		expect(app.store.getState().rooms['big']!.log.length).toBe(50_000);
		const frame = app.frame();
		expect(frame).toMatch(/line number 49999\s+│/);
		// 23 rows of frame: 21 of messages.
		expect(frame).toMatch(/line number 49979\s+│/);
		expect(frame).not.toContain('line number 49978');
		expect(frame.split('\n')).toHaveLength(23);

		for (const ch of 'typing') {
			await app.press(ch);
		}
		await waitFor(() => expect(inputRow(app.frame())).toMatch(/^\[big\] typing\s*$/));

		// Another line arrives at the live end while typing.
		app.store.getState().actions.receive([line('big', 'late', 'the newest line')]);
		await waitFor(() => expect(app.frame()).toMatch(/the newest line\s+│/));
		expect(inputRow(app.frame())).toMatch(/^\[big\] typing\s*$/);

		await app.press('\u001B[5~');
		await waitFor(() => expect(app.frame()).toContain('↑ 20 lines'));
		const rows = app.frame().split('\n');
		expect(rows[20]).toMatch(/line number 49980\s+│/);
		expect(rows[0]).toMatch(/line number 49960\s+│/);
	});
});
