import {memo, useLayoutEffect, useMemo, useRef} from 'react';
import {Box, Text} from 'ink';
import type {ChatState, ChatStore, RoomView} from '../store/chat-store.js';
import type {SearchState} from '../store/view-slice.js';
import {sanitizeText} from '../chat/sanitize.js';
import {truncateToWidth} from '../chat/wrap.js';
import {MESSAGE_PADDING} from './layout.js';
import {MessageLine, type Highlight} from './message-line.js';
import {bottomLine, headOf, roomRowsAt, roomViewport, rowsBelow, type Viewport} from './viewport.js';

/** What the pane shows, as props: it draws again only when one of them changed (the App draws when a frame is due). */
export type MessagePaneProps = {
	store: ChatStore;
	width: number;
	height: number;
	room: RoomView | undefined;
	nick: string;
	connection: ChatState['connection'];
	brokers: string[];
	search: SearchState | undefined;
};

/** What a reader scrolled up is looking at: `offset` rows below the end of line `id`, for this revision and width. */
type Anchor = {room: string; rev: number; width: number; scroll: number; id: string; offset: number};

/** The current room's messages: only the rows that fit, from the live end minus the scroll. */
export const MessagePane = memo(function MessagePane({store, width, height, room, nick, connection, brokers, search}: MessagePaneProps) {
	// The room view changes (a new object) on every change to the room: its `rev` covers the mutable log.
	const textWidth = Math.max(1, width - MESSAGE_PADDING);
	const anchor = useRef<Anchor | undefined>(undefined);
	const highlight = useMemo<Highlight | undefined>(
		() => (search?.phase === 'results' && search.room === room?.name ? {query: search.query, matchId: search.matchId} : undefined),
		[search, room?.name],
	);
	let view: Viewport | undefined;

	let body;
	// Until the first room is joined: where kchat is connecting to, or why it cannot.
	const connecting = (!room || (room.status === 'joining' && room.log.length === 0)) && connection.state !== 'online';
	if (connecting) {
		const text = connection.state === 'connecting' || !connection.reason ? `connecting to ${brokers.join(',')}…` : `not connected: ${connection.reason}`;
		body = (
			<Text dimColor={connection.state === 'connecting'} color={connection.state === 'connecting' ? undefined : 'red'}>
				{truncateToWidth(sanitizeText(text).replace(/\n/g, ' '), textWidth)}
			</Text>
		);
	} else if (!room) {
		body = <Text dimColor>{truncateToWidth('Not in a room: /join ROOM to join one, F1 for help.', textWidth)}</Text>;
	} else if (room.log.length === 0) {
		const text = room.status === 'joining' ? `joining ${room.name}…` : room.status === 'failed' ? `could not join ${room.name}` : `no messages in ${room.name} yet`;
		body = (
			<Text dimColor={room.status !== 'failed'} color={room.status === 'failed' ? 'red' : undefined}>
				{truncateToWidth(text, textWidth)}
			</Text>
		);
	} else {
		view = roomViewport(room.log, {width: textWidth, nick, markerId: room.markerId, height, scroll: room.scroll, ...headOf(room)});
		body = view.rows.map(row => <MessageLine key={row.key} row={row} width={textWidth} highlight={highlight} />);
	}

	// Scrolled up, the lines being read stay put when new ones arrive below or the width changes: the
	// scroll (rows from the live end) grows by what was added under them. A layout effect: it runs right
	// after the frame, before more lines can go into the (mutable) log.
	useLayoutEffect(() => {
		if (!room || !view || room.scroll === 0) {
			anchor.current = undefined;
			return;
		}
		const a = anchor.current;
		if (a && a.room === room.name && a.scroll === room.scroll && a.rev === room.rev && a.width === textWidth) return;
		const rowsAt = roomRowsAt({width: textWidth, nick, markerId: room.markerId, ...headOf(room)});
		if (a && a.room === room.name && a.scroll === room.scroll && (a.rev !== room.rev || a.width !== textWidth)) {
			const below = rowsBelow(room.log, a.id, rowsAt);
			if (below !== undefined && below + a.offset !== room.scroll) {
				store.getState().actions.scrollBy(below + a.offset - room.scroll);
				return; // the next render anchors again
			}
		}
		const line = bottomLine(view);
		const below = line ? rowsBelow(room.log, line.id, rowsAt) : undefined;
		anchor.current = line && below !== undefined ? {room: room.name, rev: room.rev, width: textWidth, scroll: room.scroll, id: line.id, offset: view.scroll - below} : undefined;
	});

	return (
		<Box flexDirection="column" justifyContent="flex-end" width={width} height={height} paddingLeft={MESSAGE_PADDING} overflow="hidden">
			{body}
		</Box>
	);
});
