import {randomUUID} from 'node:crypto';
import type {Consumer, ConsumerConfig, Kafka} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import type {RawRecord} from '../../source/chat/message.js';
import {createKafka} from '../../source/kafka/kafka-client.js';
import {nullLogger} from '../../source/kafka/log-file.js';
import {isResting} from '../../source/kafka/paused-consumer-wait.js';
import {RoomConsumers} from '../../source/kafka/room-consumers.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';

// A room joined with its history is streamed by the QuickReader until the long-polling consumer's next
// fetch; that fetch takes the room up from what was delivered, so a history is fetched and decoded once
// (it used to be fetched again from the join's offsets by the long-polling consumer, all of it dropped).

const RECORDS = 2000;
const kafka = createKafka({brokers: testBrokers(), clientId: 'test-handoff', logger: nullLogger});
const admin = kafka.admin();
const topic = uniqueRoom('handoff');
/** Open all along, and quiet: the long-polling consumer's fetches wait their full 2 s on it. */
const quiet = uniqueRoom('handoff-quiet');

beforeAll(async () => {
	await admin.connect();
	await admin.createTopics({topics: [{topic, numPartitions: 3}, {topic: quiet, numPartitions: 1}], waitForLeaders: true});
	const producer = kafka.producer({allowAutoTopicCreation: false});
	await producer.connect();
	for (let sent = 0; sent < RECORDS; sent += 500) {
		await producer.send({topic, messages: Array.from({length: 500}, (_, i) => ({key: `k${(sent + i) % 7}`, value: `line ${sent + i} ${'x'.repeat(80)}`}))});
	}
	await producer.disconnect();
});

afterAll(async () => {
	await admin.deleteTopics({topics: [topic, quiet]}).catch(() => undefined);
	await admin.disconnect();
});

/** Records of `topic` each consumer processed, by group; and a way to wait for a long-polling fetch to start or end. */
function watching(real: Kafka): {kafka: Kafka; processed: Map<string, number>; next(groupId: string, event: 'FETCH_START' | 'FETCH'): Promise<void>} {
	const processed = new Map<string, number>();
	const consumers = new Map<string, Consumer>();
	const wrapped = Object.create(real) as Kafka;
	wrapped.consumer = (config: ConsumerConfig): Consumer => {
		const consumer = real.consumer(config);
		consumers.set(config.groupId, consumer);
		consumer.on(consumer.events.END_BATCH_PROCESS, ({payload}) => {
			if (payload.topic === topic) processed.set(config.groupId, (processed.get(config.groupId) ?? 0) + payload.batchSize);
		});
		return consumer;
	};
	const next = (groupId: string, event: 'FETCH_START' | 'FETCH'): Promise<void> =>
		new Promise(resolve => {
			const consumer = consumers.get(groupId)!;
			const off = consumer.on(consumer.events[event], () => {
				off();
				resolve();
			});
		});
	return {kafka: wrapped, processed, next};
}

describe('a room joined with its history', () => {
	it('is fetched once: the long-polling consumer takes it up where the QuickReader got to', async () => {
		const prefix = `kchat.test-handoff.${randomUUID()}`;
		const {kafka: counting, processed, next} = watching(kafka);
		const delivered: RawRecord[] = [];
		const consumers = new RoomConsumers(counting, prefix, {records: (_t, _p, records) => delivered.push(...records), health: () => {}}, nullLogger);
		try {
			await consumers.cover([topic, quiet]);
			await consumers.openTopic(quiet, [{partition: 0, offset: '0'}]);
			await vi.waitFor(() => expect(isResting(`${prefix}.q.0`)).toBe(true), {timeout: 20_000, interval: 20});
			// Join while the long-polling consumer's fetch is on the wire (a turn after it started: kafkajs builds
			// the request without waiting on anything), so the QuickReader serves the room until the next one.
			await next(`${prefix}.0`, 'FETCH_START');
			await new Promise(resolve => setImmediate(resolve));
			const takeover = next(`${prefix}.0`, 'FETCH_START');
			await consumers.openTopic(topic, [0, 1, 2].map(partition => ({partition, offset: '0'})));
			await vi.waitFor(() => expect(delivered.length).toBeGreaterThanOrEqual(RECORDS), {timeout: 20_000, interval: 20});
			await takeover;
			// The takeover fetch's batches are processed before that consumer starts its next fetch.
			await next(`${prefix}.0`, 'FETCH_START');

			const mine = delivered.filter(r => r.topic === topic);
			expect(mine).toHaveLength(RECORDS);
			expect(new Set(mine.map(r => `${r.partition}:${r.offset}`)).size).toBe(RECORDS);
			// Each record fetched and decoded once, by either consumer (it was twice: all again by the long-polling one).
			expect((processed.get(`${prefix}.q.0`) ?? 0) + (processed.get(`${prefix}.0`) ?? 0)).toBe(RECORDS);
		} finally {
			await consumers.stop();
		}
	});
});
