import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {ensureRoom} from '../../source/kafka/room-admin.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';

// Joining a room that exists is on the way to every command's first line (`kchat tail`, `send`, a
// join in the app): it asks for that room's metadata alone. Listing every topic (on a new connection
// kafkajs reads the metadata of all of them twice; hundreds of rooms on a shared cluster) is only for
// a room that has to be created, to say why Kafka refuses a name that collides with another.

const kafka = new Kafka({clientId: 'test-room-admin', brokers: testBrokers(), logLevel: logLevel.NOTHING});
const setup = kafka.admin();

beforeAll(async () => setup.connect());
afterAll(async () => setup.disconnect());

describe('ensureRoom', () => {
	it('takes a room that exists without listing every topic', async () => {
		const room = uniqueRoom('exists');
		await setup.createTopics({waitForLeaders: true, topics: [{topic: room, numPartitions: 2}]});
		const admin = kafka.admin();
		await admin.connect();
		try {
			const listTopics = vi.spyOn(admin, 'listTopics');
			expect(await ensureRoom(admin, room, 3)).toBe(false);
			expect(listTopics).not.toHaveBeenCalled();
		} finally {
			await admin.disconnect();
		}
	});
});
