import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {cellWidth} from '../../source/chat/wrap.js';
import {joinRooms, line} from './support/messages.js';
import {renderApp} from './support/render-app.js';
import {waitFor} from './support/wait-for.js';

afterEach(() => cleanup());

const rowsOf = (frame: string) => frame.split('\n');

describe('layout', () => {
	it('shows rooms, messages, members, the input with the room and the status line, one row shorter than the terminal', async () => {
		const app = await renderApp({
			columns: 100,
			rows: 20,
			setup: store => {
				joinRooms(store, 'chat-room-1', 'random');
				const {actions} = store.getState();
				actions.setAvailable([
					{name: 'chat-room-1', partitions: 3},
					{name: 'random', partitions: 3},
					{name: 'ideas', partitions: 1},
				]);
				actions.setMembers('chat-room-1', [
					{nick: 'alice', status: 'online', instances: 1},
					{nick: 'bob', status: 'away', instances: 2},
				]);
				actions.receive([line('chat-room-1', 'alice', 'hello from alice')]);
				actions.setConnection('online');
			},
		});
		const frame = app.frame();
		const rows = rowsOf(frame);
		expect(rows).toHaveLength(19);
		for (const row of rows) expect(cellWidth(row)).toBeLessThanOrEqual(100);
		// Room list: numbers, the current room, a rule, the rooms not joined.
		expect(rows[0]).toMatch(/^1 chat-room-1\s+│/);
		expect(rows[1]).toMatch(/^2 random\s+│/);
		expect(rows[2]).toMatch(/^── rooms ─+│/);
		expect(rows[3]).toMatch(/^ {2}ideas\s+│/);
		expect(frame).not.toMatch(/^ {2}random/m);
		// Members on the right, with state and the instance count.
		expect(rows[0]).toMatch(/│members 2\s*$/);
		expect(rows[1]).toMatch(/│● alice\s*$/);
		expect(rows[2]).toMatch(/│○ bob²\s*$/);
		// Messages, the input prompt, the status line.
		expect(frame).toMatch(/│ \d\d:\d\d:\d\d <alice> hello from alice\s+│/);
		expect(rows[17]).toMatch(/^\[chat-room-1\]\s*$/);
		expect(rows[18]).toBe('me @ localhost:9092 · online · F1 help');
	});

	it('toggles the member list with F2 and with Alt+M, giving its columns to the messages', async () => {
		const app = await renderApp({
			setup: store => {
				joinRooms(store, 'a');
				store.getState().actions.setMembers('a', [{nick: 'alice', status: 'online', instances: 1}]);
			},
		});
		expect(app.frame()).toContain('members 1');
		await app.press('\u001BOQ');
		await waitFor(() => expect(app.frame()).not.toContain('members 1'));
		await app.press('\u001BOQ');
		await waitFor(() => expect(app.frame()).toContain('members 1'));
		await app.press('\u001Bm');
		await waitFor(() => expect(app.frame()).not.toContain('members 1'));
		// The key was the app's: nothing was typed.
		expect(rowsOf(app.frame()).at(-2)).toMatch(/^\[a\]\s*$/);
	});

	it('says where it is connecting to until the first room is joined, or why it cannot, and the state with its reason', async () => {
		const app = await renderApp({setup: store => store.getState().actions.setConnection('connecting')});
		expect(app.frame()).toContain('me @ localhost:9092 · connecting');
		expect(app.frame()).toContain('│ connecting to localhost:9092…');
		expect(app.frame()).not.toContain('Not in a room');
		app.store.getState().actions.setConnection('offline', 'localhost:9092: cannot connect: ECONNREFUSED; retrying in 2 s');
		await waitFor(() => expect(app.frame()).toContain('│ not connected: localhost:9092: cannot connect: ECONNREFUSED'));
		// Joining while not connected yet: still the connection's state, not the room's.
		app.store.getState().actions.roomJoining('a');
		app.store.getState().actions.setConnection('connecting');
		await waitFor(() => expect(app.frame()).toContain('│ connecting to localhost:9092…'));
		app.store.getState().actions.setConnection('online');
		await waitFor(() => expect(app.frame()).toContain('│ joining a…'));
		app.store.getState().actions.setConnection('reconnecting', 'broker localhost:9092 went away');
		await waitFor(() => expect(app.frame()).toContain('· reconnecting (broker localhost:9092 went away)'));
		app.store.getState().actions.setConnection('offline', 'stopped');
		await waitFor(() => expect(app.frame()).toContain('· offline (stopped)'));
	});

	it('reflows everything when the terminal is resized', async () => {
		const text = 'word '.repeat(30).trim();
		const app = await renderApp({
			columns: 100,
			rows: 24,
			setup: store => {
				joinRooms(store, 'a');
				store.getState().actions.receive([line('a', 'alice', text)]);
			},
		});
		const textRows = (frame: string) => rowsOf(frame).filter(r => r.includes('word')).length;
		// 100 columns: rooms 20, members 18, so 61 cells of text; the prefix takes 18.
		expect(textRows(app.frame())).toBe(4);
		await app.resize(160, 30);
		expect(rowsOf(app.frame())).toHaveLength(29);
		expect(textRows(app.frame())).toBe(2);
		await app.resize(60, 10);
		const frame = app.frame();
		expect(rowsOf(frame)).toHaveLength(9);
		for (const row of rowsOf(frame)) expect(cellWidth(row)).toBeLessThanOrEqual(60);
		// At 60 columns the members give way; the messages still show the newest line's end.
		expect(frame).not.toContain('members');
		expect(frame).toMatch(/word word\s*$/m);
	});

	it('works with the default size when the terminal reports none', async () => {
		const app = await renderApp();
		expect(rowsOf(app.frame())).toHaveLength(23);
	});
});
