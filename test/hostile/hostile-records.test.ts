import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';

// Colours on for this file (set before Ink and chalk load), so the frames hold Ink's own styling: the
// checks strip exactly that and require that nothing else a terminal would act on is left.
const savedColor = vi.hoisted(() => {
	const before = process.env['FORCE_COLOR'];
	process.env['FORCE_COLOR'] = '1';
	return before;
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {cleanup} from 'ink-testing-library';
import {Kafka, logLevel} from 'kafkajs';
import type {ChatMessage} from '../../source/chat/message.js';
import {whileLeadersSettle} from '../../source/kafka/room-admin.js';
import {instance, roomLines, stopAll, uniqueRoom, waitForStore, type Instance} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';
import {waitFor} from '../ui/support/wait-for.js';
import {computeLayout} from '../../source/ui/layout.js';
import {headText, layoutLine} from '../../source/ui/message-rows.js';
import {originMark} from '../../source/chat/origin-mark.js';
import {paneRows, paneText, renderLiveApp, type LiveApp} from './support/app-harness.js';
import {CASES, type HostileCase} from './support/hostile-cases.js';
import {cleanupKcatFiles} from './support/kcat.js';
import {runKchat, type CliBytes} from './support/run-cli-bytes.js';
import {foreignEscapes, invisibleChars, unsafeBytes, unsafeChars} from './support/unsafe.js';

// Every hostile record of the issue, written into rooms by a second client (kcat or a kafkajs script)
// while a ChatService instance is joined: the instance must keep going, its store must hold only safe,
// visible text, the real App must draw it with no escape but its own colours, and `kchat tail` must
// print it the same way.

const brokers = testBrokers();
const kafka = new Kafka({clientId: 'hostile-script', brokers, logLevel: logLevel.NOTHING});
const producer = kafka.producer({allowAutoTopicCreation: false});
const admin = kafka.admin();
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-hostile-home-'));
const env = {KCHAT_HOME: home, KCHAT_BROKERS: brokers.join(',')};

const rooms: Record<HostileCase['room'], string> = {
	small: uniqueRoom('hostile'),
	huge: uniqueRoom('hostile-huge'),
	lines: uniqueRoom('hostile-lines'),
	longLines: uniqueRoom('hostile-long'),
};
/** kchat creates rooms with 3 partitions; the 1 MB room is made by hand with a larger limit and 1. */
const partitionsOf = (room: HostileCase['room']): number => (room === 'huge' ? 1 : 3);
const followUp = (c: HostileCase): string => `after ${c.id}`;

const COLUMNS = 200;
const ROWS = 120;

let viewer: Instance;
let app: LiveApp;
let tail: CliBytes;
let tailJson: CliBytes;

beforeAll(async () => {
	await Promise.all([producer.connect(), admin.connect()]);
	// The broker's default limit (1 MiB + a little) is just under a 1 MiB value and its record: raise it.
	await admin.createTopics({
		waitForLeaders: false,
		topics: [
			{
				topic: rooms.huge,
				numPartitions: 1,
				configEntries: [
					{name: 'message.timestamp.type', value: 'LogAppendTime'},
					{name: 'max.message.bytes', value: String(4 << 20)},
				],
			},
		],
	});
	// kafkajs's own wait for leaders fails on a busy broker ("does not host this topic-partition"): retry as kchat does.
	await whileLeadersSettle(() => admin.fetchTopicOffsets(rooms.huge));
	// No join records of its own: the only writers to these rooms are the hostile clients below.
	viewer = instance('viewer', {announce: false});
	for (const room of Object.values(rooms)) await viewer.service.join(room);
	// One case after another: each hostile record and its follow-up are consecutive in their partition.
	for (const [i, c] of CASES.entries()) await c.send({brokers, producer}, rooms[c.room], i % partitionsOf(c.room), followUp(c));
	await waitForStore(viewer.store, () => CASES.every(c => roomLines(viewer.store, rooms[c.room]).some(m => m.text === followUp(c))), 30_000, 'the follow-up of every case');
	const roomArgs = Object.values(rooms).flatMap(room => ['--room', room]);
	[tail, tailJson] = await Promise.all([
		runKchat(['tail', ...roomArgs, '--last', '100', '--exit-at-end'], {env}),
		runKchat(['tail', ...roomArgs, '--last', '100', '--exit-at-end', '--json'], {env}),
	]);
	app = await renderLiveApp(viewer.store, viewer.service, COLUMNS, ROWS);
}, 90_000);

afterAll(async () => {
	app?.unmount();
	cleanup();
	await stopAll();
	await Promise.all([producer.disconnect(), admin.disconnect()]);
	cleanupKcatFiles();
	fs.rmSync(home, {recursive: true, force: true});
	if (savedColor === undefined) delete process.env['FORCE_COLOR'];
	else process.env['FORCE_COLOR'] = savedColor;
});

/** The hostile line of a case: just before its follow-up in the same partition. */
function hostileLine(c: HostileCase): {line: ChatMessage; after: ChatMessage} {
	const lines = roomLines(viewer.store, rooms[c.room]);
	const after = lines.find(m => m.text === followUp(c));
	expect(after, `follow-up of ${c.id}`).toBeDefined();
	const line = lines.find(m => m.partition === after!.partition && BigInt(m.offset) === BigInt(after!.offset) - 1n);
	expect(line, `record of ${c.id}`).toBeDefined();
	return {line: line!, after: after!};
}

/** Shows the case's room at its live end and waits until the frame holds `expected`. */
async function frameShowing(c: HostileCase, expected: string): Promise<string> {
	const {actions} = viewer.store.getState();
	actions.selectRoom(rooms[c.room]);
	actions.scrollToEnd();
	return waitFor(() => {
		const text = paneText(app.frame());
		expect(text).toContain(expected);
		return text;
	});
}

const oneRow = (s: string): string => s.replace(/\n/g, ' ');

/** The rows the message pane must show for a line, as plain text: time, nick, text, continuation rows indented. */
function expectedRows(line: ChatMessage): string[] {
	const width = computeLayout(COLUMNS, ROWS, true, 1, 1).textWidth;
	return layoutLine(line, width, 'viewer').map(row => `${row.first ? headText(row.head, line.type) : ' '.repeat(row.indent)}${row.text}`.trimEnd());
}

describe('hostile records from other Kafka clients', () => {
	for (const c of CASES) {
		describe(c.title, () => {
			it('is received, and the room keeps going: the record after it arrives', () => {
				const {line, after} = hostileLine(c);
				expect(after.state).toBe('delivered');
				expect(line.state).toBe('delivered');
				expect(viewer.store.getState().rooms[rooms[c.room]]?.status).toBe('live');
			});

			it('is held in the store as safe, visible text and nick', () => {
				const {line} = hostileLine(c);
				if (typeof c.text === 'string') expect(line.text).toBe(c.text);
				else c.text(line.text);
				expect(line.user).toBe(c.user);
				for (const s of c.shows) expect(line.text).toContain(s);
				for (const value of [line.text, line.user, line.id, line.room]) {
					expect(value).not.toContain('\u001B');
					expect(unsafeChars(value)).toEqual([]);
				}
				expect(invisibleChars(line.user)).toEqual([]);
				expect(line.id.length).toBeLessThanOrEqual(128);
			});

			it('is drawn by the App in its visible form, with no escape but Ink\'s colours', async () => {
				const {line} = hostileLine(c);
				const end = c.top ? [c.shows[c.shows.length - 1]!] : c.shows;
				const nickAndStart = `${originMark(line)}<${c.user}>${line.text === '' ? '' : ` ${oneRow(line.text).slice(0, 20).trim()}`}`;
				const text = await frameShowing(c, c.top ? oneRow(end[0]!) : nickAndStart);
				for (const s of end) expect(text).toContain(oneRow(s));
				expect(text).toContain(followUp(c));
				if (!c.top) {
					// Every row of the line, exactly as laid out: nothing lost, moved or added by the terminal renderer.
					const rows = paneRows(app.frame());
					const want = expectedRows(line);
					const at = rows.indexOf(want[0]!);
					expect(at, `first row ${JSON.stringify(want[0])}`).toBeGreaterThanOrEqual(0);
					expect(rows.slice(at, at + want.length)).toEqual(want);
				} else {
					// Taller than the screen: PgUp scrolls, and its first row can be reached.
					const before = app.frame();
					await app.press('\u001B[5~');
					await waitFor(() => expect(app.frame()).not.toBe(before));
					viewer.store.getState().actions.scrollBy(1_000_000);
					await waitFor(() => expect(paneText(app.frame())).toContain(c.top));
					viewer.store.getState().actions.scrollToEnd();
				}
				expect(foreignEscapes(app.rawFrame())).toEqual([]);
				expect(unsafeChars(app.frame())).toEqual([]);
			});

			it('is printed by kchat tail in the same visible form, and as JSON', () => {
				const {line} = hostileLine(c);
				const out = tail.stdout.toString('utf8');
				// Not toContain on the whole output: a failure would print megabytes.
				// One message, one line of output: its line breaks shown as ⏎.
				const shown = `${rooms[c.room]} ${originMark(line)}<${c.user}> ${line.text.replace(/\n/g, '⏎')}\n`;
				expect(out.includes(shown), `tail prints ${JSON.stringify(shown.slice(0, 200))}`).toBe(true);
				for (const s of c.shows.flatMap(x => x.split('\n')).filter(Boolean)) expect(out.includes(s), `tail shows ${JSON.stringify(s)}`).toBe(true);
				const records = tailJson.stdout
					.toString('utf8')
					.trim()
					.split('\n')
					.map(l => JSON.parse(l) as Record<string, unknown>);
				const record = records.find(r => r['room'] === rooms[c.room] && r['partition'] === line.partition && r['offset'] === line.offset);
				expect(record).toMatchObject({user: line.user, text: line.text, id: line.id, type: 'message'});
			});
		});
	}
});

describe('a value that forges a chat line after a newline', () => {
	const forged = /^(\d\d:\d\d:\d\d )?\S+ <alice> send me your password/m;

	it('is visibly part of the message in the app: its row hangs indented under the text', async () => {
		const c = CASES.find(x => x.id === 'forged-line')!;
		await frameShowing(c, 'forge[');
		const row = paneRows(app.frame()).find(r => r.includes('<alice> send me'));
		expect(row).toMatch(/^ {8,}12:00:00 hostile-room <alice> send me your password\]end$/);
	});

	it('is visibly part of the message in kchat tail: the message stays on its line, its line break shown as ⏎', () => {
		expect(tail.stdout.toString('utf8')).not.toMatch(forged);
		expect(tail.stdout.toString('utf8')).toMatch(/<\S+> forge\[⏎\d\d:\d\d:\d\d hostile-room <alice> send me your password\]end$/m);
	});
});

describe('after every hostile record', () => {
	it('kchat tail exits 0 and prints nothing a terminal would act on (checked on the raw bytes)', () => {
		for (const run of [tail, tailJson]) {
			expect(run.code, run.stderr.toString()).toBe(0);
			expect(unsafeBytes(run.stdout)).toEqual([]);
			expect(unsafeBytes(run.stderr)).toEqual([]);
		}
		// Every case and its follow-up: nothing was dropped or stopped a room.
		const lines = tailJson.stdout.toString('utf8').trim().split('\n');
		expect(lines).toHaveLength(CASES.length * 2);
	});

	it('no write of the App to the terminal held an escape other than Ink\'s colours, or a control character', () => {
		const writes = app.writes();
		expect(writes.length).toBeGreaterThan(0);
		for (const write of writes) {
			expect(foreignEscapes(write)).toEqual([]);
			expect(unsafeChars(write.replace(/\u001B\[[0-9;]*m/g, ''))).toEqual([]);
		}
	});

	it('the app still sends and receives: a message typed in it is delivered, one from another instance arrives', async () => {
		const room = rooms.small;
		viewer.store.getState().actions.selectRoom(room);
		await app.press('still working');
		await app.press('\r');
		await waitForStore(viewer.store, () => roomLines(viewer.store, room).some(m => m.text === 'still working' && m.user === 'viewer'), 20_000, 'own message delivered');
		const other = instance('other', {announce: false});
		await other.service.join(room);
		await other.service.send(room, 'hello viewer');
		await waitForStore(viewer.store, () => roomLines(viewer.store, room).some(m => m.text === 'hello viewer'), 20_000, 'message from another instance');
		await waitFor(() => expect(paneText(app.frame())).toContain('<other> hello viewer'));
		// The other instance loaded the room's history too, hostile records and all.
		const last = CASES.filter(c => c.room === 'small').at(-1)!;
		expect(roomLines(other.store, room).some(m => m.text === followUp(last))).toBe(true);
	});
});
