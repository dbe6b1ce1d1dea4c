import {describe, expect, it} from 'vitest';
import {validateNick} from '../../source/chat/names.js';
import {HEADER_TYPE, HEADER_USER} from '../../source/chat/record-codec.js';
import {chatLine, chatTextOfSize, simulatedNicks} from '../../source/bench/chat-corpus.js';
import {e2eText} from '../../source/bench/e2e.js';
import {parseToolOutput} from '../../source/bench/kafka-tool.js';
import {Random} from '../../source/bench/random.js';
import {formatReport, ratio, targets, type BenchReport} from '../../source/bench/report.js';
import {Simulation} from '../../source/bench/simulation.js';
import {percentile, summarize} from '../../source/bench/stats.js';
import {parseDuration} from '../../source/commands/simulate.js';
import type {TopicRecords} from '../../source/kafka/bench-clients.js';
import {PRESENCE_TOPIC} from '../../source/kafka/room-admin.js';

describe('bench figures', () => {
	it('takes nearest-rank percentiles', () => {
		const samples = Array.from({length: 100}, (_, i) => i + 1);
		expect(percentile(samples, 0.5)).toBe(50);
		expect(percentile(samples, 0.99)).toBe(99);
		expect(percentile([], 0.5)).toBe(0);
		expect(summarize([3, 1, 2])).toEqual({p50: 2, p95: 3, p99: 3, max: 3, mean: 2, count: 3});
	});

	it("reads Kafka's EndToEndLatency output", () => {
		const output = ['0\t95.32', '1000\t1.72', 'Avg latency: 1.8253 ms', 'Percentiles: 50th = 1, 99th = 9, 99.9th = 21'].join('\n');
		expect(parseToolOutput(output)).toEqual({avg: 1.8253, p50: 1, p99: 9, p999: 21});
		expect(parseToolOutput('Exception in thread "main"')).toBeUndefined();
	});

	it('pads e2e messages to the record size and keeps the sequence number first', () => {
		expect(e2eText(42, 100, 1_700_000_000_123.25)).toHaveLength(100);
		expect(e2eText(42, 100, 1_700_000_000_123.25)).toMatch(/^e2e 42 1700000000123\.250 x+$/);
	});

	it('compares with the tool as printed, and checks each target', () => {
		expect(ratio(6, 3)).toBe(2);
		expect(ratio(1, 0)).toBe(Infinity);
		const report: BenchReport = {
			e2e: {p50: 1, p95: 2, p99: 5, max: 20, mean: 1.2, count: 10_000},
			kafkaE2e: {p50: 0, p99: 9, p999: 20, avg: 1.5, count: 10_000},
			joinToLive: {p50: 60, p99: 120, max: 130, count: 20, joinP50: 55, newRoomP50: 40, newRoomP99: 50, newRoomCount: 5},
			throughput: {msgsPerSec: 25_000, catchUpMsgsPerSec: 60_000, maxFps: 30, cpuPercent: 90},
			render: {firstFrameMs: 600, mountMs: 80, keyToFrameP50Ms: 9, keyToFrameP99Ms: 20, keyToFrameMaxMs: 21, keys: 60, messages: 50_000, busyKeyToFrameP50Ms: 10, busyKeyToFrameP99Ms: 25, busyKeys: 60, bytesPerSecondAt50: 4000},
			memory: {rssMB: 160, peakRssMB: 190, heapUsedMB: 47, heapTotalMB: 80, externalMB: 19, baselineRssMB: 115, messages: 50_000, rooms: 10},
			idleCpuPercent: 0.6,
		};
		const results = Object.fromEntries(targets(report).map(t => [t.name, t.ok]));
		expect(Object.values(results).filter(ok => !ok)).toHaveLength(1);
		expect(results['first frame < 500 ms']).toBe(false);
		const text = formatReport(report, {
			brokers: 'b:9092',
			machine: '2 cores',
			quick: false,
			seconds: 100,
			e2e: {...report.e2e, lost: 0, failed: 0, sendRate: 200},
			throughput: {...report.throughput, producerBound: false, steps: []},
		});
		expect(text).toMatch(/e2e kchat\s+1\s+2\s+5\s+20\s+1\.20\s+10,000/);
		expect(text).toMatch(/kchat \/ Kafka's tool\s+× 0\.56\s+× 0\.8/);
		expect(text).toContain('✗ first frame < 500 ms');
	});
});

describe('simulated chat', () => {
	it('gives distinct, valid nicks for any number of users', () => {
		const nicks = simulatedNicks(250, new Random(1));
		expect(new Set(nicks).size).toBe(250);
		for (const nick of nicks) expect(validateNick(nick)).toBeUndefined();
	});

	it('says varied things: mentions, /me actions, other scripts', () => {
		const random = new Random(5);
		const lines = Array.from({length: 2000}, () => chatLine({room: 'sim-1', nick: 'alice', others: ['bob', 'carol']}, random));
		const texts = new Set(lines.map(l => l.text));
		expect(texts.size).toBeGreaterThan(500);
		expect(lines.some(l => l.type === 'action')).toBe(true);
		expect(lines.some(l => /\bbob\b|\bcarol\b/.test(l.text))).toBe(true);
		expect(lines.some(l => /[\u3040-\u30ff\u4e00-\u9fff]/.test(l.text))).toBe(true);
		expect(lines.every(l => l.text.length > 0 && !l.text.includes('{'))).toBe(true);
		expect(Buffer.byteLength(chatTextOfSize({room: 'r', nick: 'a', others: []}, 100, random).text)).toBeGreaterThanOrEqual(100);
	});

	it("sends each user's lines with its nick as key and kchat-user, joins and leaves, and presence", async () => {
		const sent: TopicRecords[] = [];
		const sender = {send: async (batches: TopicRecords[]) => void sent.push(...batches)};
		const simulation = new Simulation({sender, users: 12, rooms: ['sim-a', 'sim-b'], rate: 200, seed: 9, arrivalMs: 100, tickMs: 5});
		simulation.start();
		await new Promise(resolve => setTimeout(resolve, 600));
		const stats = await simulation.stop();
		const chat = sent.filter(b => b.topic !== PRESENCE_TOPIC).flatMap(b => b.records.map(r => ({topic: b.topic, ...r})));
		expect(stats.delivered).toBe(stats.sent);
		expect(stats.failed).toBe(0);
		expect(chat).toHaveLength(stats.sent);
		expect(stats.messages).toBeGreaterThan(60);
		expect(stats.joins).toBeGreaterThanOrEqual(12);
		// Everyone leaves at the end.
		expect(stats.leaves).toBe(stats.joins);
		for (const r of chat) {
			expect(simulation.nicks).toContain(r.key);
			expect(r.headers?.[HEADER_USER]).toBe(r.key);
			expect(['message', 'action', 'join', 'leave']).toContain(r.headers?.[HEADER_TYPE]);
		}
		const joins = chat.filter(r => r.headers?.[HEADER_TYPE] === 'join');
		expect(joins.every(r => r.value === `${r.key} joined ${r.topic}`)).toBe(true);
		const presence = sent.filter(b => b.topic === PRESENCE_TOPIC).flatMap(b => b.records);
		expect(presence.some(r => JSON.parse(r.value).status === 'offline')).toBe(true);
	});

	it('reads durations', () => {
		expect(parseDuration('90')).toBe(90_000);
		expect(parseDuration('1.5m')).toBe(90_000);
		expect(parseDuration('2h')).toBe(7_200_000);
		expect(parseDuration('soon')).toBeUndefined();
	});
});
