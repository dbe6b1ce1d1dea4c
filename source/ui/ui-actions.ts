import {complete, type Completion} from '../chat/completion.js';
import {bufferValue, isEmpty, type EditAction} from '../chat/text-buffer.js';
import type {ChatMessage} from '../chat/message.js';
import type {ChatStore} from '../store/chat-store.js';
import {inputOf} from '../store/input-slice.js';
import type {ChatController} from './chat-controller.js';
import {maxHelpOffset} from './help-overlay.js';
import type {Layout} from './layout.js';
import {SearchRun} from './search-run.js';
import {attempt, errorMessage, SLASH_COMMANDS, describeHistory, type CommandContext} from './slash-commands.js';
import {submitLine} from './submit-input.js';
import {headOf, roomRowsAt, roomViewport, rowsBelow} from './viewport.js';

// What keys and commands do to the app, in one place, without React: the key table's entries and the
// slash commands call these. State lives in the store, so each key sees what the key before it did.

/** Nicks of this many recent lines are offered by Tab besides the members. */
const COMPLETION_LINES = 500;
/** Lines read from Kafka when scrolling up past the oldest one loaded. */
export const OLDER_PAGE = 100;

export type UiDeps = {
	store: ChatStore;
	controller: ChatController;
	/** The layout of the last frame (pane sizes, the input's text width). */
	layout: () => Layout & {inputWidth: number};
	/** Clears the terminal so the next frame is drawn whole. */
	redraw: () => void;
	quit: () => void;
};

export type UiActions = ReturnType<typeof createUiActions>;

