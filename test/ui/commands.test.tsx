import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {BASE_TIME, joinRooms, line} from './support/messages.js';
import {renderApp, type AppHarness, type AppOptions} from './support/render-app.js';
import {flushInput, waitFor} from './support/wait-for.js';

afterEach(() => cleanup());

const inputRow = (app: AppHarness) => app.frame().split('\n').find(row => row.startsWith('[')) ?? '';
/** The row under the input: an error or a hint. */
const noteRow = (app: AppHarness) => {
	const rows = app.frame().split('\n');
	return rows.length >= 3 && !rows.at(-2)!.startsWith('[') ? rows.at(-2)! : '';
};

async function submit(app: AppHarness, text: string): Promise<void> {
	await app.press(text);
	await waitFor(() => expect(inputRow(app)).toContain(text.slice(-10)));
	await app.press('\r');
}

async function inRoom(options: AppOptions = {}): Promise<AppHarness> {
	return renderApp({...options, setup: s => joinRooms(s, 'a', 'b')});
}

async function inputCleared(app: AppHarness, room = 'a'): Promise<void> {
	await waitFor(() => expect(inputRow(app)).toMatch(new RegExp(`^\\[${room}\\]\\s*$`)));
}

describe('commands', () => {
	it('sends what was pasted when Enter follows at once, before React re-registered the input handler', async () => {
		const app = await inRoom();
		await app.press('pasted line');
		// No wait for the frame or effects: a terminal can deliver Enter right after a paste.
		app.pressNow('\r');
		await inputCleared(app);
		expect(app.controller.calls).toContainEqual({method: 'send', args: ['a', 'pasted line', 'message']});
	});

	it('plain text: checks the size, then sends to the current room, and clears the input', async () => {
		const app = await inRoom();
		await submit(app, 'hello there');
		await inputCleared(app);
		expect(app.controller.calls).toEqual([
			{method: 'checkSize', args: ['a', 'hello there']},
			{method: 'send', args: ['a', 'hello there', 'message']},
		]);
	});

	it('a message that is too large: the error under the input, the input kept, nothing sent', async () => {
		const app = await inRoom();
		app.controller.behaviour.checkSize = () => {
			throw new Error('message is too large: 2000000 bytes, room a takes at most 1048588 bytes (max.message.bytes)');
		};
		await submit(app, 'a huge line');
		await waitFor(() => expect(noteRow(app)).toContain('message is too large: 2000000 bytes'));
		expect(inputRow(app)).toMatch(/^\[a\] a huge line\s*$/);
		expect(app.controller.callsOf('send')).toEqual([]);
		// Editing clears the error.
		await app.press('\u007F');
		await waitFor(() => expect(noteRow(app)).toBe(''));
	});

	it('an unknown command or wrong arguments: an inline error saying what was expected, the input kept', async () => {
		const app = await inRoom();
		await submit(app, '/frobnicate now');
		await waitFor(() => expect(noteRow(app)).toContain('unknown command /frobnicate'));
		expect(inputRow(app)).toMatch(/^\[a\] \/frobnicate now\s*$/);

		for (let i = 0; i < '/frobnicate now'.length; i++) await app.press('\u007F');
		await submit(app, '/join');
		await waitFor(() => expect(noteRow(app)).toContain('usage: /join ROOM [PARTITIONS]'));
		expect(inputRow(app)).toMatch(/^\[a\] \/join\s*$/);
		expect(app.controller.calls).toEqual([]);
	});

	it('/join ROOM [PARTITIONS] joins and shows the room while it is joining; a failure becomes a notice', async () => {
		const app = await inRoom();
		let finish: () => void = () => {};
		app.controller.behaviour.join = room => {
			// As ChatService does: the room appears at once, joining.
			app.store.getState().actions.roomJoining(room);
			return new Promise(resolve => (finish = resolve));
		};
		await submit(app, '/join news 6');
		await waitFor(() => expect(inputRow(app)).toMatch(/^\[news\]\s*$/));
		expect(app.controller.callsOf('join')).toEqual([['news', {partitions: 6}]]);
		expect(app.frame()).toMatch(/^3 news…/m);
		expect(app.frame()).toContain('joining news…');
		app.store.getState().actions.roomLive('news');
		finish();
		await waitFor(() => expect(app.frame()).toMatch(/^3 news\s/m));

		app.controller.behaviour.join = room => {
			app.store.getState().actions.roomJoining(room);
			app.store.getState().actions.roomFailed(room, 'not authorized');
			return Promise.reject(new Error('not \u001B]0;pwned\u0007authorized'));
		};
		await submit(app, '/join secret');
		await waitFor(() => expect(app.frame()).toMatch(/^4 secret✗/m));
		expect(app.controller.callsOf('join')).toEqual([['news', {partitions: 6}], ['secret']]);
		await waitFor(() => expect(app.frame()).toContain('-- cannot join secret: not ␛authorized'));
	});

	it('/leave [ROOM] and /part leave the current or the named room', async () => {
		const app = await inRoom();
		await submit(app, '/leave');
		await inputCleared(app);
		await submit(app, '/part b');
		await inputCleared(app);
		await submit(app, '/leave nowhere');
		await waitFor(() => expect(noteRow(app)).toContain('not in room nowhere'));
		expect(app.controller.callsOf('leave')).toEqual([['a'], ['b']]);
	});

	it('/rooms lists the rooms of the cluster with their partitions', async () => {
		const app = await inRoom();
		app.controller.behaviour.rooms = [
			{name: 'b', partitions: 1},
			{name: 'a', partitions: 3},
			{name: 'zeta', partitions: 12},
		];
		await submit(app, '/rooms');
		await waitFor(() => expect(app.frame()).toContain('-- 3 rooms on the broker:'));
		const frame = app.frame();
		expect(frame).toMatch(/ a \(3 partitions\), joined/);
		expect(frame).toMatch(/ b \(1 partition\), joined/);
		expect(frame).toMatch(/ zeta \(12 partitions\)\s/);
		expect(app.controller.callsOf('rooms')).toEqual([[]]);
	});

	it('/nick NEW changes the nick; a refused one is an inline error with the input kept', async () => {
		const app = await inRoom();
		app.controller.behaviour.setNick = nick => app.store.getState().actions.setNick(nick);
		await submit(app, '/nick zed');
		await waitFor(() => expect(app.frame()).toMatch(/^zed @ localhost:9092/m));
		app.controller.behaviour.setNick = () => {
			throw new Error('nick zed2 is in use');
		};
		await submit(app, '/nick zed2');
		await waitFor(() => expect(noteRow(app)).toContain('nick zed2 is in use'));
		expect(inputRow(app)).toMatch(/^\[a\] \/nick zed2\s*$/);
		expect(app.controller.callsOf('setNick')).toEqual([['zed'], ['zed2']]);
	});

	it('/me ACTION sends an action', async () => {
		const app = await inRoom();
		await submit(app, '/me waves');
		await inputCleared(app);
		expect(app.controller.calls).toEqual([
			{method: 'checkSize', args: ['a', 'waves']},
			{method: 'send', args: ['a', 'waves', 'action']},
		]);
	});

	it('/who lists the members of the current room', async () => {
		const app = await inRoom();
		app.store.getState().actions.setMembers('a', [
			{nick: 'alice', status: 'online', instances: 1},
			{nick: 'bob', status: 'away', instances: 2},
		]);
		await submit(app, '/who');
		await waitFor(() => expect(app.frame()).toContain('-- 2 in a: alice, bob (away) ×2'));
	});

	it('/history N reads older lines of the current room and says what came', async () => {
		const app = await inRoom();
		app.controller.behaviour.history = async () => ({loaded: 200, start: false, oldest: BASE_TIME});
		await submit(app, '/history 200');
		await inputCleared(app);
		expect(app.controller.callsOf('history')).toEqual([['a', 200]]);
		const lastNotice = () => app.store.getState().rooms['a']!.log.last()?.text;
		await waitFor(() => expect(lastNotice()).toBe('loaded 200 older lines of a, back to Mon 1 Jun 2026 12:00:00; /history again for more'));
		expect(app.frame()).toContain('-- loaded 200 older lines of a');
		app.controller.behaviour.history = async () => ({loaded: 3, start: true, oldest: BASE_TIME});
		await submit(app, '/history 50');
		await waitFor(() => expect(lastNotice()).toBe('loaded 3 older lines of a, back to Mon 1 Jun 2026 12:00:00; that is the start of a'));
	});

	it('/clear empties the current room', async () => {
		const app = await inRoom();
		app.store.getState().actions.receive([line('a', 'alice', 'old news')]);
		await waitFor(() => expect(app.frame()).toContain('old news'));
		await submit(app, '/clear');
		await waitFor(() => expect(app.frame()).not.toContain('old news'));
		expect(app.store.getState().rooms['a']!.log.length).toBe(0);
	});

	it('/help opens the help with every key and command', async () => {
		const app = await renderApp({rows: 40, setup: s => joinRooms(s, 'a')});
		await submit(app, '/help');
		await waitFor(() => expect(app.frame()).toContain('Rooms and the app'));
		// The help is taller than the screen: read all of it, a page at a time.
		let text = app.frame();
		for (let i = 0; i < 6; i++) {
			await app.press('\u001B[6~');
			await flushInput();
			text += app.frame();
		}
		for (const key of ['F1', 'Ctrl+N', 'Ctrl+U', 'Alt+1..9', 'Alt+A', 'PgUp', 'Ctrl+End', 'Up', 'Tab', 'F2, Alt+M', 'Ctrl+L', 'Ctrl+C', 'Ctrl+R', 'Alt+Enter']) {
			expect(text).toContain(key);
		}
		for (const command of ['/join ROOM [PARTITIONS]', '/leave [ROOM]', '/part', '/rooms', '/nick NEW', '/me ACTION', '/who', '/history N', '/search TEXT', '/clear', '/help', '/quit']) {
			expect(text).toContain(command);
		}
	});

	it('the help scrolls with PgUp/PgDn when the terminal is short', async () => {
		const app = await renderApp({rows: 12, setup: s => joinRooms(s, 'a')});
		await app.press('\u001BOP');
		await waitFor(() => expect(app.frame()).toContain('PgUp/PgDn scroll'));
		expect(app.frame()).not.toContain('/quit');
		for (let i = 0; i < 12; i++) await app.press('\u001B[6~');
		await waitFor(() => expect(app.frame()).toContain('/quit'));
	});

	it('/quit calls onQuit', async () => {
		const app = await inRoom();
		await submit(app, '/quit');
		await waitFor(() => expect(app.quits()).toBe(1));
	});

	it('with no room, text asks to join one first', async () => {
		const app = await renderApp();
		expect(app.frame()).toContain('Not in a room');
		await submit(app, 'hello');
		await waitFor(() => expect(noteRow(app)).toContain('not in a room: /join ROOM first'));
		expect(inputRow(app)).toMatch(/^\[no room\] hello\s*$/);
	});
});
