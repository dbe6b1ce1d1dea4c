import {randomUUID} from 'node:crypto';
import type {KafkaMessage} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {createKafka} from '../../source/kafka/kafka-client.js';
import {nullLogger} from '../../source/kafka/log-file.js';
import {isResting, restWhilePaused} from '../../source/kafka/paused-consumer-wait.js';
import {QuickReader} from '../../source/kafka/quick-reader.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';

// A consumer with every partition paused (as the QuickReader is between reads) rests instead of looking
// again every maxWaitTimeInMs, and a resume wakes it: the read starts at once.

const kafka = createKafka({brokers: testBrokers(), clientId: 'test-rest', logger: nullLogger});
const admin = kafka.admin();
const topic = uniqueRoom('rest');

beforeAll(async () => {
	await admin.connect();
	await admin.createTopics({topics: [{topic, numPartitions: 1}], waitForLeaders: true});
	const producer = kafka.producer({allowAutoTopicCreation: false});
	await producer.connect();
	await producer.send({topic, messages: [{value: 'hello'}]});
	await producer.disconnect();
});

afterAll(async () => {
	await admin.deleteTopics({topics: [topic]}).catch(() => undefined);
	await admin.disconnect();
});

describe('a paused consumer rests', () => {
	it('rests while all is paused, and reads at once when resumed', async () => {
		const groupId = `kchat.test-rest.${randomUUID()}`;
		const unrest = restWhilePaused(groupId, 1500);
		const consumer = kafka.consumer({groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200, sessionTimeout: 6000, heartbeatInterval: 1500});
		let joined: () => void = () => {};
		const inGroup = new Promise<void>(resolve => (joined = resolve));
		consumer.on(consumer.events.GROUP_JOIN, () => {
			consumer.pause([{topic}]);
			joined();
		});
		let got: (messages: KafkaMessage[]) => void = () => {};
		const read = new Promise<KafkaMessage[]>(resolve => (got = resolve));
		try {
			await consumer.connect();
			await consumer.subscribe({topics: [topic], fromBeginning: false});
			await consumer.run({autoCommit: false, eachBatch: async ({batch}) => got(batch.messages)});
			await inGroup;
			await vi.waitFor(() => expect(isResting(groupId)).toBe(true), {timeout: 20_000, interval: 20});

			consumer.seek({topic, partition: 0, offset: '0'});
			consumer.resume([{topic}]);
			expect(isResting(groupId)).toBe(false);
			const messages = await read;
			expect(messages.map(m => m.value?.toString())).toEqual(['hello']);
		} finally {
			unrest();
			await consumer.disconnect();
			await admin.deleteGroups([groupId]).catch(() => undefined);
		}
	});

	it('the QuickReader rests between reads, and a page of history is read from a resting consumer', async () => {
		const prefix = `kchat.test-rest.${randomUUID()}`;
		const reader = new QuickReader(kafka, prefix, nullLogger);
		try {
			await reader.cover([topic]);
			await vi.waitFor(() => expect(isResting(`${prefix}.0`)).toBe(true), {timeout: 20_000, interval: 20});
			const got: string[] = [];
			await reader.read(topic, [{partition: 0, from: '0', to: '1'}], (_partition, messages) => got.push(...messages.map(m => m.value?.toString() ?? '')));
			expect(got).toEqual(['hello']);
			await vi.waitFor(() => expect(isResting(`${prefix}.0`)).toBe(true), {timeout: 20_000, interval: 20});
		} finally {
			await reader.stop();
		}
		expect(isResting(`${prefix}.0`)).toBe(false);
	});
});
