import type {ChatMessage} from '../chat/message.js';
import {formatClock} from '../chat/format-time.js';
import {mentionsNick} from '../chat/mentions.js';
import {DUPLICATE_ID_BADGE, originMark} from '../chat/origin-mark.js';
import {sanitizeText} from '../chat/sanitize.js';
import {isSystemType} from '../chat/system-line.js';
import {cellWidth, wrapText} from '../chat/wrap.js';

// One chat line as terminal rows: `HH:MM:SS <nick> text`, wrapped by cells with a hanging indent.

export type LineStyle = 'message' | 'action' | 'event' | 'pending' | 'failed';

/**
 * What the first row of a line starts with; continuation rows start with `indent` spaces. `mark` is `?`
 * before the nick of a line kchat cannot vouch for, `badge` says why beyond that (a reused id).
 */
export type LineHead = {time: string; nick?: string; style: LineStyle; mention: boolean; mark: string; badge: string};

export type LineRow = {kind: 'line'; key: string; message: ChatMessage; head: LineHead; first: boolean; indent: number; text: string};

export const FAILED_MARK = '✗';

export function lineStyle(m: ChatMessage): LineStyle {
	if (m.state === 'failed') return 'failed';
	if (m.state === 'pending') return 'pending';
	if (m.type === 'action') return 'action';
	if (m.type === 'message') return 'message';
	return 'event';
}

/** The first row's prefix as plain text: `12:00:00 <bob> `, `12:00:00 * bob `, `12:00:00 -- `, `12:00:00 ?<bob> `. */
export function headText(head: LineHead, type: ChatMessage['type']): string {
	const badge = head.badge ? `${head.badge} ` : '';
	if (head.nick === undefined) return `${head.time} -- ${badge}${head.mark}`;
	return type === 'action' ? `${head.time} * ${head.mark}${head.nick} ${badge}` : `${head.time} ${head.mark}<${head.nick}> ${badge}`;
}

function bodyOf(m: ChatMessage): string {
	if (m.state !== 'failed') return m.text;
	// The reason comes from the engine (a kafkajs error): sanitised here, on one line.
	const reason = sanitizeText(m.error ?? 'not delivered').replace(/\n/g, ' ');
	return `${FAILED_MARK} ${m.text} (${reason})`;
}

/** Wraps a line into rows of at most `width` cells. */
export function layoutLine(m: ChatMessage, width: number, myNick: string): LineRow[] {
	const w = Math.max(1, Math.floor(width));
	const event = isSystemType(m.type) || m.type === 'notice';
	const mention = !event && m.user !== myNick && mentionsNick(m.text, myNick);
	const head: LineHead = {time: formatClock(m.timestamp), style: lineStyle(m), mention, mark: originMark(m), badge: m.duplicateOf === undefined ? '' : DUPLICATE_ID_BADGE};
	if (!event) head.nick = m.user;
	const prefix = headText(head, m.type);
	const prefixWidth = cellWidth(prefix);
	// Continuation rows hang under the text; a prefix wider than half the pane (a long nick) hangs under the time.
	const indent = prefixWidth <= Math.floor(w / 2) ? prefixWidth : Math.min(head.time.length + 1, Math.floor(w / 2));
	const textWidth = Math.max(1, w - indent);
	const body = bodyOf(m);
	const rows: LineRow[] = [];
	const row = (text: string, first: boolean): void => {
		rows.push({kind: 'line', key: `${m.id}\u0000${rows.length}`, message: m, head, first, indent, text});
	};

	if (prefixWidth === indent) {
		wrapText(body, textWidth).forEach((text, i) => row(text, i === 0));
		return rows;
	}
	// The prefix sticks out past the indent: wrap as if the first row began with that many spaces.
	const pad = ' '.repeat(prefixWidth - indent);
	const lines = prefixWidth - indent < textWidth ? wrapText(pad + body, textWidth) : [];
	if (lines[0]?.startsWith(pad)) {
		row(lines[0].slice(pad.length), true);
		for (const text of lines.slice(1)) row(text, false);
	} else {
		// Nothing fits beside the prefix: it gets a row of its own.
		row('', true);
		for (const text of lines.length > 0 ? lines : wrapText(body, textWidth)) row(text, false);
	}
	return rows;
}

type Cached = {width: number; nick: string; rows: LineRow[]};

/** Wrapped rows per message object (a changed message is a new object) and width. */
const cache = new WeakMap<ChatMessage, Cached>();

export function rowsOfLine(m: ChatMessage, width: number, myNick: string): LineRow[] {
	const hit = cache.get(m);
	if (hit && hit.width === width && hit.nick === myNick) return hit.rows;
	const rows = layoutLine(m, width, myNick);
	cache.set(m, {width, nick: myNick, rows});
	return rows;
}
