import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort, startBroker, stopBroker, type StartResult} from '../../source/broker/index.js';
import {clusterProbe as probe} from '../../source/kafka/cluster-probe.js';
import {instance, roomLines, stopAll, uniqueRoom, waitForStore} from '../support/chat-instance.js';

// A broker of this file's own, so killing it does not disturb the other tests.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-fault-broker-'));
let broker: StartResult;

beforeAll(async () => {
	broker = await startBroker({port: await freePort(), dataDir, heap: '384m', probe});
}, 120_000);

afterAll(async () => {
	await stopAll();
	await stopBroker(dataDir).catch(() => undefined);
	fs.rmSync(dataDir, {recursive: true, force: true});
}, 60_000);

/** Resolves when the process is gone: a SIGKILLed broker is not our child, so there is no exit event to await. */
async function gone(pid: number): Promise<void> {
	for (;;) {
		try {
			process.kill(pid, 0);
		} catch {
			return;
		}
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

describe('broker killed and restarted mid-conversation', () => {
	it('two clients exchange 500 messages across kill -9 and restart: each shown exactly once, same order on both', async () => {
		const room = uniqueRoom('fault');
		const alice = instance('alice', {brokers: [broker.bootstrap]});
		const bob = instance('bob', {brokers: [broker.bootstrap]});
		await alice.service.join(room);
		await bob.service.join(room);

		const total = 500;
		const deliveries: Promise<unknown>[] = [];
		const send = (i: number): void => {
			const [who, name] = i % 2 === 0 ? [alice, 'alice'] : [bob, 'bob'];
			deliveries.push(who.service.send(room, `${name} says ${i}`));
		};
		// The first half before the crash, delivered.
		for (let i = 0; i < total / 2; i++) send(i);
		await Promise.all(deliveries);

		process.kill(broker.pid, 'SIGKILL');
		await gone(broker.pid);
		const downAt = performance.now();
		// The second half is typed while the broker is down: it must wait in the outbox, in order.
		for (let i = total / 2; i < total; i++) send(i);
		await waitForStore(alice.store, s => s.connection.state !== 'online', 30_000, 'alice to notice the outage');
		const noticedAt = performance.now();

		broker = await startBroker({port: broker.port, dataDir, heap: '384m', probe});
		const upAt = performance.now();
		const both = Promise.all([alice, bob].map(x => waitForStore(x.store, () => roomLines(x.store, room).length >= total, 90_000, `${total} lines`)));
		await both;
		const recoveredAt = performance.now();
		await Promise.all(deliveries);

		const orders = [alice, bob].map(x => roomLines(x.store, room));
		for (const lines of orders) {
			const texts = lines.map(m => m.text);
			expect(new Set(texts).size).toBe(total); // nothing twice
			expect(texts).toHaveLength(total); // nothing lost
			// Each sender's own messages keep their order.
			for (const name of ['alice', 'bob']) {
				const mine = texts.filter(t => t.startsWith(name)).map(t => Number(t.split(' ').at(-1)));
				expect(mine).toEqual([...mine].sort((a, b) => a - b));
			}
		}
		expect(orders[1]!.map(m => m.id)).toEqual(orders[0]!.map(m => m.id));
		console.log(
			`broker restart: sent ${total}, shown ${orders[0]!.length} and ${orders[1]!.length}, lost 0, duplicated 0; ` +
				`outage seen after ${(noticedAt - downAt).toFixed(0)} ms, down ${(upAt - downAt).toFixed(0)} ms, recovered ${(recoveredAt - upAt).toFixed(0)} ms after the broker was back`,
		);
	}, 240_000);
});
