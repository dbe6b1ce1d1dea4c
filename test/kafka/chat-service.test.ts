import {randomUUID} from 'node:crypto';
import {Kafka, logLevel} from 'kafkajs';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {NickError} from '../../source/kafka/chat-service.js';
import {RoomNameError} from '../../source/kafka/room-admin.js';
import {instance, roomLines, stopAll, uniqueRoom, waitForStore} from '../support/chat-instance.js';
import {groupIds} from '../support/kafka-groups.js';
import {testBrokers} from '../support/test-brokers.js';

const kafka = new Kafka({clientId: 'test-plain', brokers: testBrokers(), logLevel: logLevel.NOTHING});
const admin = kafka.admin();
const plainProducer = kafka.producer({allowAutoTopicCreation: false});

beforeAll(async () => {
	await admin.connect();
	await plainProducer.connect();
});
afterEach(stopAll);
afterAll(async () => {
	await plainProducer.disconnect();
	await admin.disconnect();
});

describe('chat service on a real broker', () => {
	it('delivers every message to every instance exactly once and in the same order', async () => {
		const room = uniqueRoom();
		const [a, b, c] = [instance('alice'), instance('bob'), instance('carol')];
		await a.service.join(room);
		await Promise.all([b.service.join(room), c.service.join(room)]);
		const texts = Array.from({length: 30}, (_, i) => `hello ${i}`);
		await Promise.all(texts.map(t => a.service.send(room, t)));
		for (const x of [a, b, c]) await waitForStore(x.store, s => roomLines(x.store, room).length >= texts.length && s.rooms[room] !== undefined, 20_000, 'all messages');
		const orders = [a, b, c].map(x => roomLines(x.store, room).map(m => m.id));
		expect(orders[0]).toHaveLength(texts.length);
		expect(new Set(orders[0]).size).toBe(texts.length);
		expect(orders[1]).toEqual(orders[0]);
		expect(orders[2]).toEqual(orders[0]);
		expect(roomLines(b.store, room).map(m => m.text).sort()).toEqual([...texts].sort());
		expect(roomLines(b.store, room).every(m => m.user === 'alice' && !m.foreign)).toBe(true);
	});

	it('gives a late joiner the room history, cut to the last N lines', async () => {
		const room = uniqueRoom();
		const a = instance('alice');
		await a.service.join(room);
		for (let i = 0; i < 12; i++) await a.service.send(room, `old ${i}`);
		const late = instance('dave', {historySize: 5});
		await late.service.join(room);
		const lines = late.store.getState().rooms[room]!.log.slice().filter(m => m.type === 'message');
		expect(lines.map(m => m.text)).toEqual(['old 7', 'old 8', 'old 9', 'old 10', 'old 11']);
		expect(late.store.getState().rooms[room]!.status).toBe('live');
	});

	it('stops one room on leave while the other rooms keep streaming', async () => {
		const [r1, r2] = [uniqueRoom(), uniqueRoom()];
		const a = instance('alice');
		const b = instance('bob');
		await a.service.join(r1);
		await a.service.join(r2);
		await b.service.join(r1);
		await b.service.join(r2);
		await a.service.leave(r1);
		expect(a.store.getState().order).toEqual([r2]);
		await b.service.send(r1, 'after leave');
		await b.service.send(r2, 'still here');
		await waitForStore(b.store, () => roomLines(b.store, r1).some(m => m.text === 'after leave'));
		await waitForStore(a.store, () => roomLines(a.store, r2).some(m => m.text === 'still here'));
		expect(a.received.some(m => m.room === r1 && m.text === 'after leave')).toBe(false);
	});

	it('keeps a streaming room flowing while another room is joined', async () => {
		const [busy, other] = [uniqueRoom('busy'), uniqueRoom('other')];
		const a = instance('alice');
		const b = instance('bob');
		await a.service.join(busy);
		await b.service.join(busy);
		// bob sends without pause until alice's join is done and 60 lines are out.
		let joined = false;
		let sent = 0;
		const sending = (async () => {
			while (!joined || sent < 60) await b.service.send(busy, `tick ${sent++}`);
		})();
		await waitForStore(a.store, () => roomLines(a.store, busy).length >= 10);
		// A room made after alice started: its join needs a consumer group of its own, the slow kind.
		await b.service.join(other);
		const before = roomLines(a.store, busy).length;
		await a.service.join(other);
		const during = roomLines(a.store, busy).length - before;
		joined = true;
		await sending;
		await waitForStore(a.store, () => roomLines(a.store, busy).length >= sent);
		// The busy room went on arriving while the other room was being joined, and nothing was lost.
		expect(during).toBeGreaterThan(0);
		expect(roomLines(a.store, busy).map(m => m.text)).toEqual(Array.from({length: sent}, (_, i) => `tick ${i}`));
		expect(a.store.getState().rooms[other]?.status).toBe('live');
	});

	it('shows a record from a plain producer with no key and no headers', async () => {
		const room = uniqueRoom();
		const a = instance('alice');
		await a.service.join(room);
		await plainProducer.send({topic: room, messages: [{value: 'Hello, Kafka Chat!'}, {key: Buffer.from([0xff, 0xfe]), value: Buffer.from([0x66, 0xff, 0x1b, 0x5b, 0x32, 0x4a])}]});
		await waitForStore(a.store, () => roomLines(a.store, room).length >= 2);
		// Two partitions may hold them: find each by what it is, not by position.
		const plain = roomLines(a.store, room).find(m => m.text.startsWith('Hello'));
		const binary = roomLines(a.store, room).find(m => !m.text.startsWith('Hello'));
		expect(plain).toMatchObject({text: 'Hello, Kafka Chat!', user: '?', foreign: true, type: 'message'});
		expect(binary!.user).toBe('?');
		expect(binary!.text).not.toContain('\x1b');
		expect(binary!.text).toContain('\\xFF');
	});

	it('shows a kchat-id seen twice once', async () => {
		const room = uniqueRoom();
		const a = instance('alice');
		await a.service.join(room);
		const headers = {'kchat-id': randomUUID(), 'kchat-user': 'mallory', 'kchat-type': 'message', 'kchat-sent-at': String(Date.now())};
		// Same key, so the same partition: once the marker is in, both copies have been read before it.
		await plainProducer.send({topic: room, messages: [{key: 'mallory', value: 'once', headers}, {key: 'mallory', value: 'once', headers}, {key: 'mallory', value: 'marker'}]});
		await waitForStore(a.store, () => roomLines(a.store, room).some(m => m.text === 'marker'));
		expect(roomLines(a.store, room).filter(m => m.text === 'once')).toHaveLength(1);
	});

	it('refuses bad nicks and room names before any request is sent', async () => {
		// An address where nothing listens: a request would hang or fail with a connection error, not these.
		expect(() => instance('bad nick', {brokers: ['127.0.0.1:1']})).toThrow(NickError);
		expect(() => instance('x'.repeat(33), {brokers: ['127.0.0.1:1']})).toThrow(/too long/);
		const a = instance('alice', {brokers: ['127.0.0.1:1']});
		await expect(a.service.join('no spaces')).rejects.toThrow(RoomNameError);
		await expect(a.service.join('bad/room')).rejects.toThrow(/'\/' is not allowed/);
		await expect(a.service.join('__consumer_offsets')).rejects.toThrow(RoomNameError);
		await expect(a.service.send('x'.repeat(250), 'hi')).rejects.toThrow(/too long/);
		expect(a.store.getState().connection.state).toBe('connecting');
	});

	it('reads its rooms without any consumer group, so none is ever left behind', async () => {
		const room = uniqueRoom();
		const a = instance('groupie');
		await a.service.join(room);
		await a.service.send(room, 'through a consumer of no group');
		await waitForStore(a.store, () => roomLines(a.store, room).some(m => m.text === 'through a consumer of no group' && m.state === 'delivered'), 20_000, 'the line');
		const prefix = `kchat.groupie.${a.service.instanceId}`;
		expect(await groupIds(admin, prefix)).toEqual([]);
		await a.service.stop();
		expect(await groupIds(admin, prefix)).toEqual([]);
	});

	it('shows who is in a room, and two instances of one nick as one member with two instances', async () => {
		const room = uniqueRoom();
		const a = instance('alice');
		const b = instance('bob');
		const b2 = instance('bob');
		await a.service.join(room);
		await b.service.join(room);
		await b2.service.join(room);
		await waitForStore(a.store, s => (s.rooms[room]?.members.length ?? 0) >= 2 && s.rooms[room]!.members.some(m => m.nick === 'bob' && m.instances === 2), 20_000, 'members');
		expect(a.store.getState().rooms[room]!.members.map(m => m.nick)).toEqual(['alice', 'bob']);
		await b2.service.stop();
		await waitForStore(a.store, s => s.rooms[room]!.members.find(m => m.nick === 'bob')?.instances === 1, 20_000, 'bob once');
	});

	it('keeps read positions in Kafka, so unread counts are right after a restart', async () => {
		const room = uniqueRoom();
		const nick = `reader${randomUUID().slice(0, 6)}`;
		const writer = instance('writer');
		await writer.service.join(room);
		await writer.service.send(room, 'seen 1');
		await writer.service.send(room, 'seen 2');
		const first = instance(nick);
		await first.service.join(room);
		// On screen at the live end: read.
		await waitForStore(first.store, s => s.rooms[room]!.readUpTo > 0 && s.rooms[room]!.unread === 0);
		await first.service.stop();
		await writer.service.send(room, 'unseen 1');
		await writer.service.send(room, `unseen 2 for ${nick}`);
		const again = instance(nick);
		expect(await again.service.lastOpenRooms()).toEqual([room]);
		// Not the current room on screen: open another first so this one stays unread.
		await again.service.join(uniqueRoom('elsewhere'));
		await again.service.join(room);
		await waitForStore(again.store, s => s.rooms[room]?.unread === 2, 20_000, 'two unread');
		expect(again.store.getState().rooms[room]!.mentions).toBe(1);
	});
});
