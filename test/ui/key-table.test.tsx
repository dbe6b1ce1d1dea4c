import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {KeyDecoder, keySequence, PASTE_END, PASTE_START} from '../../source/chat/key-decoder.js';
import {bindingKeys, helpLines} from '../../source/ui/help-overlay.js';
import {DUPLICATE_ID_BADGE} from '../../source/chat/origin-mark.js';
import {KEY_TABLE, type KeyBinding} from '../../source/ui/key-table.js';
import {joinRooms, line} from './support/messages.js';
import {renderApp, type AppHarness} from './support/render-app.js';
import {flushInput, waitFor} from './support/wait-for.js';

afterEach(() => cleanup());

// Walks the key table: every binding is in the help, and pressing it changes something a user would
// notice (the store: rooms, scroll, input, help, search; the controller's calls; a quit; a redraw).

/** The sequence a terminal sends for a key name or a typed character. */
const sequence = (key: string): string => ([...key].length === 1 ? key : keySequence(key));

/** What a key may change, as one string. */
function state(app: AppHarness): string {
	const s = app.store.getState();
	return JSON.stringify({
		current: s.current,
		rooms: Object.values(s.rooms).map(r => [r.name, r.scroll, r.unread]),
		inputs: Object.entries(s.inputs).map(([room, b]) => [room, b.text, b.cursor, b.walk, b.kill, b.history.length]),
		view: {...s.view, note: undefined},
		calls: app.controller.calls.length,
		quits: app.quits(),
		clears: app.writes().filter(w => w.startsWith('\u001B[2J')).length,
	});
}

async function keys(app: AppHarness, ...names: string[]): Promise<void> {
	for (const name of names) {
		await app.press(sequence(name));
		await flushInput();
	}
}

async function typed(app: AppHarness, text: string): Promise<void> {
	await app.press(text);
	await flushInput();
}

/** Puts the app where a binding has something to do (scrolled up to scroll down, a kill to yank…). */
const PREPARE: Partial<Record<string, (app: AppHarness) => Promise<void>>> = {
	'page-down': app => keys(app, 'pageup'),
	live: app => keys(app, 'pageup'),
	'history-down': app => keys(app, 'up'),
	yank: app => keys(app, 'ctrl+w'),
	'expand-pastes': app => typed(app, `${PASTE_START}${'pasted\n'.repeat(9)}${PASTE_END}`),
	complete: app => keys(app, 'ctrl+e', 'ctrl+u', 'a', 'l'),
	'search-older': app => keys(app, 'ctrl+r').then(() => typed(app, 'line\r')),
	'search-newer': app => keys(app, 'ctrl+r').then(() => typed(app, 'line\r')).then(() => keys(app, 'n')),
	escape: app => keys(app, 'ctrl+r').then(() => typed(app, 'line\r')),
};

/** The key pressed for a binding, when its first one does nothing in the prepared state. */
const KEY: Partial<Record<string, string>> = {'room-number': 'alt+2'};

async function prepared(binding: KeyBinding): Promise<AppHarness> {
	const app = await renderApp({
		rows: 16,
		setup: s => {
			joinRooms(s, 'a', 'b', 'c');
			const {actions} = s.getState();
			actions.receive(Array.from({length: 40}, (_, i) => line('a', 'alice', `line ${i}`)));
			actions.receive([line('b', 'bob', 'hey me, look')]);
			actions.setMembers('a', [{nick: 'alice', status: 'online', instances: 1}]);
		},
	});
	// A line sent before (history), then "hello world" with the cursor after "hello ".
	await typed(app, 'earlier\r');
	await typed(app, 'hello world');
	await keys(app, 'alt+b');
	await PREPARE[binding.id]?.(app);
	return app;
}

describe('the key table', () => {
	it('has each binding once, each in the help with its keys and what it does', () => {
		const ids = KEY_TABLE.map(b => b.id);
		expect(new Set(ids).size).toBe(ids.length);
		const help = helpLines().join('\n');
		for (const binding of KEY_TABLE) {
			expect(help, binding.id).toContain(bindingKeys(binding));
			expect(help, binding.id).toContain(binding.help);
		}
	});

	it('explains the marks a line or a room can carry, with the badge the message pane draws', () => {
		const help = helpLines();
		const marks = help.slice(help.indexOf('Marks'));
		expect(marks.join('\n')).toMatch(/\?<nick> +not written by kchat as that nick/);
		expect(marks.join('\n')).toContain(DUPLICATE_ID_BADGE);
	});

	it('names only keys the decoder gives', () => {
		for (const binding of KEY_TABLE) {
			for (const key of binding.keys) {
				if ([...key].length === 1) continue;
				const [press] = new KeyDecoder().push(keySequence(key));
				expect(press, `${binding.id}: ${key}`).toMatchObject({kind: 'key', name: key});
			}
		}
	});

	for (const binding of KEY_TABLE) {
		it(`${binding.id}: ${bindingKeys(binding)} does something`, async () => {
			const app = await prepared(binding);
			const before = state(app);
			await app.press(sequence(KEY[binding.id] ?? binding.keys[0]!));
			await waitFor(() => expect(state(app)).not.toBe(before), 2000);
		});
	}
});
