// The broker that leads partition 0 of a room is killed (-9) in the middle of a conversation: two
// `kchat send` processes write 500 lines into the room, two chat services read it. Nothing may be lost
// or shown twice, both readers show one order, both senders exit 0. The figure is the longest time a
// reader saw no new message. KCHAT_FAILOVER_KILLS=5 repeats it (the figures in docs/benchmarks.md).
import {describe, expect, it} from 'vitest';
import kafkajs from 'kafkajs';
import {instance, roomLines, uniqueRoom, waitForStore, type Instance} from '../support/chat-instance.js';
import {killNode, partitionLeader, sharedCluster, startSender, untilInSync, useCluster} from '../support/cluster.js';

const kills = Number(process.env['KCHAT_FAILOVER_KILLS'] ?? 1);
const total = 500;
const senders = ['alice', 'bob'];
const readers = ['carol', 'dave'];

const shared = useCluster();

/** A reader and the moments (ms) it got each new chat line. */
type Reader = Instance & {arrivals: number[]};

function reader(nick: string, room: string): Reader {
	const arrivals: number[] = [];
	const x = instance(nick, {
		brokers: shared.cluster.brokers,
		...shared.cluster.security(nick),
		onMessages: messages => {
			for (const m of messages) if (m.room === room && m.type === 'message') arrivals.push(performance.now());
		},
	});
	return {...x, arrivals};
}

/** The longest wait between two chat lines a reader got (a duplicate would count as an arrival, but none are allowed). */
const longestGap = (arrivals: number[]): number => arrivals.slice(1).reduce((max, t, i) => Math.max(max, t - arrivals[i]!), 0);

/** One kill: the room, the conversation, the checks; resolves with the longest gap either reader saw. */
async function leaderKilledMidConversation(round: number): Promise<number> {
	const room = uniqueRoom('failover');
	const [carol, dave] = readers.map(nick => reader(nick, room)) as [Reader, Reader];
	await carol.service.join(room); // creates it: 3 partitions, 3 replicas, min.insync.replicas 2
	await dave.service.join(room);

	// --timeout: how long a sender keeps retrying, counted from its start; on a busy two-core machine a
	// failover and 250 acknowledged sends can take more than the default minute, and this is about loss.
	const writers = senders.map(nick => ({nick, sender: startSender(['--room', room, '--user', nick, '--brokers', shared.cluster.brokers.join(','), '--timeout', '300'], shared.cluster.env(nick))}));
	const typing = (async () => {
		// Both type at a steady pace, a line each every 10 ms, straight through the kill.
		for (let i = 0; i < total / senders.length; i++) {
			for (const {nick, sender} of writers) sender.write(`${nick} says ${i}`);
			await new Promise(resolve => setTimeout(resolve, 10));
		}
	})();

	await waitForStore(carol.store, () => roomLines(carol.store, room).length >= total / 2, 120_000, `${total / 2} lines before the kill`);
	const leader = await partitionLeader(shared.admin, room, 0);
	// The senders' keys (their nicks) hash to partition 0: the kill hits both of them.
	expect(new Set(roomLines(carol.store, room).map(m => m.partition))).toEqual(new Set([0]));
	const killedAt = performance.now();
	const pid = await killNode(shared.cluster, leader);
	await typing;
	const exits = await Promise.all(writers.map(w => w.sender.end()));
	for (const exit of exits) expect(exit.code, exit.stderr).toBe(0);
	for (const r of [carol, dave]) await waitForStore(r.store, () => roomLines(r.store, room).length >= total, 120_000, `${total} lines`);

	const orders = [carol, dave].map(r => roomLines(r.store, room));
	for (const lines of orders) {
		const texts = lines.map(m => m.text);
		expect(texts).toHaveLength(total); // nothing lost
		expect(new Set(lines.map(m => m.id)).size).toBe(total); // nothing twice
		expect(new Set(texts).size).toBe(total);
		for (const nick of senders) {
			const mine = texts.filter(t => t.startsWith(`${nick} `)).map(t => Number(t.split(' ').at(-1)));
			expect(mine).toEqual([...Array(total / senders.length).keys()]); // each sender's lines in the order typed
		}
	}
	expect(orders[1]!.map(m => m.id)).toEqual(orders[0]!.map(m => m.id)); // one order on both
	const gaps = [carol, dave].map(r => longestGap(r.arrivals));
	console.log(
		`leader killed (round ${round + 1}): node ${leader} (pid ${pid}) led ${room}[0]; ${total} sent, ${orders[0]!.length} and ${orders[1]!.length} shown, ` +
			`lost 0, duplicated 0; longest gap ${gaps.map(g => `${(g / 1000).toFixed(2)} s`).join(' and ')}; ` +
			`caught up ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill`,
	);
	await Promise.all([carol, dave].map(r => r.service.stop()));

	// Bring the node back and let it catch up, as an operator would before anything else happens.
	await sharedCluster();
	await untilInSync(shared.admin, [room]);
	return Math.max(...gaps);
}

describe('the leader of partition 0 killed mid-conversation', () => {
	it(`2 senders, 2 readers, ${total} messages: each shown once, in one order; both senders exit 0`, {timeout: kills * 240_000}, async () => {
		// Sanity of the set-up above: the default partitioner puts both senders on partition 0.
		const partitioner = kafkajs.Partitioners.DefaultPartitioner();
		const partitionMetadata = [0, 1, 2].map(partitionId => ({partitionId, leader: partitionId, partitionErrorCode: 0, replicas: [partitionId], isr: [partitionId]}));
		for (const nick of senders) expect(partitioner({topic: 'x', partitionMetadata, message: {key: nick, value: ''}})).toBe(0);

		const gaps: number[] = [];
		for (let round = 0; round < kills; round++) gaps.push(await leaderKilledMidConversation(round));
		const sorted = [...gaps].sort((a, b) => a - b);
		const p50 = sorted[Math.floor((sorted.length - 1) / 2)]!;
		console.log(`failover gap over ${kills} kill(s): p50 ${(p50 / 1000).toFixed(2)} s, max ${(sorted.at(-1)! / 1000).toFixed(2)} s`);
	});
});
