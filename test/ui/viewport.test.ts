import {describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../source/chat/message.js';
import {MessageLog} from '../../source/chat/message-log.js';
import {cellWidth} from '../../source/chat/wrap.js';
import {layoutLine} from '../../source/ui/message-rows.js';
import {computeViewport, roomRowsAt, roomViewport, type LogLike, type ViewRow} from '../../source/ui/viewport.js';
import {BASE_TIME, line} from './support/messages.js';

function logOf(messages: ChatMessage[]): MessageLog {
	const log = new MessageLog(100_000);
	for (const m of messages) log.add(m);
	return log;
}

const text = (rows: ViewRow[]) => rows.map(r => (r.kind === 'line' ? r.text : r.kind));

describe('computeViewport', () => {
	it('lays out only the lines that fill the height plus the scroll, from the end', () => {
		const log = logOf(Array.from({length: 50_000}, (_, i) => line('a', 'u', `m${i}`, {timestamp: BASE_TIME + i})));
		let calls = 0;
		const rowsAt = roomRowsAt({width: 60, nick: 'me'});
		const counting = (l: LogLike, i: number) => {
			calls++;
			return rowsAt(l, i);
		};
		const view = computeViewport(log, 20, 0, counting);
		expect(text(view.rows)).toEqual(Array.from({length: 20}, (_, i) => `m${49_980 + i}`));
		expect(calls).toBe(20);
		expect(view.visited).toBe(20);

		calls = 0;
		const scrolled = computeViewport(log, 20, 100, counting);
		expect(text(scrolled.rows)[19]).toBe('m49899');
		expect(scrolled.scroll).toBe(100);
		expect(calls).toBe(120);
	});

	it('clamps the scroll at the top of the log and returns fewer rows than the height when the log is short', () => {
		const log = logOf([line('a', 'u', 'one'), line('a', 'u', 'two'), line('a', 'u', 'three')]);
		const rowsAt = roomRowsAt({width: 60, nick: 'me'});
		// A day row and three lines.
		expect(text(computeViewport(log, 10, 0, rowsAt).rows)).toEqual(['day', 'one', 'two', 'three']);
		const view = computeViewport(log, 2, 50, rowsAt);
		expect(view.scroll).toBe(2);
		expect(text(view.rows)).toEqual(['day', 'one']);
	});

	it('counts wrapped rows: a scroll is in rows, not lines', () => {
		const log = logOf([line('a', 'u', 'x '.repeat(40).trim()), line('a', 'u', 'last')]);
		const view = roomViewport(log, {width: 30, nick: 'me', height: 2, scroll: 1});
		expect(view.rows).toHaveLength(2);
		expect(view.rows.every(r => r.kind === 'line' && r.message.text.startsWith('x'))).toBe(true);
	});
});

describe('layoutLine', () => {
	it('hangs continuation rows under the text and keeps every row within the width', () => {
		const m = line('a', 'alice', 'the quick brown fox jumps over the lazy dog '.repeat(3).trim());
		const rows = layoutLine(m, 40, 'me');
		expect(rows[0]!.first).toBe(true);
		for (const r of rows) {
			const width = (r.first ? cellWidth(`12:00:00 <alice> `) : r.indent) + cellWidth(r.text);
			expect(width).toBeLessThanOrEqual(40);
		}
		expect(rows.slice(1).every(r => r.indent === 17)).toBe(true);
		expect(rows.map(r => r.text).join(' ')).toBe(m.text);
	});

	it('with a nick wider than half the pane, hangs under the time and keeps the text', () => {
		const nick = 'n'.repeat(32);
		const m = line('a', nick, 'short words fill these rows nicely');
		const rows = layoutLine(m, 50, 'me');
		expect(rows.slice(1).every(r => r.indent === 9)).toBe(true);
		const prefix = cellWidth(`12:00:00 <${nick}> `);
		expect(prefix + cellWidth(rows[0]!.text)).toBeLessThanOrEqual(50);
		for (const r of rows.slice(1)) expect(r.indent + cellWidth(r.text)).toBeLessThanOrEqual(50);
		expect(rows.map(r => r.text).filter(Boolean).join(' ')).toBe(m.text);
	});

	it('marks a mention of my nick, not my own lines or presence lines', () => {
		expect(layoutLine(line('a', 'bob', 'hi @me'), 60, 'me')[0]!.head.mention).toBe(true);
		expect(layoutLine(line('a', 'bob', 'hi meme'), 60, 'me')[0]!.head.mention).toBe(false);
		expect(layoutLine(line('a', 'me', 'talking to me'), 60, 'me')[0]!.head.mention).toBe(false);
		expect(layoutLine(line('a', 'bob', 'me joined', {type: 'join'}), 60, 'me')[0]!.head.mention).toBe(false);
	});
});
