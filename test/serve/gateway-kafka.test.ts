import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLOSE_CODES} from '../../source/chat/web-protocol.js';
import {instance, stopAll, uniqueRoom, waitForStore} from '../support/chat-instance.js';
import {runCli} from '../support/run-cli.js';
import {testBrokers} from '../support/test-brokers.js';
import {cleanEnv, startServe, type ServeProcess} from './support/serve-process.js';
import {WsPage} from './support/ws-page.js';

// kchat serve as a process (the built binary) on the test broker, driven by pages without a browser.

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-serve-test-'));
const kafka = new Kafka({clientId: 'test-serve', brokers: testBrokers(), logLevel: logLevel.NOTHING});
const producer = kafka.producer({allowAutoTopicCreation: false});
const admin = kafka.admin();
let server: ServeProcess;
const pages: WsPage[] = [];

const open = async (options: Parameters<typeof WsPage.open>[1] = {}): Promise<WsPage> => {
	const page = await WsPage.open(server.wsUrl, options);
	pages.push(page);
	return page;
};

/** `count` records of `size` bytes into `room`, in batches, keyed so they spread over the partitions. */
async function flood(room: string, count: number, size = 200, prefix = 'flood'): Promise<void> {
	for (let sent = 0; sent < count; ) {
		const n = Math.min(1000, count - sent);
		const messages = Array.from({length: n}, (_, i) => ({key: `k${(sent + i) % 7}`, value: `${prefix} ${sent + i} `.padEnd(size, 'x')}));
		await producer.send({topic: room, acks: 1, messages});
		sent += n;
	}
}

async function createRoom(room: string, partitions = 3): Promise<void> {
	await admin.createTopics({waitForLeaders: true, topics: [{topic: room, numPartitions: partitions, configEntries: [{name: 'message.timestamp.type', value: 'LogAppendTime'}]}]});
}

/** Where a page that got these frames resumes: the live positions, moved past every message received. */
function resumeFrom(page: WsPage, room: string): Record<string, string> {
	const positions: Record<string, bigint> = {};
	for (const f of page.frames) {
		if (f.t === 'live' && f.room === room) for (const [p, o] of Object.entries(f.positions)) positions[p] = BigInt(o) > (positions[p] ?? 0n) ? BigInt(o) : (positions[p] ?? 0n);
		if (f.t === 'msgs' && f.room === room) for (const m of f.m) positions[m.partition] = BigInt(m.offset) + 1n > (positions[m.partition] ?? 0n) ? BigInt(m.offset) + 1n : positions[m.partition]!;
	}
	return Object.fromEntries(Object.entries(positions).map(([p, o]) => [p, o.toString()]));
}

beforeAll(async () => {
	await Promise.all([producer.connect(), admin.connect()]);
	server = await startServe(['--send-queue', '16'], {home});
});

afterAll(async () => {
	for (const page of pages) page.close();
	await stopAll();
	await server?.stop();
	await Promise.all([producer.disconnect(), admin.disconnect()]);
	fs.rmSync(home, {recursive: true, force: true});
});

