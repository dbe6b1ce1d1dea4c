import type {ChatMessage} from '../chat/message.js';
import {formatDay, sameDay} from '../chat/format-time.js';
import type {RoomView} from '../store/chat-store.js';
import {rowsOfLine, type LineRow} from './message-rows.js';

// The message pane's window: the rows that fill the visible height, counted from the live end minus the
// scroll. Only the lines needed for that are wrapped; a room of 50,000 lines costs what one screen does.

export type DayRow = {kind: 'day'; key: string; text: string};
export type MarkerRow = {kind: 'marker'; key: string};
/** Above the oldest line loaded: older ones are being read from Kafka, or there are none (the room's start). */
export type HeadRow = {kind: 'head'; key: string; text: string; loading: boolean};
export type ViewRow = LineRow | DayRow | MarkerRow | HeadRow;

/** What the viewport reads of a MessageLog. */
export type LogLike = {readonly length: number; at(index: number): ChatMessage | undefined};

export type Viewport = {
	/** Top to bottom, at most `height`. */
	rows: ViewRow[];
	/** The scroll in effect: the one asked for, or less when the log has fewer rows above. */
	scroll: number;
	/** Lines (messages) that were laid out. */
	visited: number;
};

/** Rows of the line at `index`: a day-change row and the "new messages" marker before it when due. */
export type RowsAt = (log: LogLike, index: number) => ViewRow[];

export function computeViewport(log: LogLike, height: number, scroll: number, rowsAt: RowsAt): Viewport {
	const h = Math.max(0, Math.floor(height));
	const want = h + Math.max(0, Math.floor(scroll));
	const chunks: ViewRow[][] = [];
	let total = 0;
	let i = log.length - 1;
	for (; i >= 0 && total < want; i--) {
		const rows = rowsAt(log, i);
		chunks.push(rows);
		total += rows.length;
	}
	const effective = total >= want ? want - h : Math.max(0, total - h);
	const all: ViewRow[] = [];
	for (let c = chunks.length - 1; c >= 0; c--) all.push(...chunks[c]!);
	const end = all.length - effective;
	return {rows: all.slice(Math.max(0, end - h), end), scroll: effective, visited: log.length - 1 - i};
}

export type RoomRowsOptions = {width: number; nick: string; markerId?: string; head?: {room: string; older: 'loading' | 'start'}};

/** Rows of one line of a room, with its day-change row and unread marker (and the head row above the first). */
export function roomRowsAt({width, nick, markerId, head}: RoomRowsOptions): RowsAt {
	return (log, index) => {
		const m = log.at(index);
		if (!m) return [];
		const before = index > 0 ? log.at(index - 1) : undefined;
		const lines = rowsOfLine(m, width, nick);
		const extra: ViewRow[] = [];
		if (index === 0 && head) {
			const text = head.older === 'loading' ? 'loading older…' : `start of ${head.room}`;
			extra.push({kind: 'head', key: `head\u0000${m.id}`, text, loading: head.older === 'loading'});
		}
		if (!before || !sameDay(before.timestamp, m.timestamp)) extra.push({kind: 'day', key: `day\u0000${m.id}`, text: formatDay(m.timestamp)});
		if (markerId !== undefined && m.id === markerId) extra.push({kind: 'marker', key: `marker\u0000${m.id}`});
		return extra.length > 0 ? [...extra, ...lines] : lines;
	};
}

/** The viewport of a room as the message pane shows it (also used to clamp PgUp). */
export function roomViewport(log: LogLike, options: RoomRowsOptions & {height: number; scroll: number}): Viewport {
	return computeViewport(log, options.height, options.scroll, roomRowsAt(options));
}

/**
 * Rows after the line with `id` up to the live end (with the day and marker rows of the lines after it);
 * undefined when the line is not among the last `limit` lines.
 */
export function rowsBelow(log: LogLike, id: string, rowsAt: RowsAt, limit = 20_000): number | undefined {
	let rows = 0;
	for (let i = log.length - 1; i >= Math.max(0, log.length - limit); i--) {
		if (log.at(i)?.id === id) return rows;
		rows += rowsAt(log, i).length;
	}
	return undefined;
}

/** The last chat line in a viewport (what the reader looks at, bottom of the screen). */
export function bottomLine(view: Viewport): ChatMessage | undefined {
	for (let i = view.rows.length - 1; i >= 0; i--) {
		const row = view.rows[i]!;
		if (row.kind === 'line') return row.message;
	}
	return undefined;
}

/** The row above a room's oldest line: older ones loading, or the room's start. */
export function headOf(room: Pick<RoomView, 'name' | 'older'>): {head?: {room: string; older: 'loading' | 'start'}} {
	return room.older ? {head: {room: room.name, older: room.older}} : {};
}
