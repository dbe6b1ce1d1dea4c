import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {cellWidth} from '../../source/chat/wrap.js';
import {BASE_TIME, joinRooms, line} from './support/messages.js';
import {renderApp} from './support/render-app.js';
import {waitFor} from './support/wait-for.js';

afterEach(() => cleanup());

/** The message pane's rows (between the room list and the member list), right-trimmed. */
function pane(frame: string): string[] {
	return frame
		.split('\n')
		.map(row => /^.{19}│ ?(.*?)\s*│/.exec(row)?.[1])
		.filter((row): row is string => row !== undefined && row !== '');
}

describe('message lines', () => {
	it('shows time, nick and text; actions; join, leave and notices; own pending and failed lines', async () => {
		const at = (s: number) => BASE_TIME + s * 1000;
		const app = await renderApp({
			setup: s => {
				joinRooms(s, 'a');
				s.getState().actions.receive([
					line('a', 'alice', 'hello', {timestamp: at(1)}),
					line('a', 'alice', 'waves', {type: 'action', timestamp: at(2)}),
					line('a', 'bob', 'bob joined a', {type: 'join', timestamp: at(3)}),
					line('a', 'me', 'on its way', {state: 'pending', partition: -1, offset: '-1', timestamp: at(4)}),
					line('a', 'me', 'lost', {state: 'failed', error: 'broker down', partition: -1, offset: '-1', timestamp: at(5)}),
				]);
			},
		});
		const rows = pane(app.frame());
		expect(rows.slice(-5)).toEqual(['12:00:01 <alice> hello', '12:00:02 * alice waves', '12:00:03 -- bob joined a', '12:00:04 <me> on its way', '12:00:05 <me> ✗ lost (broker down)']);
		// A pending line settles in place.
		const pending = app.store.getState().rooms['a']!.log.at(3)!;
		app.store.getState().actions.updateMessage('a', pending.id, {state: 'delivered', partition: 0, offset: '99'});
		await waitFor(() => expect(pane(app.frame())).toContain('12:00:04 <me> on its way'));
	});

	it('wraps by terminal cells: wide CJK and emoji, continuation rows under the text', async () => {
		const cjk = '日本語のテキスト'.repeat(6); // 48 wide characters: 96 cells
		const app = await renderApp({
			setup: s => {
				joinRooms(s, 'a');
				s.getState().actions.receive([line('a', 'kana', cjk), line('a', 'emo', '👍🎉 '.repeat(12).trim())]);
			},
		});
		const rows = pane(app.frame());
		// 61 cells of text; `12:00:0N <kana> ` is 16, so 45 cells = 22 wide characters a row.
		const kana = rows.findIndex(r => r.includes('<kana>'));
		expect(rows[kana]).toBe(`${rows[kana]!.slice(0, 16)}${cjk.slice(0, 22)}`);
		expect(rows[kana + 1]).toBe(`${' '.repeat(16)}${cjk.slice(22, 44)}`);
		expect(rows[kana + 2]).toBe(`${' '.repeat(16)}${cjk.slice(44)}`);
		for (const row of app.frame().split('\n')) expect(cellWidth(row)).toBeLessThanOrEqual(100);
		const emo = rows.findIndex(r => r.includes('<emo>'));
		expect(rows.slice(emo).join('')).toContain('👍🎉');
		expect(rows.length - emo).toBe(2);
	});

	it('a day-change line between days and a "new messages" marker where the unread lines began', async () => {
		const day1 = new Date(2026, 0, 5, 23, 59).getTime();
		const day2 = new Date(2026, 0, 6, 0, 1).getTime();
		const app = await renderApp({
			setup: s => {
				joinRooms(s, 'a', 'b');
				s.getState().actions.receive([line('a', 'alice', 'late', {timestamp: day1}), line('a', 'alice', 'early', {timestamp: day2})]);
			},
		});
		const rules = (rows: string[]) => rows.map(r => r.replace(/ ─{10,}$/, ' ──'));
		expect(rules(pane(app.frame()))).toEqual(['─── Mon 5 Jan 2026 ──', '23:59:00 <alice> late', '─── Tue 6 Jan 2026 ──', '00:01:00 <alice> early']);

		// Lines that arrive in b while a is on screen are unread; opening b puts the marker above them.
		app.store.getState().actions.receive([line('b', 'bob', 'read before', {timestamp: day2 + 1000})]);
		app.store.getState().actions.setReadMark('b', day2 + 1000);
		app.store.getState().actions.receive([line('b', 'bob', 'first new', {timestamp: day2 + 2000}), line('b', 'bob', 'second new', {timestamp: day2 + 3000})]);
		await app.press('\u001B2');
		await waitFor(() => expect(pane(app.frame())).toContain('00:01:03 <bob> second new'));
		expect(rules(pane(app.frame())).slice(-4)).toEqual(['00:01:01 <bob> read before', '─── new messages ──', '00:01:02 <bob> first new', '00:01:03 <bob> second new']);
	});
});

