import {memo} from 'react';
import {Box, Text} from 'ink';
import type {ChatState, RoomView} from '../store/chat-store.js';
import {cellWidth, truncateToWidth} from '../chat/wrap.js';

export type RoomListProps = Pick<ChatState, 'order' | 'rooms' | 'current' | 'available'> & {width: number; height: number};

export const MENTION_MARK = '@';
export const JOINING_MARK = '…';
export const FAILED_MARK = '✗';

function pad(s: string, width: number): string {
	return s + ' '.repeat(Math.max(0, width - cellWidth(s)));
}

type RoomRowProps = {room: RoomView; number: number; current: boolean; width: number};

function RoomRow({room, number, current, width}: RoomRowProps) {
	const count = room.unread > 0 ? String(room.unread) : '';
	const mark = room.mentions > 0 ? MENTION_MARK : '';
	// A deleted room (waiting to be created again) is marked like one that failed; its lines say why.
	const broken = room.status === 'failed' || room.gone !== undefined;
	const status = room.status === 'joining' ? JOINING_MARK : broken ? FAILED_MARK : '';
	const head = `${number} `;
	const tail = count || mark ? ` ${count}${mark}` : '';
	const nameWidth = Math.max(1, width - head.length - tail.length);
	const name = pad(truncateToWidth(room.name + status, nameWidth), nameWidth);
	return (
		<Text inverse={current} wrap="truncate" bold={room.mentions > 0}>
			<Text dimColor={!current}>{head}</Text>
			<Text color={broken ? 'red' : undefined} dimColor={room.status === 'joining'}>
				{name}
			</Text>
			{tail ? (
				<Text>
					{' '}
					<Text color="cyan">{count}</Text>
					<Text color="magenta" bold>
						{mark}
					</Text>
				</Text>
			) : null}
		</Text>
	);
}

/** Joined rooms in order (number for Alt+N, unread count, `@` for mentions), then the other rooms of the cluster. */
export const RoomList = memo(function RoomList({order, rooms, current, available, width, height}: RoomListProps) {
	const inner = Math.max(1, width - 1); // the right border

	// Joined rooms first; when they do not all fit, a window that keeps the current one visible.
	const joinedRows = Math.min(order.length, height);
	const currentIndex = current ? order.indexOf(current) : -1;
	const first = Math.max(0, Math.min(order.length - joinedRows, currentIndex - joinedRows + 1));
	const joined = order.slice(first, first + joinedRows);

	// Below them, under a rule, the rooms of the cluster not joined, as many as fit.
	const others = available.filter(r => !rooms[r.name]);
	const listRows = Math.max(0, height - joinedRows - 1);
	const shown = others.length > listRows ? Math.max(0, listRows - 1) : others.length;
	const more = others.length - shown;

	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="single" borderTop={false} borderBottom={false} borderLeft={false} overflow="hidden">
			{joined.map((name, i) => {
				const room = rooms[name];
				return room ? <RoomRow key={name} room={room} number={first + i + 1} current={name === current} width={inner} /> : null;
			})}
			{others.length > 0 && height > joinedRows ? (
				<Text dimColor wrap="truncate">
					{`── rooms ${'─'.repeat(Math.max(0, inner - 9))}`}
				</Text>
			) : null}
			{others.slice(0, shown).map(r => (
				<Text key={r.name} dimColor wrap="truncate">
					{'  '}
					{truncateToWidth(r.name, inner - 2)}
				</Text>
			))}
			{more > 0 && listRows > 0 ? (
				<Text dimColor wrap="truncate">
					{`  +${more} more`}
				</Text>
			) : null}
		</Box>
	);
});
