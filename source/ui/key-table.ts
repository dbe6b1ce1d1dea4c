import type {EditAction} from '../chat/text-buffer.js';
import type {UiActions} from './ui-actions.js';

// Every key binding of the app, once: the dispatcher looks keys up here, and the help (F1) lists this
// table. Adding a binding is adding an entry. A key may appear in several entries: they are tried in
// order, and an entry whose `run` returns false does not apply now (Home moves the cursor in a line
// being written and goes to the oldest message on an empty input).

export type KeyGroup = 'rooms' | 'messages' | 'search' | 'input';

export type KeyBinding = {
	id: string;
	group: KeyGroup;
	/** Key names as the decoder gives them (`ctrl+n`, `alt+enter`, `pageup`), or one typed character (`?`). */
	keys: readonly string[];
	/** How the help shows the keys, when their names alone would not say it all. */
	label?: string;
	help: string;
	/** Does the job; returns false when the binding does not apply now. */
	run: (ui: UiActions, key: string) => boolean | void;
};

export const GROUP_TITLES: Record<KeyGroup, string> = {
	rooms: 'Rooms and the app',
	messages: 'Messages',
	search: 'Search',
	input: 'Writing (Enter sends)',
};

const editing =
	(type: Exclude<EditAction['type'], 'insert' | 'paste' | 'up' | 'down' | 'splice'>) =>
	(ui: UiActions): void =>
		ui.edit({type});

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const KEY_TABLE: readonly KeyBinding[] = [
	{id: 'help', group: 'rooms', keys: ['f1', '?'], label: 'F1, ? (empty input)', help: 'this help; Esc or any key closes it', run: (ui, key) => (key === '?' && !ui.inputEmpty() ? false : ui.openHelp())},
	{id: 'next-room', group: 'rooms', keys: ['ctrl+n'], help: 'next room', run: ui => ui.store.getState().actions.cycleRoom(1)},
	{id: 'previous-room', group: 'rooms', keys: ['ctrl+p'], help: 'previous room', run: ui => ui.store.getState().actions.cycleRoom(-1)},
	{
		id: 'room-number',
		group: 'rooms',
		keys: DIGITS.map(d => `alt+${d}`),
		label: 'Alt+1..9, Esc 1..9',
		help: 'room N of the list',
		run: (ui, key) => ui.store.getState().actions.selectIndex(Number(key.slice(-1)) - 1),
	},
	{id: 'next-active', group: 'rooms', keys: ['alt+a'], label: 'Alt+A, Esc A', help: 'next room with activity, mentions first', run: ui => ui.store.getState().actions.nextActive()},
	{id: 'members', group: 'rooms', keys: ['f2', 'alt+m'], help: 'show / hide the members', run: ui => ui.store.getState().actions.toggleMembers()},
	{id: 'redraw', group: 'rooms', keys: ['ctrl+l'], help: 'redraw the screen', run: ui => ui.redraw()},
	{id: 'quit', group: 'rooms', keys: ['ctrl+c'], help: 'quit', run: ui => ui.quit()},

	{id: 'page-up', group: 'messages', keys: ['pageup'], help: 'scroll up a page; at the top, load older messages from Kafka', run: ui => ui.scrollPage(1)},
	{id: 'page-down', group: 'messages', keys: ['pagedown'], help: 'scroll down a page', run: ui => ui.scrollPage(-1)},
	{
		id: 'oldest',
		group: 'messages',
		keys: ['ctrl+home', 'home'],
		label: 'Home (empty input), Ctrl+Home',
		help: 'to the oldest message loaded',
		run: (ui, key) => (key === 'home' && !ui.inputEmpty() ? false : ui.scrollToOldest()),
	},
	{
		id: 'live',
		group: 'messages',
		keys: ['ctrl+end', 'end'],
		label: 'End (empty input), Ctrl+End',
		help: 'back to the live end',
		run: (ui, key) => (key === 'end' && !ui.inputEmpty() ? false : ui.scrollToLive()),
	},

	{id: 'search', group: 'search', keys: ['ctrl+r'], help: 'search this room (newest first, back to its start); again: the next older match', run: ui => ui.searchKey()},
	{id: 'search-older', group: 'search', keys: ['n'], label: 'n', help: 'the next older match (while searching)', run: ui => ui.searchStep(1)},
	{id: 'search-newer', group: 'search', keys: ['N'], label: 'N', help: 'the next newer match (while searching)', run: ui => ui.searchStep(-1)},
	{id: 'escape', group: 'search', keys: ['escape'], label: 'Esc', help: 'end the search, back to live; close the help', run: ui => ui.escape()},

	{id: 'send', group: 'input', keys: ['enter'], help: 'send the message, or run the /command', run: ui => ui.submit()},
	{id: 'newline', group: 'input', keys: ['alt+enter', 'ctrl+j'], help: 'a line break in the message', run: editing('newline')},
	{id: 'complete', group: 'input', keys: ['tab'], help: 'complete nicks, commands, rooms after /join and /leave (again: the next one)', run: ui => ui.complete()},
	{id: 'history-up', group: 'input', keys: ['up'], help: 'the row above; from the first row, the line sent before (per room)', run: ui => ui.edit({type: 'up', width: ui.inputWidth()})},
	{id: 'history-down', group: 'input', keys: ['down'], help: 'the row below; from the last row, the next line sent, then the draft', run: ui => ui.edit({type: 'down', width: ui.inputWidth()})},
	{id: 'left', group: 'input', keys: ['left', 'ctrl+b'], help: 'one character left', run: editing('left')},
	{id: 'right', group: 'input', keys: ['right', 'ctrl+f'], help: 'one character right', run: editing('right')},
	{id: 'word-left', group: 'input', keys: ['alt+b', 'ctrl+left', 'alt+left'], help: 'one word left', run: editing('word-left')},
	{id: 'word-right', group: 'input', keys: ['alt+f', 'ctrl+right', 'alt+right'], help: 'one word right', run: editing('word-right')},
	{id: 'line-start', group: 'input', keys: ['ctrl+a', 'home'], help: 'start of the line', run: (ui, key) => (key === 'home' && ui.inputEmpty() ? false : ui.edit({type: 'line-start'}))},
	{id: 'line-end', group: 'input', keys: ['ctrl+e', 'end'], help: 'end of the line', run: (ui, key) => (key === 'end' && ui.inputEmpty() ? false : ui.edit({type: 'line-end'}))},
	{id: 'backspace', group: 'input', keys: ['backspace'], help: 'delete the character before the cursor', run: editing('backspace')},
	{id: 'delete', group: 'input', keys: ['delete', 'ctrl+d'], help: 'delete the character under the cursor', run: editing('delete')},
	{id: 'delete-word-left', group: 'input', keys: ['ctrl+w', 'alt+backspace'], help: 'delete the word before the cursor', run: editing('delete-word-left')},
	{id: 'delete-word-right', group: 'input', keys: ['alt+d'], help: 'delete the word after the cursor', run: editing('delete-word-right')},
	{id: 'kill-to-start', group: 'input', keys: ['ctrl+u'], help: 'cut to the start of the line', run: editing('kill-to-start')},
	{id: 'kill-to-end', group: 'input', keys: ['ctrl+k'], help: 'cut to the end of the line', run: editing('kill-to-end')},
	{id: 'yank', group: 'input', keys: ['ctrl+y'], help: 'paste back what was cut', run: editing('yank')},
	{id: 'expand-pastes', group: 'input', keys: ['ctrl+o'], help: 'show a collapsed paste ([pasted 42 lines]) in full', run: editing('expand-pastes')},
];

/** The bindings of a key, in the order they are tried. */
const byKey = new Map<string, KeyBinding[]>();
for (const binding of KEY_TABLE) {
	for (const key of binding.keys) byKey.set(key, [...(byKey.get(key) ?? []), binding]);
}

export function bindingsOf(key: string): readonly KeyBinding[] {
	return byKey.get(key) ?? [];
}