describe('the room opened at start', () => {
	it('gets the "new messages" marker above the lines newer than its read mark, and counts them while its history loads', async () => {
		const at = (m: number) => BASE_TIME + m * 60_000;
		const app = await renderApp({
			setup: s => {
				const {actions} = s.getState();
				// As the engine opens it: joining (and so current), the read mark from Kafka, history, then live.
				actions.roomJoining('a');
				actions.setReadMark('a', at(2));
				actions.receive([line('a', 'alice', 'read one', {timestamp: at(1)}), line('a', 'alice', 'read two', {timestamp: at(2)}), line('a', 'bob', 'unread one', {timestamp: at(3)}), line('a', 'bob', 'unread two', {timestamp: at(4)})]);
				expect(s.getState().rooms['a']!.unread).toBe(2);
				actions.roomLive('a');
			},
		});
		const rows = pane(app.frame()).map(r => r.replace(/ ─{10,}$/, ' ──'));
		expect(rows.slice(-5)).toEqual(['12:01:00 <alice> read one', '12:02:00 <alice> read two', '─── new messages ──', '12:03:00 <bob> unread one', '12:04:00 <bob> unread two']);
		// On screen at the live end: read now, as any room opened.
		expect(app.store.getState().rooms['a']!.unread).toBe(0);
	});
});

describe('room list markers', () => {
	it('unread counts, a mention marker, joining and failed rooms', async () => {
		const app = await renderApp({
			setup: s => {
				joinRooms(s, 'a', 'b', 'c');
				s.getState().actions.roomJoining('d');
				s.getState().actions.roomJoining('e');
				s.getState().actions.roomFailed('e', 'no such room');
			},
		});
		const {actions} = app.store.getState();
		actions.receive([line('b', 'bob', 'one'), line('b', 'bob', 'two'), line('c', 'carol', 'hey @me look'), line('a', 'alice', 'seen at once')]);
		await waitFor(() => expect(app.frame()).toMatch(/^2 b +2│/m));
		const frame = app.frame();
		expect(frame).toMatch(/^1 a +│/m);
		expect(frame).toMatch(/^3 c +1@│/m);
		expect(frame).toMatch(/^4 d… +│/m);
		expect(frame).toMatch(/^5 e✗ +│/m);
		// Opening a room reads it.
		await app.press('\u001B3');
		await waitFor(() => expect(app.frame()).toMatch(/^3 c +│/m));
	});

	it('rings the bell for a mention in a room not on screen, not with --no-bell', async () => {
		const withBell = await renderApp({setup: s => joinRooms(s, 'a', 'b')});
		withBell.store.getState().actions.receive([line('b', 'bob', 'me: ping')]);
		await waitFor(() => expect(withBell.writes().some(w => w.startsWith('\u0007'))).toBe(true));
		const bells = withBell.writes().filter(w => w.startsWith('\u0007')).length;
		// Not for a plain line, nor for a mention in the room on screen.
		withBell.store.getState().actions.receive([line('b', 'bob', 'plain'), line('a', 'alice', 'me: here')]);
		await waitFor(() => expect(withBell.frame()).toContain('me: here'));
		expect(withBell.writes().filter(w => w.startsWith('\u0007')).length).toBe(bells);

		const quiet = await renderApp({bell: false, setup: s => joinRooms(s, 'a', 'b')});
		quiet.store.getState().actions.receive([line('b', 'bob', 'me: ping')]);
		await waitFor(() => expect(quiet.frame()).toMatch(/^2 b +1@│/m));
		expect(quiet.writes().some(w => w.includes('\u0007'))).toBe(false);
	});
});
