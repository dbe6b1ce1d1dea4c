import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Kafka, logLevel, type Message} from 'kafkajs';
import WebSocket from 'ws';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {roomDeletedText, roomReturnedText} from '../../source/chat/room-notices.js';
import {createChatStore, type ChatStore} from '../../source/store/chat-store.js';
import {GatewayClient} from '../../source/web/gateway-client.js';
import {roomLines, uniqueRoom, waitForStore} from '../support/chat-instance.js';
import {createAgain} from '../support/create-again.js';
import {testBrokers} from '../support/test-brokers.js';
import {startServe, type ServeProcess} from './support/serve-process.js';
import {WsPage} from './support/ws-page.js';

// A room deleted and created again while `kchat serve` has pages open in it (issue 14 on issue 11's
// case): the pages are told what the app shows, the gateway's other rooms keep flowing while the topic
// is missing, and the new topic is read from its beginning.

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-serve-deleted-'));
const kafka = new Kafka({clientId: 'test-serve-deleted', brokers: testBrokers(), logLevel: logLevel.NOTHING});
const admin = kafka.admin();
let server: ServeProcess;
const pages: WsPage[] = [];
const clients: GatewayClient[] = [];

// The page's own client code (source/web) with ws as the browser's WebSocket (Node 20 has none without a
// flag), sending the Origin a browser sends for a page of that server.
class PageWebSocket extends WebSocket {
	constructor(url: string, protocols: string[]) {
		super(url, protocols, {headers: {Origin: `http://${new URL(url).host}`}});
	}
}
(globalThis as {WebSocket?: unknown}).WebSocket = PageWebSocket;

const notices = (store: ChatStore, room: string): string[] => (store.getState().rooms[room]?.log.slice() ?? []).filter(m => m.type === 'notice').map(m => m.text);

/** Each send from a producer of its own: a client that knew a deleted topic keeps asking for it. */
async function produce(topic: string, messages: Message[]): Promise<void> {
	const producer = kafka.producer({allowAutoTopicCreation: false});
	await producer.connect();
	try {
		await producer.send({topic, acks: -1, messages});
	} finally {
		await producer.disconnect();
	}
}

async function page(nick: string): Promise<WsPage> {
	const p = await WsPage.open(server.wsUrl);
	pages.push(p);
	await p.hello(nick);
	return p;
}

beforeAll(async () => {
	await admin.connect();
	server = await startServe([], {home});
});

afterAll(async () => {
	for (const p of pages) p.close();
	for (const c of clients) c.close();
	await server?.stop();
	await admin.disconnect();
	fs.rmSync(home, {recursive: true, force: true});
});

describe('kchat serve and a deleted room', () => {
	it('tells its pages as the app does, keeps the other rooms flowing, and reads the new topic from its beginning', async () => {
		const gone = uniqueRoom('gone');
		const other = uniqueRoom('other');
		for (const topic of [gone, other]) await createAgain(admin, topic, 3);
		const watcher = await page('watcher');
		await watcher.join(gone, {history: 10});
		await watcher.join(other, {history: 10});
		// The page as a browser runs it: the same store and notices as the terminal app.
		const store = createChatStore({nick: 'browser', brokers: []});
		const client = new GatewayClient({store, url: server.wsUrl, instance: 'browserinstance1', rooms: [gone]});
		clients.push(client);
		client.connect();
		await waitForStore(store, s => s.rooms[gone]?.status === 'live', 20_000, 'the page live in the room');
		await produce(gone, [{key: 'a', value: 'before the deletion'}]);
		await watcher.until(() => watcher.messages(gone).find(m => m.text === 'before the deletion'), 'the first line');

		await admin.deleteTopics({topics: [gone]});
		const deleted = await watcher.waitFor('room-gone', f => f.room === gone, 'room-gone');
		const deletedText = `room ${gone} was deleted (Kafka: UNKNOWN_TOPIC_OR_PARTITION, no such topic); waiting for it to be created again`;
		expect(roomDeletedText(gone, deleted.reason)).toBe(deletedText);
		await waitForStore(store, () => notices(store, gone).includes(deletedText), 20_000, 'the deletion notice on the page');

		// While the topic is missing, the gateway's other rooms keep flowing.
		await produce(other, [{key: 'b', value: 'the other room meanwhile'}]);
		await watcher.until(() => watcher.messages(other).find(m => m.text === 'the other room meanwhile'), 'the other room while one is deleted');

		await createAgain(admin, gone, 3);
		const back = await watcher.waitFor('room-back', f => f.room === gone, 'room-back');
		const created = new RegExp(`^room ${gone} was created again.*: reading it from the beginning$`);
		expect(roomReturnedText(gone, back.by)).toMatch(created);
		await waitForStore(store, () => notices(store, gone).some(t => created.test(t)), 20_000, 'the notice that the room is back, on the page');
		const after = ['a', 'b', 'c', 'd', 'e', 'f'].map(k => ({key: k, value: `new topic ${k}`}));
		await produce(gone, after);
		// The new topic's offsets start at 0 again: every record of it reaches the page, once.
		await watcher.until(() => after.every(r => watcher.messages(gone).some(m => m.text === r.value)), 'the new topic\'s lines');
		const newLines = watcher.messages(gone).filter(m => m.text.startsWith('new topic'));
		expect(newLines.map(m => m.text).sort()).toEqual(after.map(r => r.value));
		expect(newLines.some(m => m.offset === '0')).toBe(true);
		// The page had read the old topic up to offset 1 of a partition: it takes the new topic's from 0 on.
		const shown = (): string[] => roomLines(store, gone).map(m => m.text).filter(t => t.startsWith('new topic'));
		await waitForStore(store, () => shown().length === after.length, 20_000, 'the new topic\'s lines on the page');
		expect(shown().sort()).toEqual(after.map(r => r.value));

		// A page opening the room now gets the new topic's lines, not the old one's.
		const late = await page('late');
		await late.join(gone, {history: 50});
		expect(late.messages(gone).map(m => m.text).sort()).toEqual(after.map(r => r.value));

		// A page that was away meanwhile resumes with the old topic's offsets (past the new topic's end): it is
		// told the room was created again, and gets the new topic's lines instead of waiting for offset 1000.
		const away = await page('away');
		await away.join(gone, {since: {'0': '1000', '1': '1000', '2': '1000'}, history: 50});
		expect(away.frames.find(f => f.t === 'room-back' && f.room === gone)).toEqual({t: 'room-back', room: gone, by: 'offsets'});
		expect(away.messages(gone).map(m => m.text).sort()).toEqual(after.map(r => r.value));

		await produce(other, [{key: 'c', value: 'the other room after'}]);
		await watcher.until(() => watcher.messages(other).find(m => m.text === 'the other room after'), 'the other room after');
	});
});
