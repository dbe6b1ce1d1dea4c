import {encodeRecord} from '../chat/record-codec.js';
import {BenchProducer, type WireRecord} from '../kafka/bench-clients.js';
import type {BenchContext} from './bench-context.js';
import type {BenchPlan} from './bench-plans.js';
import {chatTextOfSize, simulatedNicks} from './chat-corpus.js';
import {spawnChild} from './child.js';
import {measureE2e} from './e2e.js';
import {measureJoinToLive} from './join-to-live.js';
import {measureTailStart} from './tail-start.js';
import {prepareKafkaTool, runKafkaTool} from './kafka-tool.js';
import type {MemoryResult} from './memory.js';
import {Random} from './random.js';
import {percentile, round} from './stats.js';
import type {IdleResult} from './idle.js';
import type {RenderResult, RenderSamples} from './render.js';
import type {BenchNotes, BenchReport} from './report.js';
import {measureThroughput} from './throughput.js';

/**
 * The `kchat` record of a message: key nick, and headers `kchat-id` (36), `kchat-user` (nick),
 * `kchat-type`, `kchat-sent-at` (13 digits). Kafka's tool gets records of the same sizes.
 */
export const KCHAT_RECORD_SHAPE = {keySize: 8, headers: 4, headerKeySize: 10, headerValueSize: 16};

export async function runBench(ctx: BenchContext, plan: BenchPlan): Promise<{report: BenchReport; notes: Omit<BenchNotes, 'brokers' | 'machine' | 'seconds'>}> {
	const tool = await prepareKafkaTool(line => ctx.progress(line));
	ctx.progress(`e2e: ${plan.e2eMessages} messages at ${plan.e2eRate}/s, ${plan.size} B, acks all…`);
	const e2e = await measureE2e(ctx, {messages: plan.e2eMessages, rate: plan.e2eRate, size: plan.size});
	ctx.progress(`  kchat p50 ${e2e.p50} ms, p99 ${e2e.p99} ms, mean ${e2e.mean} ms${e2e.lost + e2e.failed > 0 ? `, ${e2e.lost} lost, ${e2e.failed} failed` : ''}`);

	ctx.progress(`kafkaE2e: Kafka's EndToEndLatency (kafka-tools ${tool.version}), ${plan.e2eMessages} records of ${plan.size} B, acks all…`);
	const topic = ctx.topicName('kafka-tool');
	await ctx.admin.create(topic, 3);
	const kafkaE2e = await runKafkaTool({
		brokers: ctx.brokers,
		topic,
		messages: plan.e2eMessages,
		acks: 'all',
		recordSize: plan.size,
		...KCHAT_RECORD_SHAPE,
		security: ctx.security,
		tool,
	});
	ctx.progress(`  tool p50 ${kafkaE2e.p50} ms, p99 ${kafkaE2e.p99} ms, average ${kafkaE2e.avg} ms`);

	ctx.progress(`joinToLive: ${plan.joins} joins (+${plan.newRoomJoins} of rooms made after start)…`);
	const joinToLive = await measureJoinToLive(ctx, {joins: plan.joins, newRoomJoins: plan.newRoomJoins});
	ctx.progress(`  p50 ${joinToLive.p50} ms, p99 ${joinToLive.p99} ms`);

	ctx.progress(`tailStartToLive: ${plan.tailStarts} fresh 'kchat tail' processes, start to first live line…`);
	const tailStartToLive = await measureTailStart(ctx, {runs: plan.tailStarts});
	ctx.progress(`  p50 ${tailStartToLive.p50} ms, p99 ${tailStartToLive.p99} ms`);

	ctx.progress(`throughput: steady load at ${plan.rates.join(', ')} msgs/s, ${plan.stepMs / 1000} s each…`);
	const throughput = await measureThroughput(ctx, {rates: plan.rates, stepMs: plan.stepMs, size: plan.size, backlog: plan.backlog});

	ctx.progress(`render: first frame and key-to-frame with ${plan.renderMessages} lines in the room, ${plan.renderRuns} run(s)…`);
	const renders: RenderSamples[] = [];
	for (let i = 0; i < plan.renderRuns; i++) {
		const args = ['--messages', String(plan.renderMessages), '--keys', String(plan.keys), '--busy-keys', String(plan.busyKeys), '--seconds', String(plan.bytesSeconds)];
		const renderChild = spawnChild('render', args);
		renders.push(await renderChild.next<RenderSamples>(180_000));
		await renderChild.exit();
	}
	const render = combineRenders(renders);
	ctx.progress(`  first frame ${render.firstFrameMs} ms, key-to-frame p50 ${render.keyToFrameP50Ms} ms, p99 ${render.keyToFrameP99Ms} ms`);
	ctx.progress(`  at 200 lines/s key-to-frame p50 ${render.busyKeyToFrameP50Ms} ms, p99 ${render.busyKeyToFrameP99Ms} ms; at 50 lines/s ${render.bytesPerSecondAt50} bytes/s written`);

	ctx.progress(`idle: a TUI in ${plan.idleRooms} quiet rooms for ${plan.idleSeconds} s…`);
	const idleRooms = await fillRooms(ctx, plan.idleRooms, plan.idleRooms * 3, plan.size, 'idle');
	const idleChild = spawnChild('idle', [...idleRooms.flatMap(r => ['--room', r]), '--seconds', String(plan.idleSeconds), ...ctx.childArgs()]);
	const idle = await idleChild.next<IdleResult>(plan.idleSeconds * 1000 + 90_000);
	await idleChild.exit();
	ctx.progress(`  ${idle.idleCpuPercent}% of a core`);

	ctx.progress(`memory: ${plan.memoryMessages} messages over ${plan.memoryRooms} rooms…`);
	const rooms = await fillRooms(ctx, plan.memoryRooms, plan.memoryMessages, plan.size, 'memory');
	const memoryChild = spawnChild('memory', [...rooms.flatMap(r => ['--room', r]), '--messages', String(plan.memoryMessages), ...ctx.childArgs()], {nodeArgs: ['--expose-gc']});
	const {loadMs, ...memory} = await memoryChild.next<MemoryResult>(120_000);
	await memoryChild.exit();
	ctx.progress(`  ${memory.rssMB} MB resident (peak ${memory.peakRssMB} MB while loading for ${loadMs} ms, ${memory.baselineRssMB} MB before)`);

	const report: BenchReport = {
		e2e: {p50: e2e.p50, p95: e2e.p95, p99: e2e.p99, max: e2e.max, mean: e2e.mean, count: e2e.count},
		kafkaE2e,
		joinToLive,
		tailStartToLive,
		throughput: {msgsPerSec: throughput.msgsPerSec, catchUpMsgsPerSec: throughput.catchUpMsgsPerSec, maxFps: throughput.maxFps, cpuPercent: throughput.cpuPercent},
		render,
		memory,
		idleCpuPercent: idle.idleCpuPercent,
	};
	return {report, notes: {quick: ctx.quick, e2e, throughput}};
}

