import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import kafkajs, {type Admin, type Kafka, type Producer} from 'kafkajs';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../source/chat/message.js';
import {ensureRoom, whileLeadersSettle} from '../../source/kafka/room-admin.js';
import type {ChatStore} from '../../source/store/chat-store.js';
import {instance, roomLines, stopAll, uniqueRoom, waitForStore, type Instance} from '../support/chat-instance.js';
import {createAgain} from '../support/create-again.js';
import {CLI, cleanEnv} from '../support/run-cli.js';
import {testBrokers} from '../support/test-brokers.js';

// Issue 11, case 1: a room deleted and created again while clients are in it. Every message written
// into the new topic must be shown on every client, once, and the rooms must say what happened.

let kafka: Kafka;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
	kafka = new kafkajs.Kafka({clientId: 'room-recreated-test', brokers: testBrokers(), logLevel: kafkajs.logLevel.NOTHING});
	admin = kafka.admin();
	producer = kafka.producer({allowAutoTopicCreation: false});
	await Promise.all([admin.connect(), producer.connect()]);
});

afterEach(stopAll);

afterAll(async () => {
	await Promise.all([admin.disconnect(), producer.disconnect()]);
});

const DELETED = /^room \S+ was deleted \(Kafka: UNKNOWN_TOPIC_OR_PARTITION, no such topic\); waiting for it to be created again$/;
const CREATED = /^room \S+ was created again.*: reading it from the beginning$/;

function notices(store: ChatStore, room: string, pattern: RegExp): ChatMessage[] {
	return (store.getState().rooms[room]?.log.slice() ?? []).filter(m => m.type === 'notice' && pattern.test(m.text));
}

function noticed(x: Instance, room: string, pattern: RegExp, count = 1): Promise<void> {
	return waitForStore(x.store, () => notices(x.store, room, pattern).length >= count, 20_000, `${x.store.getState().nick}: ${pattern}`);
}

function showsAll(x: Instance, room: string, texts: string[]): Promise<void> {
	return waitForStore(x.store, () => {
		const shown = new Set(roomLines(x.store, room).map(m => m.text));
		return texts.every(t => shown.has(t));
	}, 30_000, `${x.store.getState().nick}: ${texts.length} messages`);
}

/** How often each text is in the room's topic now, read from its beginning to its end (as kcat would). */
async function inKafka(room: string): Promise<Map<string, number>> {
	const ends = new Map((await whileLeadersSettle(() => admin.fetchTopicOffsets(room))).map(o => [o.partition, BigInt(o.high)]));
	const found = new Map<string, number>();
	const groupId = `room-recreated-test-${room}`;
	const consumer = kafka.consumer({groupId, allowAutoTopicCreation: false});
	await consumer.connect();
	await consumer.subscribe({topics: [room], fromBeginning: true});
	const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([p]) => p));
	await new Promise<void>(resolve => {
		if (pending.size === 0) return resolve();
		void consumer.run({
			eachMessage: async ({partition, message}) => {
				const text = message.value?.toString() ?? '';
				found.set(text, (found.get(text) ?? 0) + 1);
				if (BigInt(message.offset) + 1n >= ends.get(partition)!) pending.delete(partition);
				if (pending.size === 0) resolve();
			},
		});
	});
	await consumer.disconnect();
	await admin.deleteGroups([groupId]).catch(() => undefined);
	return found;
}

/** How often each text is shown in the room (a message shown twice counts 2). */
function counts(x: Instance, room: string): Map<string, number> {
	const seen = new Map<string, number>();
	for (const m of roomLines(x.store, room)) seen.set(m.text, (seen.get(m.text) ?? 0) + 1);
	return seen;
}

