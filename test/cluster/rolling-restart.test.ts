// A rolling restart: each node in turn is stopped cleanly and started again, waiting until every
// replica is back in sync before the next one, while two people keep chatting. Nothing may be lost or
// shown twice, and both see one order.
import {describe, expect, it} from 'vitest';
import type {Delivery} from '../../source/kafka/chat-service.js';
import {PRESENCE_TOPIC, READMARKS_TOPIC} from '../../source/kafka/room-admin.js';
import {instance, roomLines, uniqueRoom, waitForStore} from '../support/chat-instance.js';
import {sharedCluster, stopNode, untilInSync, useCluster} from '../support/cluster.js';

const shared = useCluster();

describe('rolling restart of the three nodes', () => {
	it('two clients chat all through it: nothing lost or duplicated, one order', async () => {
		const room = uniqueRoom('rolling');
		const people = ['alice', 'bob'].map(nick => ({nick, ...instance(nick, {brokers: shared.cluster.brokers, ...shared.cluster.security(nick)})}));
		for (const p of people) await p.service.join(room);

		// Both keep talking, a line each every 50 ms, until the last node is back.
		const deliveries: Promise<Delivery>[] = [];
		let talking = true;
		let sent = 0;
		const conversation = (async () => {
			while (talking) {
				for (const p of people) deliveries.push(p.service.send(room, `${p.nick} line ${sent}`));
				sent++;
				await new Promise(resolve => setTimeout(resolve, 50));
			}
		})();

		const restarted: number[] = [];
		for (const node of [1, 2, 3]) {
			const before = sent;
			await stopNode(shared.cluster, node);
			await sharedCluster(); // starts the node that is down
			// kchat's own topics too; it uses no consumer group, so __consumer_offsets need not even exist.
			await untilInSync(shared.admin, [room, PRESENCE_TOPIC, READMARKS_TOPIC]);
			restarted.push(node);
			// The conversation went on while this node was away.
			expect(sent).toBeGreaterThan(before);
		}
		talking = false;
		await conversation;
		await Promise.all(deliveries);

		const total = sent * people.length;
		for (const p of people) await waitForStore(p.store, () => roomLines(p.store, room).length >= total, 60_000, `${total} lines`);
		const orders = people.map(p => roomLines(p.store, room));
		for (const lines of orders) {
			expect(lines).toHaveLength(total);
			expect(new Set(lines.map(m => m.id)).size).toBe(total);
			for (const p of people) {
				const mine = lines.filter(m => m.user === p.nick).map(m => Number(m.text.split(' ').at(-1)));
				expect(mine).toEqual([...Array(sent).keys()]);
			}
		}
		expect(orders[1]!.map(m => m.id)).toEqual(orders[0]!.map(m => m.id));
		expect(restarted).toEqual([1, 2, 3]);
		console.log(`rolling restart: nodes ${restarted.join(', ')} restarted one by one; ${total} lines sent, ${orders[0]!.length} and ${orders[1]!.length} shown, lost 0, duplicated 0`);
	});
});
