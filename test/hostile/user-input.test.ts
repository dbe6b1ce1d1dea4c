import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {cleanup} from 'ink-testing-library';
import {Kafka, logLevel} from 'kafkajs';
import {NICK_RULE, ROOM_NAME_RULE} from '../../source/chat/names.js';
import {NickError} from '../../source/kafka/chat-service.js';
import {RoomNameError, whileLeadersSettle} from '../../source/kafka/room-admin.js';
import {instance, roomLines, stopAll, uniqueRoom, waitForStore} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';
import {waitFor} from '../ui/support/wait-for.js';
import {paneRows, renderLiveApp, type LiveApp} from './support/app-harness.js';
import {runKchat} from './support/run-cli-bytes.js';
import {unsafeBytes} from './support/unsafe.js';

// Bad input from the user: a message over the room's size limit, invalid room names and nicks, and a
// nick that is online twice. Through the real App with a real ChatService as its controller, and the CLI.

const brokers = testBrokers();
const kafka = new Kafka({clientId: 'hostile-user-input', brokers, logLevel: logLevel.NOTHING});
const admin = kafka.admin();
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-hostile-user-'));
const env = {KCHAT_HOME: home, KCHAT_BROKERS: brokers.join(',')};
const apps: LiveApp[] = [];

beforeAll(() => admin.connect());
afterEach(async () => {
	for (const app of apps.splice(0)) app.unmount();
	cleanup();
	await stopAll();
});
afterAll(async () => {
	await admin.disconnect();
	fs.rmSync(home, {recursive: true, force: true});
});

async function app(...args: Parameters<typeof renderLiveApp>): Promise<LiveApp> {
	const a = await renderLiveApp(...args);
	apps.push(a);
	return a;
}

/** A room whose topic takes at most `limit` bytes per record batch (max.message.bytes). */
async function limitedRoom(limit: number): Promise<string> {
	const room = uniqueRoom('limit');
	await admin.createTopics({
		waitForLeaders: false,
		topics: [
			{
				topic: room,
				numPartitions: 1,
				configEntries: [
					{name: 'message.timestamp.type', value: 'LogAppendTime'},
					{name: 'max.message.bytes', value: String(limit)},
				],
			},
		],
	});
	// kafkajs's own wait for leaders fails on a busy broker ("does not host this topic-partition"): retry as kchat does.
	await whileLeadersSettle(() => admin.fetchTopicOffsets(room));
	return room;
}

async function recordsIn(room: string): Promise<number> {
	const offsets = await whileLeadersSettle(() => admin.fetchTopicOffsets(room));
	return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
}

/** The input box's rows: below the panes (whose rows hold their borders), above the status line. A long value shows its end. */
const inputRows = (frame: string): string =>
	frame
		.split('\n')
		.filter(row => !row.includes('│'))
		.slice(0, -1)
		.join('\n');