describe('kchat serve and Kafka', () => {
	it('web users are ordinary kchat users: records keyed by nick with kchat headers, presence both ways', async () => {
		const room = uniqueRoom('web');
		const tui = instance('terry');
		const web = await open();
		await web.hello('webby');
		await web.join(room, {announce: true, history: 10});
		await tui.service.join(room);

		web.send({t: 'send', room, id: 'webmsg0001', text: 'hello from the browser', type: 'message'});
		const delivered = await web.waitFor('delivered', f => f.id === 'webmsg0001');
		expect(delivered).toMatchObject({room, partition: expect.any(Number), offset: expect.stringMatching(/^\d+$/)});
		await waitForStore(tui.store, s => s.rooms[room]?.log.get('webmsg0001') !== undefined, 20_000, 'the web message in the terminal user\'s room');
		expect(tui.store.getState().rooms[room]!.log.get('webmsg0001')).toMatchObject({user: 'webby', text: 'hello from the browser', foreign: false});

		await tui.service.send(room, 'hello from the terminal');
		await web.until(() => web.messages(room).find(m => m.text === 'hello from the terminal' && m.user === 'terry'), "terry's message on the page");

		// The record as any Kafka client sees it: key = the nick, kchat headers.
		const {stdout} = await promisify(execFile)('kcat', ['-C', '-b', testBrokers().join(','), '-t', room, '-e', '-q', '-f', '%k|%h|%s\\n']);
		const line = stdout.split('\n').find(l => l.endsWith('|hello from the browser'))!;
		expect(line.split('|')[0]).toBe('webby');
		expect(line).toContain('kchat-id=webmsg0001');
		expect(line).toContain('kchat-user=webby');
		expect(line).toContain('kchat-type=message');
		// The page joined with announce: the same join record as the app writes.
		expect(stdout).toContain('webby joined ' + room);

		// Presence: each in the other's member list.
		await waitForStore(tui.store, s => s.rooms[room]?.members.some(m => m.nick === 'webby') ?? false, 20_000, 'webby in the terminal member list');
		await web.until(() => web.members(room).includes('terry'), 'terry in the page member list');
	});

	it('a page that stops reading is closed with 4008 and, resuming from what it has, gets every record once', async () => {
		const room = uniqueRoom('slow');
		await createRoom(room);
		const page = await open();
		await page.hello('slowpoke');
		await page.join(room, {history: 0});
		page.socket.pause(); // reads nothing more: the gateway's queue for it fills
		const total = 20_000;
		await flood(room, total, 250);
		await new Promise<void>(resolve => setTimeout(resolve, 200));
		page.socket.resume();
		await page.until(() => page.closed, 'the gateway to close the slow page', 30_000);
		expect(page.closed!.code).toBe(CLOSE_CODES.tooSlow);
		expect(page.closed!.reason).toContain('too slow');
		const before = page.messages(room).length;
		expect(before).toBeLessThan(total);

		const again = await open();
		await again.hello('slowpoke');
		await again.join(room, {since: resumeFrom(page, room)});
		await again.until(() => before + again.messages(room).length >= total || undefined, 'the rest of the records', 30_000);
		const ids = [...page.messages(room), ...again.messages(room)].map(m => m.id);
		expect(ids).toHaveLength(total);
		expect(new Set(ids).size).toBe(total);
	});

	it('a page that resumes from further back than the gateway keeps gets the records in between, once', async () => {
		const room = uniqueRoom('rewind');
		await createRoom(room);
		await flood(room, 100, 100, 'before');
		const page = await open();
		await page.hello('returner');
		await page.join(room, {history: 5});
		const since = resumeFrom(page, room);
		page.close();
		// Far more than the gateway keeps of a room (2,000 lines), while the page is away.
		await flood(room, 5000, 100, 'away');
		const watcher = await open();
		await watcher.hello('watcher');
		await watcher.join(room, {history: 1});

		const back = await open();
		await back.hello('returner');
		await back.join(room, {since});
		const texts = back.messages(room).map(m => m.text.trim().replace(/x+$/, ''));
		expect(texts).toHaveLength(5000);
		expect(new Set(texts).size).toBe(5000);
		expect(texts.filter(t => t.startsWith('away'))).toHaveLength(5000);
	});

	it('read marks follow the nick from the page to the terminal app', async () => {
		const room = uniqueRoom('marks');
		const page = await open();
		await page.hello('marker');
		await page.join(room, {announce: true});
		const writer = instance('writer');
		await writer.service.ensureRoom(room);
		const d = await writer.service.send(room, 'read me');
		page.send({t: 'read', room, ts: d.timestamp});
		const tui = instance('marker');
		await tui.service.join(room);
		await waitForStore(tui.store, s => (s.rooms[room]?.readUpTo ?? 0) >= d.timestamp, 20_000, "the page's read mark in the terminal app");
		expect(tui.store.getState().rooms[room]!.unread).toBe(0);
	});

	it('checks every frame: bad names and sizes are refused with the reason, sends outside a room fail', async () => {
		const page = await open();
		await page.hello('checker');
		page.send({t: 'join', room: '../etc'});
		await page.waitFor('error', f => f.error.includes("'/' is not allowed"));
		page.send({t: 'send', room: 'not-joined', id: 'abcdefgh12', text: 'hi', type: 'message'});
		await page.waitFor('failed', f => f.id === 'abcdefgh12' && f.error === 'not in room not-joined');
		page.send({t: 'nick', nick: 'ok-nick'});
		await page.waitFor('nick', f => f.nick === 'ok-nick');
	});
});

