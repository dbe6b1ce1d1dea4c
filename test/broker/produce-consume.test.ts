import {randomUUID} from 'node:crypto';
import {Kafka, logLevel} from 'kafkajs';
import {afterAll, expect, it} from 'vitest';
import {testBrokers} from '../support/test-brokers.js';

const kafka = new Kafka({clientId: 'kchat-test', brokers: testBrokers(), logLevel: logLevel.NOTHING, logCreator: () => () => {}});
const admin = kafka.admin();
const topic = `kchat-test-${randomUUID()}`;

afterAll(async () => {
	await admin.deleteTopics({topics: [topic]}).catch(() => {});
	await admin.disconnect();
});

it('creates a topic, produces a record and consumes it with a fresh group', async () => {
	await admin.connect();
	expect(await admin.createTopics({topics: [{topic, numPartitions: 3, replicationFactor: 1}], waitForLeaders: true})).toBe(true);
	const metadata = await admin.fetchTopicMetadata({topics: [topic]});
	expect(metadata.topics[0]?.partitions).toHaveLength(3);

	const producer = kafka.producer({allowAutoTopicCreation: false});
	await producer.connect();
	await producer.send({topic, messages: [{key: 'ann', value: 'hello, kafka'}]});
	await producer.disconnect();

	const groupId = `kchat-test-${randomUUID()}`;
	const consumer = kafka.consumer({groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100});
	await consumer.connect();
	await consumer.subscribe({topics: [topic], fromBeginning: true});
	const received = new Promise<{key: string | undefined; value: string | undefined}>(resolve => {
		void consumer.run({
			eachMessage: async ({message}) => resolve({key: message.key?.toString(), value: message.value?.toString()}),
		});
	});
	try {
		expect(await received).toEqual({key: 'ann', value: 'hello, kafka'});
	} finally {
		await consumer.disconnect();
	}
	await admin.deleteGroups([groupId]);
});
