import {useCallback, useRef, useState} from 'react';
import {Box, Text, useStdout} from 'ink';
import {useStore} from 'zustand';
import {truncateToWidth} from '../chat/wrap.js';
import type {ChatStore} from '../store/chat-store.js';
import type {ChatController} from './chat-controller.js';
import {HelpOverlay, maxHelpOffset} from './help-overlay.js';
import {InputBox, inputRows, promptFor} from './input-box.js';
import type {GlobalKey} from './key-map.js';
import {computeLayout} from './layout.js';
import {MemberList} from './member-list.js';
import {MessagePane} from './message-pane.js';
import {RoomList} from './room-list.js';
import {StatusLine} from './status-line.js';
import {submitInput} from './submit-input.js';
import {useBell} from './use-bell.js';
import {useKeys} from './use-keys.js';
import {useTerminalSize} from './use-terminal-size.js';
import {roomViewport} from './viewport.js';

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
/** Nicks of this many recent lines are offered by Tab besides the members. */
const COMPLETION_LINES = 500;

export function App({store, controller, bell = true, onQuit}: AppProps) {
	const {columns, rows} = useTerminalSize();
	const {write} = useStdout();
	const room = useStore(store, s => s.current);
	const [showMembers, setShowMembers] = useState(true);
	const [help, setHelp] = useState(false);
	const [helpOffset, setHelpOffset] = useState(0);
	const [value, setValue] = useState('');
	const [error, setError] = useState<string | undefined>(undefined);
	const [hint, setHint] = useState<string | undefined>(undefined);
	useBell(store, bell);

	const quitting = useRef(false);
	const quit = useCallback(() => {
		if (quitting.current) return;
		quitting.current = true;
		onQuit();
	}, [onQuit]);

	const note = error ?? hint;
	const inputHeight = inputRows(promptFor(room, columns), value, columns);
	const layout = computeLayout(columns, rows, showMembers, inputHeight, note ? 2 : 1);

	const openHelp = useCallback(() => {
		setHelp(true);
		setHelpOffset(0);
	}, []);

	const scrollMessages = (direction: 1 | -1): void => {
		const state = store.getState();
		const current = state.current ? state.rooms[state.current] : undefined;
		if (!current) return;
		const page = Math.max(1, layout.mainHeight - 1);
		if (direction < 0) {
			state.actions.scrollBy(-Math.min(page, current.scroll));
			return;
		}
		// Up no further than the top of what the room holds.
		const view = roomViewport(current.log, {width: layout.textWidth, nick: state.nick, markerId: current.markerId, height: layout.mainHeight, scroll: current.scroll + page});
		if (view.scroll !== current.scroll) state.actions.scrollBy(view.scroll - current.scroll);
	};

	const onGlobalKey = (key: GlobalKey): boolean => {
		const {actions} = store.getState();
		switch (key.name) {
			case 'quit':
				quit();
				return true;
			case 'next-room':
			case 'previous-room':
				actions.cycleRoom(key.name === 'next-room' ? 1 : -1);
				return true;
			case 'room':
				actions.selectIndex(key.index);
				return true;
			case 'next-active':
				actions.nextActive();
				return true;
			case 'page-up':
				scrollMessages(1);
				return true;
			case 'page-down':
				scrollMessages(-1);
				return true;
			case 'end':
				actions.scrollToEnd();
				return true;
			case 'help':
				openHelp();
				return true;
			case 'members':
				setShowMembers(shown => !shown);
				return true;
			case 'redraw':
				write(CLEAR_SCREEN);
				return true;
			case 'escape':
				return false;
		}
	};

	const keys = useKeys((key, _sequence) => {
		if (!help) return key ? onGlobalKey(key) : false;
		// The help is open: it scrolls with PgUp/PgDn, any other key closes it (and still does its job).
		if (key?.name === 'page-up' || key?.name === 'page-down') {
			const step = Math.max(1, layout.mainHeight - 2) * (key.name === 'page-up' ? -1 : 1);
			setHelpOffset(offset => Math.max(0, Math.min(maxHelpOffset(layout.mainHeight), offset + step)));
			return true;
		}
		setHelp(false);
		if (key && key.name !== 'help' && key.name !== 'escape') onGlobalKey(key);
		return true;
	});

	const report = useCallback(
		(text: string) => {
			const {current, actions} = store.getState();
			if (current) actions.notice(text);
			else setError(text);
		},
		[store],
	);

	const onSubmit = (line: string): boolean => {
		const result = submitInput(line, {store, controller, openHelp, quit, report});
		setError(result.ok ? undefined : result.error);
		return result.ok;
	};

	const onChange = (next: string): void => {
		setValue(next);
		setError(undefined);
	};

	const nicks = (): string[] => {
		const state = store.getState();
		const current = state.current ? state.rooms[state.current] : undefined;
		if (!current) return [];
		const found = new Set(current.members.map(m => m.nick));
		for (let i = current.log.length - 1; i >= Math.max(0, current.log.length - COMPLETION_LINES); i--) {
			const m = current.log.at(i);
			if (m && (m.type === 'message' || m.type === 'action') && m.user !== '?') found.add(m.user);
		}
		found.delete(state.nick);
		return [...found];
	};

	const panes = help ? (
		<HelpOverlay width={layout.columns} height={layout.mainHeight} offset={helpOffset} />
	) : (
		<>
			{layout.roomsWidth > 0 ? <RoomList store={store} width={layout.roomsWidth} height={layout.mainHeight} /> : null}
			<MessagePane store={store} width={layout.messagesWidth} height={layout.mainHeight} />
			{layout.membersWidth > 0 ? <MemberList store={store} width={layout.membersWidth} height={layout.mainHeight} /> : null}
		</>
	);

	return (
		<Box flexDirection="column" width={layout.columns} height={layout.height} overflow="hidden">
			<Box flexDirection="row" height={layout.mainHeight} overflow="hidden">
				{panes}
			</Box>
			<InputBox
				room={room}
				value={value}
				onChange={onChange}
				onSubmit={onSubmit}
				onHelp={openHelp}
				isConsumed={keys.isConsumed}
				nicks={nicks}
				onHint={setHint}
				focus={!help}
				width={layout.columns}
				rows={inputHeight}
			/>
			{note ? (
				<Text color={error ? 'red' : undefined} dimColor={!error} wrap="truncate">
					{truncateToWidth(note, layout.columns)}
				</Text>
			) : null}
			<StatusLine store={store} />
		</Box>
	);
}