describe('kchat serve stopping', () => {
	it('says the pages\' nicks are offline in kchat.presence when it stops', async () => {
		const own = await startServe([], {home});
		const room = uniqueRoom('bye');
		const page = await WsPage.open(own.wsUrl);
		await page.hello('leaver', 'leaverpage0001');
		await page.join(room, {announce: true});
		expect(await own.stop()).toBe(0);
		expect(page.closed?.code).toBe(CLOSE_CODES.goingAway);
		const {stdout} = await promisify(execFile)('kcat', ['-C', '-b', testBrokers().join(','), '-t', 'kchat.presence', '-e', '-q', '-f', '%k %s\n']);
		const last = stdout
			.split('\n')
			.filter(l => l.startsWith('leaver ') && l.includes('"web-leaverpage0001"'))
			.map(l => JSON.parse(l.slice('leaver '.length)) as {status: string; rooms: string[]})
			.at(-1);
		expect(last).toMatchObject({status: 'offline', rooms: []});
	});
});

describe('kchat serve access', () => {
	it('takes the page itself only: Origin and Host are checked, and the subprotocol', async () => {
		expect(await WsPage.status(server.wsUrl)).toBe(101);
		expect(await WsPage.status(server.wsUrl, {origin: 'http://evil.example'})).toBe(403);
		expect(await WsPage.status(server.wsUrl, {origin: null})).toBe(403);
		expect(await WsPage.status(server.wsUrl, {host: `rebound.example:${server.port}`, origin: `http://rebound.example:${server.port}`})).toBe(403);
		const status = await new Promise<number | undefined>((resolve, reject) =>
			http.get(server.url, {headers: {Host: `rebound.example:${server.port}`}}, response => resolve(response.resume().statusCode)).on('error', reject),
		);
		expect(status).toBe(403);
	});

	it('--help anywhere shows the help and serves nothing; bad flags are usage errors', async () => {
		const help = await runCli(['serve', '--port', '0', '--help'], {env: cleanEnv(home), timeoutMs: 15_000});
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('kchat serve [--port 8080] [--host 127.0.0.1]');
		expect(help.stdout).not.toMatch(/^http:\/\/127/m); // no address: nothing was served
		const bad = await runCli(['serve', '--port', 'eighty'], {env: cleanEnv(home)});
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('--port must be a TCP port, from 0 to 65535, not "eighty"');
		const taken = await runCli(['serve', '--port', String(server.port)], {env: cleanEnv(home)});
		expect(taken.code).toBe(1);
		expect(taken.stderr).toContain(`port ${server.port} is already in use on 127.0.0.1`);
	});

	it('on any other address than loopback, it needs KCHAT_SERVE_TOKEN and checks it on the upgrade', async () => {
		const refused = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], {env: cleanEnv(home)});
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain('set KCHAT_SERVE_TOKEN');
		const token = 'a-token-of-some-length-0123';
		const open0 = await startServe(['--host', '0.0.0.0'], {home, env: {KCHAT_SERVE_TOKEN: token}});
		try {
			const wsUrl = `ws://127.0.0.1:${open0.port}/ws`;
			expect(await WsPage.status(wsUrl)).toBe(401);
			expect(await WsPage.status(wsUrl, {token: 'a-token-of-some-length-XXXX'})).toBe(401);
			expect(await WsPage.status(wsUrl, {token})).toBe(101);
			expect((await fetch(`http://127.0.0.1:${open0.port}/auth`)).status).toBe(401);
			expect((await fetch(`http://127.0.0.1:${open0.port}/auth`, {headers: {Authorization: `Bearer ${token}`}})).status).toBe(204);
			// The token is never printed.
			expect(open0.stderr()).not.toContain(token);
		} finally {
			expect(await open0.stop()).toBe(0);
		}
	});
});
