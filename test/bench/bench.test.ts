import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Kafka, logLevel} from 'kafkajs';
import {afterAll, describe, expect, it} from 'vitest';
import {cacheDir} from '../../source/config/paths.js';
import {HEADER_TYPE, HEADER_USER} from '../../source/chat/record-codec.js';
import {runCli} from '../support/run-cli.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';

// Speed is measured and recorded, never asserted: these tests check that `kchat bench` and
// `kchat simulate` run against a real broker and report well-formed figures.

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-bench-home-'));
// The Kafka jars (for Kafka's own latency tool) are where the test broker's came from.
const env = {KCHAT_HOME: home, KCHAT_BROKERS: testBrokers().join(','), KCHAT_CACHE_DIR: process.env['KCHAT_CACHE_DIR'] || cacheDir()};

afterAll(() => fs.rmSync(home, {recursive: true, force: true}));

/** Every leaf of the object, with its dotted name. */
function leaves(value: unknown, prefix = ''): [string, unknown][] {
	if (typeof value !== 'object' || value === null) return [[prefix, value]];
	return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('kchat bench', () => {
	it('--quick --json reports every figure as a number, and deletes the rooms it made', async () => {
		const result = await runCli(['bench', '--quick', '--json'], {env, timeoutMs: 420_000});
		expect(result.stderr).not.toMatch(/kchat bench: /);
		expect(result.code).toBe(0);
		const lines = result.stdout.trim().split('\n');
		expect(lines).toHaveLength(1);
		const report = JSON.parse(lines[0]!) as Record<string, unknown>;
		expect(Object.keys(report).sort()).toEqual(['e2e', 'idleCpuPercent', 'joinToLive', 'kafkaE2e', 'memory', 'render', 'tailStartToLive', 'throughput']);
		const figures = Object.fromEntries(leaves(report));
		for (const name of [
			'e2e.p50', 'e2e.p95', 'e2e.p99', 'e2e.max', 'e2e.mean', 'e2e.count',
			'kafkaE2e.p50', 'kafkaE2e.p99', 'kafkaE2e.avg', 'kafkaE2e.count',
			'joinToLive.p50', 'joinToLive.p99',
			'tailStartToLive.p50', 'tailStartToLive.p99',
			'throughput.msgsPerSec', 'throughput.maxFps',
			'render.firstFrameMs', 'render.keyToFrameP50Ms', 'render.keyToFrameP99Ms',
			'render.busyKeyToFrameP50Ms', 'render.busyKeyToFrameP99Ms', 'render.bytesPerSecondAt50',
			'memory.rssMB', 'memory.peakRssMB', 'idleCpuPercent',
		]) {
			expect(figures, name).toHaveProperty([name]);
		}
		for (const [name, value] of Object.entries(figures)) {
			expect(typeof value, name).toBe('number');
			expect(Number.isFinite(value) && (value as number) >= 0, `${name} = ${String(value)}`).toBe(true);
		}
		// Counts are what was asked for: the quick run's 2,000 messages each way, 50,000 lines in the room.
		expect(figures['e2e.count']).toBe(2000);
		expect(figures['kafkaE2e.count']).toBe(2000);
		expect(figures['render.messages']).toBe(50_000);
		expect(figures['memory.messages']).toBe(50_000);
		expect(figures['render.keys']).toBeGreaterThan(0);
		expect(figures['tailStartToLive.count']).toBe(5);

		const rooms = JSON.parse((await runCli(['rooms', '--json'], {env})).stdout) as {name: string}[];
		expect(rooms.filter(r => r.name.startsWith('kchat-bench-'))).toEqual([]);
	}, 480_000);

	it('--serve --json: every web client got every message once, with latency and the gateway\'s CPU and memory', async () => {
		const result = await runCli(['bench', '--serve', '--json', '--clients', '20', '--seconds', '2'], {env, timeoutMs: 180_000});
		expect(result.stderr).not.toMatch(/kchat bench: /);
		expect(result.code).toBe(0);
		const {serve} = JSON.parse(result.stdout) as {serve: Record<string, number>[]};
		expect(serve).toHaveLength(1);
		const run = serve[0]!;
		for (const name of ['p50', 'p95', 'p99', 'max', 'mean', 'gatewayCpuPercent', 'gatewayRssMB', 'gatewayPeakRssMB', 'connectMs']) {
			expect(Number.isFinite(run[name]) && run[name]! >= 0, `${name} = ${run[name]}`).toBe(true);
		}
		// 2 s at 100 a second after a 2 s warm-up, to each of 20 clients.
		expect(run).toMatchObject({clients: 20, loadProcesses: 2, rate: 100, sent: 400, expected: 400, lost: 0, duplicates: 0, failed: 0, count: 20 * 200});
	}, 200_000);

	it('refuses unknown flags with exit code 2', async () => {
		const result = await runCli(['bench', '--bogus'], {env});
		expect(result.code).toBe(2);
	});
});

describe('kchat simulate', () => {
	it('runs users that chat with their own nicks, and ends with a summary', async () => {
		const prefix = uniqueRoom('sim');
		const result = await runCli(['simulate', '--users', '6', '--rooms', '2', '--rate', '30', '--duration', '3', '--seed', '4', '--room-prefix', prefix, '--json'], {env, timeoutMs: 60_000});
		expect(result.code).toBe(0);
		const summary = JSON.parse(result.stdout.trim()) as Record<string, number>;
		expect(Object.keys(summary).sort()).toEqual(['cpuPercent', 'cpuSeconds', 'delivered', 'failed', 'joins', 'leaves', 'messages', 'rate', 'rooms', 'seconds', 'sent', 'users'].sort());
		for (const [name, value] of Object.entries(summary)) expect(Number.isFinite(value) && value >= 0, name).toBe(true);
		expect(summary).toMatchObject({users: 6, rooms: 2, failed: 0});
		expect(summary['delivered']).toBe(summary['sent']);
		expect(summary['messages']).toBeGreaterThan(30);
		expect(summary['sent']).toBe(summary['messages']! + summary['joins']! + summary['leaves']!);
		// Progress went to stderr, once a second.
		expect(result.stderr).toMatch(/simulate \d+\/3 s .* sent \d+ .* delivered \d+/);

		// What a TUI would read: kchat records, the key and kchat-user the simulated user's nick.
		const kafka = new Kafka({clientId: 'test-simulate', brokers: testBrokers(), logLevel: logLevel.NOTHING});
		const consumer = kafka.consumer({groupId: `test-simulate-${prefix}`});
		const records: {topic: string; key: string; user: string; type: string; value: string}[] = [];
		const expected = summary['sent']!;
		await consumer.connect();
		try {
			await consumer.subscribe({topics: [`${prefix}-1`, `${prefix}-2`], fromBeginning: true});
			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`read ${records.length} of ${expected} records`)), 30_000);
				void consumer.run({
					eachMessage: async ({topic, message}) => {
						records.push({
							topic,
							key: message.key?.toString() ?? '',
							user: message.headers?.[HEADER_USER]?.toString() ?? '',
							type: message.headers?.[HEADER_TYPE]?.toString() ?? '',
							value: message.value?.toString() ?? '',
						});
						if (records.length >= expected) {
							clearTimeout(timer);
							resolve();
						}
					},
				});
			});
		} finally {
			await consumer.disconnect();
			const admin = kafka.admin();
			await admin.connect();
			await admin.deleteGroups([`test-simulate-${prefix}`]).catch(() => undefined);
			await admin.disconnect();
		}
		expect(records).toHaveLength(expected);
		expect(records.every(r => r.key !== '' && r.user === r.key)).toBe(true);
		expect(new Set(records.map(r => r.type))).toEqual(new Set(['message', 'action', 'join', 'leave']));
		expect(records.filter(r => r.type === 'join').every(r => r.value === `${r.key} joined ${r.topic}`)).toBe(true);
		expect(new Set(records.map(r => r.key)).size).toBeGreaterThan(1);

		for (const room of [`${prefix}-1`, `${prefix}-2`]) await runCli(['rooms', 'delete', room, '--yes'], {env});
	}, 120_000);

	it('refuses a bad rate with exit code 2', async () => {
		const result = await runCli(['simulate', '--rate', 'fast'], {env});
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/--rate/);
	});
});
