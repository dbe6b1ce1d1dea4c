// The controller quorum loses one of its three voters (the node that leads it, killed -9): the other
// two elect a new leader, and chat goes on, including what only the active controller can do (creating
// a room).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {clusterStatus} from '../../source/broker/index.js';
import {instance, roomLines, stopAll, uniqueRoom, waitForStore} from '../support/chat-instance.js';
import {killNode, quorumLeader, sharedCluster, type TestCluster} from '../support/cluster.js';

let cluster: TestCluster;

beforeAll(async () => {
	cluster = await sharedCluster();
});

afterAll(async () => {
	await stopAll();
	cluster = await sharedCluster(); // the next file gets three nodes again
});

describe('the controller quorum loses a node', () => {
	it('the other two elect a leader; chat goes on, new rooms too', async () => {
		const [alice, bob] = ['alice', 'bob'].map(nick => instance(nick, {brokers: cluster.brokers, ...cluster.security(nick)}));
		const room = uniqueRoom('quorum');
		await alice!.service.join(room);
		await bob!.service.join(room);

		const leader = await quorumLeader(cluster);
		await killNode(cluster, leader);
		// A new quorum leader among the two left (status reads it from their quorum-state files).
		const next = await quorumLeader(cluster);
		expect(next).not.toBe(leader);
		const status = await clusterStatus(cluster.dataDir);
		expect(status?.nodes.filter(n => n.pid !== undefined).map(n => n.id).sort()).toEqual([1, 2, 3].filter(id => id !== leader));

		// Chat goes on in the room they were in...
		for (let i = 0; i < 20; i++) await (i % 2 === 0 ? alice! : bob!).service.send(room, `after the loss ${i}`);
		// ...and in a room created now: creating a topic needs the active controller.
		const fresh = uniqueRoom('quorum-new');
		await alice!.service.join(fresh);
		await bob!.service.join(fresh);
		await bob!.service.send(fresh, 'a new room with two controllers of three');
		for (const x of [alice!, bob!]) {
			await waitForStore(x.store, () => roomLines(x.store, room).length >= 20, 60_000, '20 lines');
			await waitForStore(x.store, () => roomLines(x.store, fresh).length >= 1, 60_000, 'the line in the new room');
			expect(roomLines(x.store, room).map(m => m.text)).toEqual([...Array(20).keys()].map(i => `after the loss ${i}`));
		}
		console.log(`quorum: node ${leader} (the quorum leader) killed, node ${next} leads now; 20 lines and a new room ${fresh} went through`);
	});
});
