import {encodeRecord} from '../chat/record-codec.js';
import {BenchProducer, type WireRecord} from '../kafka/bench-clients.js';
import {waitUntil, sleep, type BenchContext} from './bench-context.js';
import {chatTextOfSize, simulatedNicks} from './chat-corpus.js';
import {spawnChild, type Child} from './child.js';
import {Random} from './random.js';
import type {WindowReport} from './throughput-consumer.js';

export type ThroughputStep = {rate: number; produced: number; achievedRate: number; keptUp: boolean; report: WindowReport};

export type ThroughputResult = {
	/** The highest steady rate the instance took into its store without falling behind. */
	msgsPerSec: number;
	/** How fast it takes in a backlog (a room's whole history), with no producer running beside it. */
	catchUpMsgsPerSec: number;
	/** The most frames a second Ink drew during the steps. */
	maxFps: number;
	/** CPU of the consumer at that rate, in percent of one core. */
	cpuPercent: number;
	/** True when the producer, not the instance, could not go faster. */
	producerBound: boolean;
	steps: ThroughputStep[];
};

/** A step is kept up with when every message is in the store within this long of being sent. */
export const MAX_LAG_MS = 1000;

/**
 * Steady load at rising rates into one room that one kchat instance (another process, with its UI
 * drawn headless) has joined; each step lasts `stepMs`. The instance keeps up when every message of
 * the step reached its store within MAX_LAG_MS of being sent; the first step it does not ends the run.
 */
export async function measureThroughput(ctx: BenchContext, options: {rates: number[]; stepMs: number; size: number; backlog: number}): Promise<ThroughputResult> {
	const room = await ctx.createRoom('throughput');
	const backlogRoom = await ctx.createRoom('backlog');
	const producer = new BenchProducer({brokers: ctx.brokers, logger: ctx.logger, verbose: ctx.verbose, ...ctx.security, acks: 1, clientId: 'kchat-bench-load'});
	const child = spawnChild('throughput', ['--room', room, ...ctx.childArgs()]);
	const random = new Random(7);
	const nicks = simulatedNicks(24, random);
	const texts = Array.from({length: 500}, (_, i) => {
		return chatTextOfSize({room, nick: nicks[i % nicks.length]!, others: nicks.slice(0, 6)}, options.size, random).text;
	});
	let seq = 0;
	const record = (): WireRecord => {
		const i = seq++;
		return encodeRecord({id: `${ctx.runId}-${i}`, user: nicks[i % nicks.length]!, type: 'message', text: texts[i % texts.length]!, sentAt: Date.now()});
	};

	try {
		await producer.connect();
		for (let n = 0; n < options.backlog; n += 1000) {
			await producer.send([{topic: backlogRoom, records: Array.from({length: Math.min(1000, options.backlog - n)}, record)}]);
		}
		await child.next<{ready: boolean}>(60_000);
		const steps: ThroughputStep[] = [];
		let producerBound = false;
		await step(child, producer, room, record, 2000, 1000); // warm-up, not counted
		for (const rate of options.rates) {
			const result = await step(child, producer, room, record, rate, options.stepMs);
			steps.push(result);
			// A step the load generator could not keep to says nothing about the instance: the ceiling is ours.
			const short = result.achievedRate < rate * 0.95;
			const verdict = short ? 'the load generator fell short: stopping here' : result.keptUp ? 'kept up' : 'fell behind';
			ctx.progress(
				`  throughput ${rate}/s: produced ${result.achievedRate}/s, lag p99 ${result.report.p99} ms max ${result.report.max} ms, ${result.report.maxFps} fps, cpu ${result.report.cpuPercent}% → ${verdict}`,
			);
			if (short) {
				producerBound = true;
				break;
			}
			if (!result.keptUp) break;
		}
		const passed = steps.filter(s => s.keptUp && s.achievedRate >= s.rate * 0.95);
		const best = passed[passed.length - 1];
		child.send(`catchup ${backlogRoom} ${options.backlog}`);
		const catchUp = await child.next<{catchUpMs: number; messages: number}>(120_000);
		const catchUpMsgsPerSec = Math.round((catchUp.messages / catchUp.catchUpMs) * 1000);
		ctx.progress(`  backlog: ${catchUp.messages} lines into the store in ${Math.round(catchUp.catchUpMs)} ms: ${catchUpMsgsPerSec}/s`);
		return {
			msgsPerSec: best?.achievedRate ?? 0,
			catchUpMsgsPerSec,
			maxFps: Math.max(0, ...steps.map(s => s.report.maxFps)),
			cpuPercent: best?.report.cpuPercent ?? 0,
			producerBound,
			steps,
		};
	} finally {
		await child.exit();
		await producer.disconnect();
	}
}

/** Records in one produce request of the load generator (~150 B each: well under Kafka's default 1 MB). */
const MAX_BATCH = 2000;

async function step(child: Child, producer: BenchProducer, room: string, record: () => WireRecord, rate: number, ms: number): Promise<ThroughputStep> {
	child.send('mark');
	const base = (await child.next<{marked: number}>(10_000)).marked;
	let produced = 0;
	let inFlight = 0;
	const started = performance.now();
	await new Promise<void>(resolve => {
		const tick = (): void => {
			const elapsed = performance.now() - started;
			// At most MAX_BATCH a request: after a stall of the generator (a loaded machine) what is due would make
			// one request over the broker's message size limit, refused whole.
			const due = Math.min(MAX_BATCH, Math.floor((Math.min(elapsed, ms) * rate) / 1000) - produced);
			if (due > 0 && inFlight < 8) {
				const batch = Array.from({length: due}, record);
				produced += due;
				inFlight++;
				producer
					.send([{topic: room, records: batch}])
					.catch(() => undefined)
					.finally(() => inFlight--);
			}
			// Done; or the load generator is far behind (it cannot go this fast): stop, the step says so.
			if ((elapsed >= ms && produced >= Math.floor((ms * rate) / 1000)) || elapsed > ms * 1.5) resolve();
			else setTimeout(tick, 5);
		};
		tick();
	});
	const handedOver = performance.now();
	await waitUntil(() => inFlight === 0, ms * 2, 'the producer').catch(() => undefined);
	const acknowledged = performance.now();
	// The rate produced; when the broker took long to acknowledge the last of it, the rate it acknowledged
	// (the load generator could not go faster, and the step says nothing about the instance).
	const sending = handedOver - started;
	const window = acknowledged - handedOver > 500 ? acknowledged - started : sending <= ms * 1.05 ? ms : sending;
	const achievedRate = Math.round((produced / window) * 1000);
	// Everything must be in the store within MAX_LAG_MS of being sent; then let a backlog drain.
	let report = await askReport(child);
	const deadline = performance.now() + MAX_LAG_MS;
	while (report.received - base < produced && performance.now() < deadline) {
		await sleep(50);
		report = await askReport(child);
	}
	const keptUp = report.received - base >= produced && report.max <= MAX_LAG_MS;
	// Let a backlog drain before the next step (not long when the generator fell short: there is no next).
	const short = achievedRate < rate * 0.95;
	for (let i = 0; i < (short ? 30 : 200) && report.received - base < produced; i++) {
		await sleep(100);
		report = await askReport(child);
	}
	return {rate, produced, achievedRate, keptUp, report};
}

async function askReport(child: Child): Promise<WindowReport> {
	child.send('report');
	return child.next<WindowReport>(10_000);
}
