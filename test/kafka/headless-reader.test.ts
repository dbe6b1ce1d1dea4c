import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Logger} from '../../source/kafka/log-file.js';
import {instance, roomLines, stopAll, uniqueRoom, waitForStore} from '../support/chat-instance.js';
import {groupIds} from '../support/kafka-groups.js';
import {testBrokers} from '../support/test-brokers.js';

// A reader with no screen (`kchat tail`) reads its room with one consumer, which rests until the room is
// opened and then takes it up at once: no QuickReader beside it (a second consumer on the way to the
// first line), and no consumer group (on a cluster with Kafka's default settings, a fresh group waits
// group.initial.rebalance.delay.ms, 3 s, before its first assignment).

const kafka = new Kafka({clientId: 'test-headless', brokers: testBrokers(), logLevel: logLevel.NOTHING});
const admin = kafka.admin();
const producer = kafka.producer({allowAutoTopicCreation: false});

beforeAll(async () => {
	await admin.connect();
	await producer.connect();
});
afterAll(async () => {
	await stopAll();
	await producer.disconnect();
	await admin.disconnect();
});

describe('a headless reader', () => {
	it('reads its room live with one consumer, no QuickReader, and asks the broker for no consumer group', async () => {
		const room = uniqueRoom('headless');
		const requests: string[] = [];
		const consumers = new Set<string>();
		const logger: Logger = {
			debug: text => void (/ Request (\w+)/.exec(text) && requests.push(/ Request (\w+)/.exec(text)![1]!)),
			info: (text, extra) => void (/Consumer has joined the group/.test(text) && consumers.add(String(extra?.['groupId']))),
			warn() {},
			error() {},
			close() {},
		};
		const reader = instance('tailer', {headless: true, presence: false, announce: false, verbose: true, logger});
		await reader.service.join(room, {history: 0});
		await producer.send({topic: room, messages: [{key: 'bob', value: 'hello live'}]});
		await waitForStore(reader.store, () => roomLines(reader.store, room).some(m => m.text === 'hello live'), 20_000, 'the live line');

		const prefix = `kchat.tailer.${reader.service.instanceId}`;
		expect([...consumers]).toEqual([`${prefix}.0`]);
		// FindCoordinator is GroupCoordinator in kafkajs's names.
		for (const api of ['GroupCoordinator', 'JoinGroup', 'SyncGroup', 'Heartbeat', 'OffsetFetch']) expect(requests).not.toContain(api);
		expect(await groupIds(admin, prefix)).toEqual([]);
	});

	it('reads from the offsets it sought: no committed-offset lookup before its first fetch', async () => {
		const room = uniqueRoom('headless-seek');
		await admin.createTopics({waitForLeaders: true, topics: [{topic: room, numPartitions: 3}]});
		await producer.send({topic: room, messages: ['a', 'b', 'c', 'd'].map(text => ({key: 'bob', value: `before ${text}`}))});
		const requests: string[] = [];
		const logger: Logger = {debug: text => void (/ Request (\w+)/.exec(text) && requests.push(/ Request (\w+)/.exec(text)![1]!)), info() {}, warn() {}, error() {}, close() {}};
		const reader = instance('seeker', {headless: true, presence: false, announce: false, verbose: true, logger});
		await reader.service.join(room, {history: 2});
		await producer.send({topic: room, messages: [{key: 'bob', value: 'after'}]});
		await waitForStore(reader.store, () => roomLines(reader.store, room).some(m => m.text === 'after'), 20_000, 'the live line');

		// The two newest of before, then the live one, each once: the history and the live end as sought.
		expect(reader.received.filter(m => m.room === room).map(m => m.text).sort()).toEqual(['after', 'before c', 'before d']);
		expect(requests).toContain('Fetch');
		expect(requests).not.toContain('OffsetFetch');
	});
});