export function createUiActions(deps: UiDeps) {
	const {store, controller} = deps;
	let completion: (Completion & {index: number; text: string}) | undefined;
	const actions = () => store.getState().actions;
	const currentRoom = () => {
		const state = store.getState();
		return state.current ? state.rooms[state.current] : undefined;
	};

	const report = (text: string): void => {
		const {current} = store.getState();
		if (current) actions().notice(text);
		else actions().setNote(text, true);
	};

	const commandContext: CommandContext = {
		store,
		controller,
		report,
		openHelp: () => actions().openHelp(),
		search: query => search.start(query),
		quit: deps.quit,
	};

	/** Reads older lines of a room into it (scrolling up past the top, /history, search), saying where it stands. */
	const loadOlder = async (room: string, lines: number) => {
		actions().setOlder(room, 'loading');
		try {
			const result = await attempt(() => controller.history(room, lines));
			actions().setOlder(room, result.start ? 'start' : undefined);
			return result;
		} catch (error) {
			actions().setOlder(room, undefined);
			throw error;
		}
	};

	/** Puts the line with `id` in the middle of the message pane. */
	const showLine = (id: string): void => {
		const state = store.getState();
		const room = currentRoom();
		if (!room) return;
		const {textWidth, mainHeight} = deps.layout();
		const rowsAt = roomRowsAt({width: textWidth, nick: state.nick, markerId: room.markerId, ...headOf(room)});
		const below = rowsBelow(room.log, id, rowsAt, room.log.length);
		if (below === undefined) return;
		const index = findIndex(room.log, id);
		const own = index === undefined ? 1 : rowsAt(room.log, index).length;
		const target = Math.max(0, below + own - Math.floor(mainHeight / 2));
		const view = roomViewport(room.log, {width: textWidth, nick: state.nick, markerId: room.markerId, height: mainHeight, scroll: target, ...headOf(room)});
		actions().scrollBy(view.scroll - room.scroll);
	};

	const search = new SearchRun({store, loadOlder, showLine, report: text => actions().setNote(text, false)});

	const ui = {
		store,
		edit(action: EditAction): void {
			completion = undefined;
			actions().editInput(action);
			actions().setNote(undefined);
		},
		paste(text: string): void {
			ui.edit({type: 'paste', text});
		},
		type(text: string): void {
			ui.edit({type: 'insert', text});
		},
		inputEmpty(): boolean {
			return isEmpty(inputOf(store.getState()));
		},
		inputWidth(): number {
			return deps.layout().inputWidth;
		},
		submit(): void {
			completion = undefined;
			const line = bufferValue(inputOf(store.getState()));
			const result = submitLine(line, commandContext);
			if (!result.ok) {
				actions().setNote(result.error, true);
				return;
			}
			actions().setNote(undefined);
			if (line !== '') actions().editInput({type: 'submitted'});
			// What was just sent shows at the live end: come back to it from far back in the history.
			if (currentRoom()?.detached && !line.startsWith('/')) ui.scrollToLive();
		},
		complete(): void {
			const state = store.getState();
			const input = inputOf(state);
			const c = completion;
			// Tab again right after a completion: the next candidate in its place.
			if (c && c.text === input.text && c.candidates.length > 1) {
				const index = (c.index + 1) % c.candidates.length;
				const previous = c.candidates[c.index]!;
				actions().editInput({type: 'splice', start: c.start, end: c.start + previous.length, text: c.candidates[index]!});
				completion = {...c, index, text: inputOf(store.getState()).text};
				return;
			}
			const found = complete(input.text, input.cursor, {commands: SLASH_COMMANDS, candidates: source => completionCandidates(store, source)});
			if (found.candidates.length === 0) return;
			actions().editInput({type: 'splice', start: found.start, end: found.end, text: found.candidates[0]!});
			completion = {...found, index: 0, text: inputOf(store.getState()).text};
			const names = found.candidates.map(s => s.trim().replace(/:$/, '').split(' ').at(-1));
			actions().setNote(found.candidates.length > 1 ? `Tab: ${names.join(' ')}` : undefined);
		},
		openHelp(): void {
			actions().openHelp();
		},
		scrollHelp(direction: 1 | -1): void {
			const {mainHeight} = deps.layout();
			actions().scrollHelp(Math.max(1, mainHeight - 2) * direction, maxHelpOffset(mainHeight));
		},
		/** Up (1) or down (-1) a page; up at the top of what is loaded reads older lines from Kafka. */
		scrollPage(direction: 1 | -1): void {
			const state = store.getState();
			const room = currentRoom();
			if (!room) return;
			const {mainHeight, textWidth} = deps.layout();
			const page = Math.max(1, mainHeight - 1);
			if (direction < 0) {
				actions().scrollBy(-Math.min(page, room.scroll));
				// At the bottom of a room that let its newest lines go: the next ones from Kafka.
				if (room.detached && room.scroll <= page && room.older === undefined) {
					actions().setOlder(room.name, 'loading');
					attempt(() => controller.newer(room.name, OLDER_PAGE))
						.catch((error: unknown) => report(`cannot load newer messages of ${room.name}: ${errorMessage(error)}`))
						.finally(() => actions().setOlder(room.name, undefined));
				}
				return;
			}
			const view = roomViewport(room.log, {width: textWidth, nick: state.nick, markerId: room.markerId, height: mainHeight, scroll: room.scroll + page, ...headOf(room)});
			if (view.scroll !== room.scroll) actions().scrollBy(view.scroll - room.scroll);
			// Up no further than the top of what the room holds: then older lines come from Kafka.
			if (view.scroll < room.scroll + page && room.older === undefined) {
				loadOlder(room.name, OLDER_PAGE).catch((error: unknown) => report(`cannot load older messages of ${room.name}: ${errorMessage(error)}`));
			}
		},
		scrollToOldest(): void {
			const state = store.getState();
			const room = currentRoom();
			if (!room) return;
			const {mainHeight, textWidth} = deps.layout();
			const view = roomViewport(room.log, {width: textWidth, nick: state.nick, markerId: room.markerId, height: mainHeight, scroll: Number.MAX_SAFE_INTEGER, ...headOf(room)});
			actions().scrollBy(view.scroll - room.scroll);
		},
		scrollToLive(): void {
			const room = currentRoom();
			if (room?.detached) attempt(() => controller.toLive(room.name)).catch((error: unknown) => report(`cannot go back to live: ${errorMessage(error)}`));
			actions().scrollToEnd();
		},
		redraw(): void {
			deps.redraw();
		},
		quit(): void {
			deps.quit();
		},
		/** Ctrl+R: opens the search prompt; in a search, the next older match. */
		searchKey(): void {
			const s = store.getState().view.search;
			if (s?.phase === 'results') search.step(1);
			else if (s?.phase === 'prompt') search.start(s.query);
			else if (store.getState().current) search.prompt();
		},
		searchStep(direction: 1 | -1): boolean {
			if (store.getState().view.search?.phase !== 'results') return false;
			search.step(direction);
			return true;
		},
		/** Ends a search (back to live) or closes the help; false when there is neither. */
		escape(): boolean {
			const {view} = store.getState();
			if (view.help) {
				actions().closeHelp();
				return true;
			}
			if (view.search) {
				search.stop();
				ui.scrollToLive();
				return true;
			}
			return false;
		},
		/** The search's query typed into its prompt (Enter). */
		searchPrompted(query: string): void {
			search.start(query);
		},
		/** A key other than the search's own ends it, leaving the messages where they are. */
		endSearch(): void {
			search.stop();
		},
		/** /history and the search use this; exported for the key table's tests. */
		loadOlder,
		describeHistory,
	};
	return ui;
}

function findIndex(log: {length: number; at(i: number): ChatMessage | undefined}, id: string): number | undefined {
	for (let i = log.length - 1; i >= 0; i--) if (log.at(i)?.id === id) return i;
	return undefined;
}

/** Names Tab offers: rooms of the cluster (for /join), joined rooms (/leave), nicks of the room. */
function completionCandidates(store: ChatStore, source: 'rooms' | 'joined-rooms' | 'nicks'): string[] {
	const state = store.getState();
	if (source === 'rooms') return state.available.map(r => r.name).filter(name => !state.rooms[name]);
	if (source === 'joined-rooms') return [...state.order];
	const room = state.current ? state.rooms[state.current] : undefined;
	if (!room) return [];
	const found = new Set(room.members.map(m => m.nick));
	for (let i = room.log.length - 1; i >= Math.max(0, room.log.length - COMPLETION_LINES); i--) {
		const m = room.log.at(i);
		if (m && (m.type === 'message' || m.type === 'action') && m.user !== '?') found.add(m.user);
	}
	found.delete(state.nick);
	return [...found];
}