describe('a message over the broker\'s size limit', () => {
	it('is refused in the app before sending, with the limit, and stays in the input; cut down, it is sent', async () => {
		const room = await limitedRoom(2048);
		const writer = instance('writer', {announce: false});
		await writer.service.join(room);
		const ui = await app(writer.store, writer.service, 120, 30);
		// The longest text the size check lets through: the test then goes 5 characters over it, and back under.
		const fits = (n: number): boolean => {
			try {
				writer.service.checkSize(room, `hello ${'x'.repeat(n - 6)}`);
				return true;
			} catch {
				return false;
			}
		};
		let longest = 6;
		while (fits(longest + 1)) longest++;
		expect(longest).toBeGreaterThan(1500);
		const text = `hello ${'x'.repeat(longest + 5 - 6)}`;
		await ui.press(text);
		await waitFor(() => expect(inputRows(ui.frame())).toContain('xxxxxxxxxx'));
		await ui.press('\r');
		await waitFor(() => expect(ui.frame()).toMatch(/message is too large: \d+ bytes, room \S+ takes at most 2048 bytes \(max\.message\.bytes\)/));
		// Still in the input, not shown as sent, nothing reached Kafka.
		expect(inputRows(ui.frame())).toContain('xxxxxxxxxx');
		expect(writer.store.getState().rooms[room]!.log.slice().filter(m => m.type === 'message')).toEqual([]);
		expect(await recordsIn(room)).toBe(0);
		// Cut by 5 characters, to the longest text the check lets through: the broker takes it (the estimate is
		// on the safe side), and it is delivered as typed.
		// Typed again in one go after Ctrl+U: five Backspaces in a row on a loaded machine can reach
		// ink-text-input before it has re-registered its handler (see source/ui/input-box.tsx).
		const sent = text.slice(0, -5);
		expect(sent).toHaveLength(longest);
		await ui.press('\u0015');
		await waitFor(() => expect(inputRows(ui.frame())).not.toContain('xxxxxxxxxx'));
		await ui.press(sent);
		await waitFor(() => expect(ui.frame()).not.toContain('message is too large'));
		await waitFor(() => expect(inputRows(ui.frame())).toContain('xxxxxxxxxx'));
		await ui.press('\r');
		await waitForStore(writer.store, () => roomLines(writer.store, room).some(m => m.text === sent && m.state === 'delivered'), 20_000, 'the shortened message delivered');
		await waitFor(() => expect(inputRows(ui.frame())).not.toContain('xxxxxxxxxx'));
		expect(await recordsIn(room)).toBe(1);
	});

	it('is refused by ChatService.checkSize and send() with MessageTooLargeError before anything is sent', async () => {
		const room = await limitedRoom(2048);
		const writer = instance('writer', {announce: false});
		await writer.service.join(room);
		expect(() => writer.service.checkSize(room, 'y'.repeat(3000))).toThrow(/message is too large: \d+ bytes, room \S+ takes at most 2048 bytes/);
		await expect(writer.service.send(room, 'y'.repeat(3000))).rejects.toThrow(/message is too large/);
		expect(await recordsIn(room)).toBe(0);
		// The broker's own limit (1 MiB) applies to a room created with the defaults.
		const plain = uniqueRoom('plain');
		await writer.service.join(plain);
		expect(() => writer.service.checkSize(plain, 'z'.repeat(1_100_000))).toThrow(/takes at most 1048588 bytes/);
	});

	it('is refused by kchat send over the default limit before sending, with the limit; nothing is delivered', async () => {
		const room = uniqueRoom('send-big');
		const result = await runKchat(['send', '--room', room, '--user', 'writer'], {env, input: `${'z'.repeat(1_100_000)}\nsmall one\n`});
		const stderr = result.stderr.toString();
		expect(result.code).toBe(1);
		// Not toMatch on the whole of stderr: it echoes the 1 MB message, a failure would print all of it.
		const said = /kchat send: message is too large: \d+ bytes, room \S+ takes at most 1048588 bytes \(max\.message\.bytes\)/.test(stderr);
		expect(said, stderr.slice(0, 300)).toBe(true);
		expect(stderr.includes('1 message(s) not delivered')).toBe(true);
		// The line after it still went.
		expect(result.stdout.toString()).toMatch(new RegExp(`^delivered ${room} \\[\\d\\] @0\\n$`));
		expect(await recordsIn(room)).toBe(1);
	});

	it('is refused by kchat send over a room\'s own smaller limit before sending', async () => {
		const room = await limitedRoom(2048);
		const result = await runKchat(['send', '--room', room, '--user', 'writer'], {env, input: `${'y'.repeat(3000)}\n`});
		expect(result.code).toBe(1);
		expect(result.stderr.toString()).toMatch(/message is too large: \d+ bytes, room \S+ takes at most 2048 bytes/);
	});
});