/** The figures of a scenario, and each text once in Kafka and once on every client. */
function check(label: string, room: string, clients: Instance[], texts: string[], kafkaTexts: Map<string, number>): void {
	const shown = clients.map(x => texts.filter(t => counts(x, room).has(t)).length);
	const duplicated = clients.map(x => [...counts(x, room).values()].filter(n => n > 1).length);
	const inKafkaCount = texts.reduce((sum, t) => sum + (kafkaTexts.get(t) ?? 0), 0);
	console.log(`${label}: sent ${texts.length}, shown ${shown.join(' and ')}, in Kafka ${inKafkaCount}, lost ${texts.length - Math.min(...shown)}, duplicated ${Math.max(...duplicated)}`);
	for (const text of texts) expect(kafkaTexts.get(text), `${text} in Kafka`).toBe(1);
	for (const x of clients) for (const text of texts) expect(counts(x, room).get(text), `${text} on ${nickOf(x)}`).toBe(1);
}

/** alice and bob, both in the room. */
async function aliceAndBob(room: string): Promise<[Instance, Instance]> {
	const clients: [Instance, Instance] = [instance('alice'), instance('bob')];
	for (const x of clients) await x.service.join(room);
	return clients;
}

const nickOf = (x: Instance): string => x.store.getState().nick;

/** Messages `${prefix} ${i} from ${nick}` for i in [from, to], the clients taking turns; added to `sent`. */
function sendEach(room: string, clients: Instance[], prefix: string, from: number, to: number, sent: {texts: string[]; deliveries: Promise<unknown>[]}): void {
	for (let i = from; i <= to; i++) {
		for (const x of clients) {
			const text = `${prefix} ${i} from ${nickOf(x)}`;
			sent.texts.push(text);
			sent.deliveries.push(x.service.send(room, text));
		}
	}
}