/** Several fresh processes' render figures as one: the median first frame and bytes, percentiles over every key. */
function combineRenders(runs: RenderSamples[]): RenderResult {
	const median = <T,>(values: T[], by: (v: T) => number): T => [...values].sort((a, b) => by(a) - by(b))[Math.floor((values.length - 1) / 2)]!;
	const first = median(runs, r => r.firstFrameMs);
	const samples = runs.flatMap(r => r.samples).sort((a, b) => a - b);
	const busy = runs.flatMap(r => r.busySamples).sort((a, b) => a - b);
	return {
		firstFrameMs: first.firstFrameMs,
		mountMs: first.mountMs,
		keyToFrameP50Ms: round(percentile(samples, 0.5)),
		keyToFrameP99Ms: round(percentile(samples, 0.99)),
		keyToFrameMaxMs: round(samples[samples.length - 1] ?? 0),
		keys: samples.length,
		messages: Math.min(...runs.map(r => r.messages)),
		busyKeyToFrameP50Ms: round(percentile(busy, 0.5)),
		busyKeyToFrameP99Ms: round(percentile(busy, 0.99)),
		busyKeys: busy.length,
		bytesPerSecondAt50: median(runs, r => r.bytesPerSecondAt50).bytesPerSecondAt50,
	};
}

/** `rooms` fresh rooms holding `total` kchat records between them, written by one producer in batches. */
export async function fillRooms(ctx: BenchContext, count: number, total: number, size: number, name: string): Promise<string[]> {
	const rooms: string[] = [];
	for (let i = 0; i < count; i++) rooms.push(await ctx.createRoom(`${name}-${i}`));
	const producer = new BenchProducer({brokers: ctx.brokers, logger: ctx.logger, verbose: ctx.verbose, ...ctx.security, acks: 1, clientId: 'kchat-bench-fill'});
	const random = new Random(11);
	const nicks = simulatedNicks(40, random);
	try {
		await producer.connect();
		const per = Math.ceil(total / count);
		let seq = 0;
		for (const room of rooms) {
			for (let sent = 0; sent < per; ) {
				const n = Math.min(1000, per - sent);
				const records: WireRecord[] = [];
				for (let k = 0; k < n; k++) {
					const nick = random.pick(nicks);
					const line = chatTextOfSize({room, nick, others: nicks.slice(0, 8)}, size, random);
					records.push(encodeRecord({id: `${ctx.runId}-m${seq++}`, user: nick, type: line.type, text: line.text, sentAt: Date.now()}));
				}
				await producer.send([{topic: room, records}]);
				sent += n;
			}
		}
	} finally {
		await producer.disconnect();
	}
	return rooms;
}
