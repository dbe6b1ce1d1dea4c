import {useRef} from 'react';
import {Box, Text, useStdout} from 'ink';
import {truncateToWidth} from '../chat/wrap.js';
import type {ChatStore} from '../store/chat-store.js';
import {inputOf} from '../store/input-slice.js';
import type {SearchState} from '../store/view-slice.js';
import type {ChatController} from './chat-controller.js';
import {HelpOverlay} from './help-overlay.js';
import {InputBox, inputLayout, inputTextWidth, maxInputRows} from './input-box.js';
import {computeLayout, type Layout} from './layout.js';
import {MemberList} from './member-list.js';
import {MessagePane} from './message-pane.js';
import {RoomList} from './room-list.js';
import {SearchPrompt} from './search-prompt.js';
import {StatusLine} from './status-line.js';
import {useFrame} from './frame-clock.js';
import {createUiActions, type UiActions} from './ui-actions.js';
import {useBell} from './use-bell.js';
import {useKeyDispatch} from './use-key-dispatch.js';
import {useTerminalSize} from './use-terminal-size.js';

export type AppProps = {
	store: ChatStore;
	controller: ChatController;
	/** Ring the terminal bell for a mention in a room not on screen (`--no-bell` turns it off). */
	bell?: boolean;
	/** Called once, for Ctrl+C or /quit: the caller stops the chat service and unmounts. */
	onQuit: () => void;
};

/** Clear the screen and home the cursor; Ink then writes its whole frame again. */
const CLEAR_SCREEN = '\u001B[2J\u001B[H';

/** The line under the input while a search is on. */
function searchNote(s: SearchState): string {
	if (s.status === 'searching') return `search "${s.query}": reading older messages…`;
	const where = s.matchId ? `match ${s.index} of ${s.count} loaded` : s.status === 'start' ? 'no match' : 'no match yet';
	return `search "${s.query}": ${where} · n older · N newer · Esc live`;
}

export function App({store, controller, bell = true, onQuit}: AppProps) {
	const {columns, rows} = useTerminalSize();
	const {write} = useStdout();
	// One frame per key, and at most one every FRAME_MS for what arrives (see frame-clock.ts); the panes
	// get their data as props, so a key redraws the input alone.
	useFrame(store);
	const state = store.getState();
	const currentRoom = state.current ? state.rooms[state.current] : undefined;
	const room = state.current;
	const view = state.view;
	const buffer = inputOf(state);
	useBell(store, bell);

	const searching = view.search?.phase === 'prompt';
	const inputWidth = inputTextWidth(room, columns);
	const inputHeight = searching ? 1 : Math.min(maxInputRows(rows), inputLayout(buffer, inputWidth).rows.length);
	const note = view.search?.phase === 'results' && !view.note ? {text: searchNote(view.search), error: false} : view.note;
	const layout = computeLayout(columns, rows, view.members, inputHeight, note ? 2 : 1);

	// Keys run against the store and the layout of the last frame, never a stale React closure.
	const latest = useRef<Layout & {inputWidth: number}>({...layout, inputWidth});
	latest.current = {...layout, inputWidth};
	const quit = useRef({done: false, onQuit});
	quit.current.onQuit = onQuit;
	const ui = useRef<UiActions | undefined>(undefined);
	ui.current ??= createUiActions({
		store,
		controller,
		layout: () => latest.current,
		redraw: () => write(CLEAR_SCREEN),
		quit: () => {
			// Once, however many ways out are taken (Ctrl+C, then /quit).
			if (quit.current.done) return;
			quit.current.done = true;
			quit.current.onQuit();
		},
	});
	useKeyDispatch(ui.current);

	const panes = view.help ? (
		<HelpOverlay width={layout.columns} height={layout.mainHeight} offset={view.helpOffset} />
	) : (
		<>
			{layout.roomsWidth > 0 ? <RoomList order={state.order} rooms={state.rooms} current={state.current} available={state.available} width={layout.roomsWidth} height={layout.mainHeight} /> : null}
			<MessagePane
				store={store}
				width={layout.messagesWidth}
				height={layout.mainHeight}
				room={currentRoom}
				nick={state.nick}
				connection={state.connection}
				brokers={state.brokers}
				search={view.search}
			/>
			{layout.membersWidth > 0 ? <MemberList members={currentRoom?.members} nick={state.nick} width={layout.membersWidth} height={layout.mainHeight} /> : null}
		</>
	);

	return (
		<Box flexDirection="column" width={layout.columns} height={layout.height} overflow="hidden">
			<Box flexDirection="row" height={layout.mainHeight} overflow="hidden">
				{panes}
			</Box>
			{searching ? (
				<SearchPrompt store={store} width={layout.columns} onSubmit={query => ui.current!.searchPrompted(query)} />
			) : (
				<InputBox buffer={buffer} room={room} width={layout.columns} rows={inputHeight} />
			)}
			{note ? (
				<Text color={note.error ? 'red' : undefined} dimColor={!note.error} wrap="truncate">
					{truncateToWidth(note.text, layout.columns)}
				</Text>
			) : null}
			<StatusLine nick={state.nick} brokers={state.brokers} connection={state.connection} storageProblem={state.storageProblem} scroll={currentRoom?.scroll ?? 0} detached={currentRoom?.detached === true} />
		</Box>
	);
}
