import type {ChatMessage} from '../chat/message.js';
import {sleep, type BenchContext} from './bench-context.js';
import {Random} from './random.js';
import {percentile, round} from './stats.js';

export type JoinToLiveResult = {
	p50: number;
	p99: number;
	max: number;
	count: number;
	/** Of the above: until `join()` resolved (the rest is the probe message on its way). */
	joinP50: number;
	/** Joins of rooms made after the service started (no running consumer covers them yet). */
	newRoomP50: number;
	newRoomP99: number;
	newRoomCount: number;
};

type Sample = {total: number; join: number};

/**
 * Join-to-live: from calling `join(room)` until a message sent after it is received. Each join is of
 * a fresh room holding one line; as soon as `join()` resolves another client sends one message into it,
 * and the sample ends when the joining service has it in its store. Mostly rooms that existed when
 * the service started (the common case: a consumer covers them, paused); a few rooms created after
 * it started, which need a consumer (and a consumer group) of their own.
 */
export async function measureJoinToLive(ctx: BenchContext, options: {joins: number; newRoomJoins: number}): Promise<JoinToLiveResult> {
	const rooms: string[] = [];
	for (let i = 0; i < options.joins; i++) rooms.push(await ctx.createRoom(`join-${i}`));
	let waiting: {text: string; resolve: (at: number) => void} | undefined;
	const onMessages = (messages: ChatMessage[]): void => {
		const now = performance.now();
		if (waiting && messages.some(m => m.text === waiting!.text)) waiting.resolve(now);
	};
	const joiner = ctx.service('bench-joiner', {onMessages});
	const tx = ctx.service('bench-prober');
	try {
		await Promise.all([joiner.service.start(), tx.service.start()]);
		const one = async (room: string, index: number): Promise<Sample> => {
			// The sender knows the room already (metadata, connection): the sample is the join's, not the sender's first send.
			await tx.service.send(room, `warm-up ${index}`);
			const text = `probe ${index}`;
			const arrived = new Promise<number>(resolve => (waiting = {text, resolve}));
			const started = performance.now();
			await joiner.service.join(room);
			const joined = performance.now();
			await tx.service.send(room, text);
			const at = await Promise.race([arrived, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`probe in ${room} not received within 10 s`)), 10_000))]);
			waiting = undefined;
			return {total: at - started, join: joined - started};
		};

		// A person does not join the instant a message arrives: a pause between joins, so a join falls
		// anywhere in the consumer's fetch cycle, not always just after a fetch returned (its worst case).
		const random = new Random(3);
		const covered: Sample[] = [];
		for (const [i, room] of rooms.entries()) {
			await sleep(100 + random.int(200));
			covered.push(await one(room, i));
		}
		const fresh: Sample[] = [];
		for (let i = 0; i < options.newRoomJoins; i++) {
			const room = await ctx.createRoom(`join-new-${i}`);
			await sleep(100 + random.int(200));
			fresh.push(await one(room, options.joins + i));
		}

		const totals = covered.map(s => s.total).sort((a, b) => a - b);
		const joins = covered.map(s => s.join).sort((a, b) => a - b);
		const freshTotals = fresh.map(s => s.total).sort((a, b) => a - b);
		return {
			p50: round(percentile(totals, 0.5)),
			p99: round(percentile(totals, 0.99)),
			max: round(totals[totals.length - 1] ?? 0),
			count: totals.length,
			joinP50: round(percentile(joins, 0.5)),
			newRoomP50: round(percentile(freshTotals, 0.5)),
			newRoomP99: round(percentile(freshTotals, 0.99)),
			newRoomCount: freshTotals.length,
		};
	} finally {
		await Promise.all([ctx.stopService(joiner.service), ctx.stopService(tx.service)]);
	}
}