describe('a room deleted and created again while clients are in it', () => {
	it('both clients say it was deleted and created again, and show all 20 messages of the new topic once', async () => {
		const room = uniqueRoom('recreated');
		const [alice, bob] = await aliceAndBob(room);
		const old = ['old 1 from alice', 'old 2 from bob', 'old 3 from alice'];
		for (const [i, text] of old.entries()) await (i % 2 === 0 ? alice : bob).service.send(room, text);
		await Promise.all([alice, bob].map(x => showsAll(x, room, old)));

		await admin.deleteTopics({topics: [room]});
		await Promise.all([alice, bob].map(x => noticed(x, room, DELETED)));
		expect(alice.store.getState().rooms[room]?.gone).toMatch(/UNKNOWN_TOPIC_OR_PARTITION/);

		await createAgain(admin, room, 3);
		await Promise.all([alice, bob].map(x => noticed(x, room, CREATED)));
		expect(bob.store.getState().rooms[room]?.gone).toBeUndefined();

		const sent = {texts: [] as string[], deliveries: [] as Promise<unknown>[]};
		sendEach(room, [alice, bob], 'new', 1, 10, sent);
		const {texts} = sent;
		await Promise.all(sent.deliveries);
		await Promise.all([alice, bob].map(x => showsAll(x, room, texts)));

		check('deleted, created, 10 from each side', room, [alice, bob], texts, await inKafka(room));
		for (const x of [alice, bob]) {
			for (const text of old) expect(counts(x, room).get(text), `${text} on ${nickOf(x)}`).toBe(1);
			// The old topic's lines stay on screen, before the two system lines.
			const log = x.store.getState().rooms[room]!.log.slice();
			const deleted = log.findIndex(m => DELETED.test(m.text));
			const created = log.findIndex(m => CREATED.test(m.text));
			expect(log.findIndex(m => m.text === old[2])).toBeLessThan(deleted);
			expect(deleted).toBeLessThan(created);
			expect(log.findIndex(m => m.text === texts[0])).toBeGreaterThan(created);
		}
		const order = (x: Instance): string[] => roomLines(x.store, room).map(m => m.text).filter(t => texts.includes(t));
		expect(order(bob)).toEqual(order(alice));
	});

	it('keeps messages typed while the room is gone and delivers them to the new topic (other partitions, records without kchat headers)', async () => {
		const room = uniqueRoom('recreated');
		const [alice, bob] = await aliceAndBob(room);
		// Records from another producer have no kchat-id: they are known by their position, which the new topic reuses.
		const foreignOld = ['kcat old 1', 'kcat old 2'];
		await producer.send({topic: room, messages: foreignOld.map(value => ({key: 'kcat', value, partition: 0}))});
		await Promise.all([alice, bob].map(x => showsAll(x, room, foreignOld)));

		await admin.deleteTopics({topics: [room]});
		await Promise.all([alice, bob].map(x => noticed(x, room, DELETED)));
		const sent = {texts: [] as string[], deliveries: [] as Promise<unknown>[]};
		const {texts, deliveries} = sent;
		sendEach(room, [alice, bob], 'typed while gone', 1, 5, sent);
		// Not failed, not sent anywhere: shown as pending until the room is back.
		const pendingLines = (x: Instance): number => x.store.getState().rooms[room]!.log.slice().filter(m => m.state === 'pending').length;
		expect(pendingLines(alice)).toBe(5);

		await createAgain(admin, room, 1);
		const foreignNew = ['kcat new 1', 'kcat new 2', 'kcat new 3'];
		await producer.send({topic: room, messages: foreignNew.map(value => ({key: 'kcat', value, partition: 0}))});
		await Promise.all([alice, bob].map(x => noticed(x, room, CREATED)));
		sendEach(room, [alice, bob], 'typed after', 6, 10, sent);
		await Promise.all(deliveries);
		await Promise.all([alice, bob].map(x => showsAll(x, room, [...texts, ...foreignNew])));

		check('typed while gone, recreated with 1 partition', room, [alice, bob], [...texts, ...foreignNew], await inKafka(room));
		for (const x of [alice, bob]) {
			for (const text of foreignOld) expect(counts(x, room).get(text), `${text} on ${nickOf(x)}`).toBe(1);
			expect(pendingLines(x)).toBe(0);
		}
	});

	it('notices a room deleted and created again at once (a new topic id) and reads the new topic from its beginning', async () => {
		const room = uniqueRoom('recreated');
		const [alice, bob] = await aliceAndBob(room);
		// Enough records that the old positions are past where the new topic's first records are.
		const old = Array.from({length: 12}, (_, i) => `old ${i + 1}`);
		await Promise.all(old.map(t => alice.service.send(room, t)));
		await Promise.all([alice, bob].map(x => showsAll(x, room, old)));

		await admin.deleteTopics({topics: [room]});
		await createAgain(admin, room, 2);
		const texts = Array.from({length: 20}, (_, i) => `new ${i + 1}`);
		// Written by another producer before the clients look again: they must still see every one.
		await producer.send({topic: room, messages: texts.map((value, i) => ({key: i % 2 ? 'alice' : 'bob', value, headers: {'kchat-id': `fast-${room}-${i}`, 'kchat-user': i % 2 ? 'alice' : 'bob', 'kchat-type': 'message'}}))});
		await Promise.all([alice, bob].map(x => noticed(x, room, CREATED)));
		await Promise.all([alice, bob].map(x => showsAll(x, room, texts)));
		check('deleted and created at once', room, [alice, bob], texts, await inKafka(room));
		for (const x of [alice, bob]) for (const text of old) expect(counts(x, room).get(text)).toBe(1);
	});

	it('a client joining while the room is gone creates it; the client that waited reads it from the beginning', async () => {
		const room = uniqueRoom('recreated');
		const alice = instance('alice');
		await alice.service.join(room);
		await admin.deleteTopics({topics: [room]});
		await noticed(alice, room, DELETED);

		const carol = instance('carol');
		await carol.service.join(room);
		await noticed(alice, room, CREATED);
		const sent = {texts: [] as string[], deliveries: [] as Promise<unknown>[]};
		sendEach(room, [alice, carol], 'after', 1, 10, sent);
		const {texts} = sent;
		await Promise.all(sent.deliveries);
		await Promise.all([alice, carol].map(x => showsAll(x, room, texts)));
		// Carol's join record is in the new topic too: alice reads it from the beginning.
		await waitForStore(alice.store, () => roomLines(alice.store, room, 'join').some(m => m.user === 'carol'), 10_000, 'carol joined');
		check('joined while gone', room, [alice, carol], texts, await inKafka(room));
	});

	it("a deleted room does not stall the client's other rooms", async () => {
		const [gone, other] = [uniqueRoom('recreated'), uniqueRoom('recreated')];
		await ensureRoom(admin, gone, 3);
		await ensureRoom(admin, other, 3);
		// Both exist when alice starts: one consumer reads both.
		const alice = instance('alice');
		const bob = instance('bob');
		await alice.service.join(gone);
		await alice.service.join(other);
		await bob.service.join(other);

		await admin.deleteTopics({topics: [gone]});
		const texts = Array.from({length: 10}, (_, i) => `still here ${i + 1}`);
		for (const text of texts) await bob.service.send(other, text);
		await showsAll(alice, other, texts);
		await noticed(alice, gone, DELETED);
		expect(alice.store.getState().connection.state).toBe('online');
	});

	it('kchat tail says on stderr that the room was deleted and created again, and prints the new topic', async () => {
		const room = uniqueRoom('recreated');
		const alice = instance('alice');
		await alice.service.join(room);
		await alice.service.send(room, 'before');
		const tail = spawn(process.execPath, [CLI, 'tail', '--room', room, '--from-beginning'], {env: cleanEnv({KCHAT_BROKERS: testBrokers().join(',')})});
		try {
			const output = watch(tail);
			await output.stderr(new RegExp(`following ${room}`));
			await output.stdout(/<alice> before/);
			await admin.deleteTopics({topics: [room]});
			await output.stderr(new RegExp(`kchat tail: room ${room} was deleted \\(Kafka: UNKNOWN_TOPIC_OR_PARTITION, no such topic\\); waiting for it to be created again`));
			await createAgain(admin, room, 3);
			await output.stderr(new RegExp(`kchat tail: room ${room} was created again.*: reading it from the beginning`));
			const texts = Array.from({length: 10}, (_, i) => `after ${i + 1}`);
			await Promise.all(texts.map(t => alice.service.send(room, t)));
			await output.stdout(new RegExp(texts.map(t => `<alice> ${t}\n`).join('|')), texts.length);
			const lines = output.text().stdout.split('\n').filter(Boolean);
			for (const text of texts) expect(lines.filter(l => l.endsWith(`<alice> ${text}`))).toHaveLength(1);
			expect(lines.filter(l => l.endsWith('<alice> before'))).toHaveLength(1);
			console.log(`kchat tail across delete and create: sent ${texts.length}, printed ${texts.filter(t => lines.some(l => l.endsWith(`<alice> ${t}`))).length}, duplicated 0`);
		} finally {
			tail.kill('SIGTERM');
		}
	});
});

/** Waits on a child's output for a pattern (`count` matches), as the output arrives: an event, not a sleep. */
function watch(child: ChildProcessWithoutNullStreams) {
	const text = {stdout: '', stderr: ''};
	const waiters: Array<() => void> = [];
	for (const name of ['stdout', 'stderr'] as const) {
		child[name].on('data', (d: Buffer) => {
			text[name] += d.toString();
			for (const w of [...waiters]) w();
		});
	}
	const until = (name: 'stdout' | 'stderr') => (pattern: RegExp, count = 1): Promise<void> =>
		new Promise((resolve, reject) => {
			const global = new RegExp(pattern.source, 'g');
			const check = (): void => {
				if ((text[name].match(global)?.length ?? 0) < count) return;
				waiters.splice(waiters.indexOf(check), 1);
				clearTimeout(timer);
				resolve();
			};
			const timer = setTimeout(() => {
				waiters.splice(waiters.indexOf(check), 1);
				reject(new Error(`kchat tail: no ${pattern} on ${name} within 30 s\nstdout: ${text.stdout}\nstderr: ${text.stderr}`));
			}, 30_000);
			waiters.push(check);
			check();
		});
	return {stdout: until('stdout'), stderr: until('stderr'), text: () => text};
}