describe('invalid room names and nicks', () => {
	it('/join and /nick refuse them in the app with the rule, keep the input, and change nothing', async () => {
		const room = uniqueRoom('names');
		const me = instance('namer', {announce: false});
		await me.service.join(room);
		const ui = await app(me.store, me.service, 160, 30);
		const cases: Array<[string, RegExp]> = [
			['/join bad/room', new RegExp(`room name "bad/room" is not valid: '/' is not allowed; ${escape(ROOM_NAME_RULE)}`)],
			['/join caf\u00e9', new RegExp(`room name "café" is not valid: 'é' is not allowed; ${escape(ROOM_NAME_RULE)}`)],
			['/join __consumer_offsets', /room name "__consumer_offsets" is not valid: names starting with "__" are Kafka's internal topics/],
			['/join kchat.presence', /room name "kchat.presence" is not valid: names starting with "kchat." are kchat's own topics/],
			['/join ..', /room name ".." is not valid: "." and ".." are not allowed by Kafka/],
			[`/join ${'r'.repeat(250)}`, new RegExp(`is too long \\(250 characters\\); ${escape(ROOM_NAME_RULE)}`)],
			['/nick bad!nick', new RegExp(`nick "bad!nick" is not valid: '!' is not allowed; ${escape(NICK_RULE)}`)],
			[`/nick ${'n'.repeat(33)}`, new RegExp(`is too long \\(33 characters\\); ${escape(NICK_RULE)}`)],
			// The zero-width space is shown where it is, so the refused nick does not look like a valid one.
			['/nick al\u200Bice', new RegExp(`nick "al<U\\+200B>ice" is not valid: U\\+200B is not allowed; ${escape(NICK_RULE)}`)],
		];
		for (const [input, error] of cases) {
			await ui.press('\u0015'); // Ctrl+U: a fresh input line
			await ui.press(input);
			await ui.press('\r');
			await waitFor(() => expect(ui.frame()).toMatch(error));
			// Kept in the input (the start of it at least: the box shows the end of a long line).
			expect(inputRows(ui.frame())).toContain(input.slice(0, 12));
		}
		expect(me.store.getState().nick).toBe('namer');
		expect(me.store.getState().order).toEqual([room]);
		const topics = await admin.listTopics();
		expect(topics.filter(t => t.startsWith('bad') || t.startsWith('caf') || t === '..' || t.startsWith('rrrr'))).toEqual([]);
		// A valid nick is taken.
		await ui.press('\u0015');
		await ui.press('/nick namer2');
		await ui.press('\r');
		await waitFor(() => expect(me.store.getState().nick).toBe('namer2'));
	});

	it('ChatService refuses them too, before any request', async () => {
		const me = instance('checker', {announce: false});
		await expect(me.service.join('bad room')).rejects.toThrow(RoomNameError);
		await expect(me.service.join('bad room')).rejects.toThrow(ROOM_NAME_RULE);
		expect(() => me.service.setNick('bad nick')).toThrow(NickError);
		expect(() => me.service.setNick('bad nick')).toThrow(NICK_RULE);
		expect(() => instance('bad nick')).toThrow(NICK_RULE);
		expect(me.store.getState().nick).toBe('checker');
	});

	it('kchat send, tail and the app refuse them with the rule and exit code 2, echoing hostile names safely', async () => {
		const hostile = 'x\u001B]0;pwned\u0007\u202Ey';
		const runs = await Promise.all([
			runKchat(['send', '--room', 'bad room', 'hi'], {env}),
			runKchat(['send', '--room', 'ok-room', '--user', 'bad nick', 'hi'], {env}),
			runKchat(['tail', '--room', 'bad/room', '--exit-at-end'], {env}),
			runKchat(['tail', '--room', '__consumer_offsets', '--exit-at-end'], {env}),
			runKchat(['--room', 'bad room', '--user', 'someone'], {env}),
			runKchat(['--user', 'bad!nick', '--room', 'ok-room'], {env}),
			runKchat(['send', '--room', hostile, 'hi'], {env}),
			runKchat(['send', '--room', 'ok-room', '--user', hostile, 'hi'], {env}),
		]);
		const stderr = runs.map(r => r.stderr.toString());
		for (const [i, run] of runs.entries()) {
			expect(run.code, stderr[i]).toBe(2);
			expect(unsafeBytes(run.stderr), stderr[i]).toEqual([]);
			expect(run.stdout.toString()).toBe('');
		}
		expect(stderr[0]).toContain(`kchat send: room name "bad room" is not valid: ' ' is not allowed; ${ROOM_NAME_RULE}`);
		expect(stderr[1]).toContain(`kchat send: nick "bad nick" is not valid: ' ' is not allowed; ${NICK_RULE}`);
		expect(stderr[2]).toContain(`kchat tail: room name "bad/room" is not valid: '/' is not allowed; ${ROOM_NAME_RULE}`);
		expect(stderr[3]).toContain('names starting with "__" are Kafka\'s internal topics');
		expect(stderr[4]).toContain(`room name "bad room" is not valid: ' ' is not allowed; ${ROOM_NAME_RULE}`);
		expect(stderr[5]).toContain(`nick "bad!nick" is not valid: '!' is not allowed; ${NICK_RULE}`);
		expect(stderr[6]).toContain('room name "x␛<U+202E>y" is not valid: U+001B is not allowed');
		expect(stderr[7]).toContain('nick "x␛<U+202E>y" is not valid: U+001B is not allowed');
		const topics = await admin.listTopics();
		expect(topics.filter(t => t.startsWith('bad') || t.startsWith('x'))).toEqual([]);
	});
});

describe('a nick online twice', () => {
	it('is allowed, and marked in everyone\'s member list while both instances run', async () => {
		const room = uniqueRoom('twice');
		const alice1 = instance('alice');
		const alice2 = instance('alice');
		const bob = instance('bob');
		await alice1.service.join(room);
		await alice2.service.join(room);
		await bob.service.join(room);
		const twice = (s: ReturnType<typeof bob.store.getState>) => s.rooms[room]?.members.find(m => m.nick === 'alice')?.instances === 2;
		await waitForStore(bob.store, twice, 20_000, 'alice marked as online twice');
		await waitForStore(alice1.store, twice, 20_000, 'alice sees herself twice');
		const ui = await app(bob.store, bob.service, 120, 24);
		await waitFor(() => expect(ui.frame()).toMatch(/● alice²$/m));
		await waitFor(() => expect(ui.frame()).toMatch(/● bob$/m));
		// /who says it in words.
		await ui.press('/who');
		await ui.press('\r');
		await waitFor(() => expect(paneRows(ui.frame()).join('\n')).toMatch(new RegExp(`-- 2 in ${room}: alice ×2, bob$`, 'm')));
		// Both instances' messages show under the one nick; the mark is what tells them apart from one user.
		await alice2.service.send(room, 'it is me, alice');
		// Across the real broker: wait for bob's store (the event), then for the frame it draws.
		await waitForStore(bob.store, s => s.rooms[room]?.log.slice().some(m => m.text === 'it is me, alice') === true, 20_000, "alice's line at bob's");
		await waitFor(() => expect(ui.frame()).toContain('<alice> it is me, alice'));
		// One of them leaves: the mark goes.
		await alice2.service.stop();
		await waitForStore(bob.store, s => s.rooms[room]?.members.find(m => m.nick === 'alice')?.instances === 1, 20_000, 'alice once again');
		await waitFor(() => expect(ui.frame()).toMatch(/● alice$/m));
		expect(ui.frame()).not.toContain('alice²');
	});
});

function escape(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
