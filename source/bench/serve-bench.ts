import {spawn, type ChildProcess} from 'node:child_process';
import readline from 'node:readline';
import type {BenchContext} from './bench-context.js';
import type {ServePlan} from './bench-plans.js';
import {spawnChild} from './child.js';
import {e2eText} from './e2e.js';
import {wallClock} from './e2e-receiver.js';
import {processUsage} from './process-usage.js';
import type {LatencyCounts, ServeClientsPart} from './serve-clients.js';
import {round, type Summary} from './stats.js';

/** What the load generators measured together. */
export type ServeClientsResult = Summary & Omit<ServeClientsPart, 'latencies' | 'fromKafka'> & {
	loadProcesses: number;
	/** From the broker's append time to the socket (without the sender and the broker's acks). */
	fromKafka: {p50: number; p99: number};
};


/** One run: N pages on one `kchat serve`, a room taking `rate` messages a second. */
export type ServeResult = ServeClientsResult & {
	rate: number;
	sent: number;
	failed: number;
	/** The gateway process while the messages flowed: CPU in % of one core, resident memory at the end and at most. */
	gatewayCpuPercent: number;
	gatewayRssMB: number;
	gatewayPeakRssMB: number;
};

/** The real `kchat serve` (the binary that runs the bench), on a free port; resolves with its process and address. */
function startGateway(ctx: BenchContext): Promise<{child: ChildProcess; wsUrl: string}> {
	// KCHAT_BENCH_PROFILE=DIR: a CPU profile of the gateway too, as of the bench's own children.
	const profile = process.env['KCHAT_BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['KCHAT_BENCH_PROFILE']}`] : [];
	const child = spawn(process.execPath, [...profile, process.argv[1]!, 'serve', '--port', '0', ...ctx.childArgs()], {stdio: ['ignore', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`kchat serve did not start: ${stderr}`)), 30_000);
		child.once('exit', code => reject(new Error(`kchat serve exited (${code}): ${stderr}`)));
		readline.createInterface({input: child.stdout!}).once('line', line => {
			clearTimeout(timer);
			resolve({child, wsUrl: `ws://${new URL(line.trim()).host}/ws`});
		});
	});
}

async function stopGateway(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) return;
	const exited = new Promise(resolve => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await exited;
	clearTimeout(timer);
}

/**
 * `kchat bench --serve`: for each client count, a fresh `kchat serve` and a fresh room; one load
 * generator process opens the clients (as pages do) and joins them to the room; this process sends
 * through a ChatService (the app's own sending path, acks all) at a steady rate, open loop. Every client
 * must get every message; the latency runs from just before `send` here to the client's socket.
 */
export async function measureServe(ctx: BenchContext, plan: ServePlan): Promise<ServeResult[]> {
	const results: ServeResult[] = [];
	for (const clients of plan.clients) {
		const room = await ctx.createRoom(`serve-${clients}`);
		const gateway = await startGateway(ctx);
		const total = Math.round((plan.seconds + plan.warmupSeconds) * plan.rate);
		const warmup = Math.round(plan.warmupSeconds * plan.rate);
		const processes = Math.min(plan.generators, clients);
		const shares = Array.from({length: processes}, (_, i) => Math.floor(clients / processes) + (i < clients % processes ? 1 : 0));
		const loads = shares.map((share, i) =>
			spawnChild('serve-clients', ['--url', gateway.wsUrl, '--clients', String(share), '--first', String(shares.slice(0, i).reduce((a, b) => a + b, 0)), '--room', room, '--messages', String(total), '--warmup', String(warmup)], {nodeArgs: ['--max-old-space-size=2048']}),
		);
		const tx = ctx.service('bench-serve-tx');
		try {
			await Promise.all([...loads.map(load => load.next<{ready: boolean}>(180_000)), tx.service.ensureRoom(room)]);
			ctx.progress(`  ${clients} clients live in the room; sending ${total} messages at ${plan.rate}/s…`);
			const before = processUsage(gateway.child.pid!);
			const t0 = performance.now();
			let failed = 0;
			let next = 0;
			await new Promise<void>(resolve => {
				const tick = (): void => {
					const due = Math.min(total, Math.floor(((performance.now() - t0) * plan.rate) / 1000) + 1);
					while (next < due) tx.service.send(room, e2eText(next++, plan.size, wallClock())).catch(() => failed++);
					if (next >= total) resolve();
					else setTimeout(tick, Math.max(0, t0 + (next * 1000) / plan.rate - performance.now()));
				};
				tick();
			});
			const done = Promise.all(loads.map(load => load.next<ServeClientsPart>(60_000)));
			// Whatever has not arrived 10 s after the last send is lost.
			const timer = setTimeout(() => loads.forEach(load => load.send('end')), 10_000);
			const figures = merge(await done);
			clearTimeout(timer);
			const after = processUsage(gateway.child.pid!);
			const elapsed = performance.now() - t0;
			results.push({
				...figures,
				rate: plan.rate,
				sent: total,
				failed,
				gatewayCpuPercent: before && after ? round(((after.cpuMs - before.cpuMs) / elapsed) * 100, 1) : NaN,
				gatewayRssMB: after ? round(after.rssMB, 1) : NaN,
				gatewayPeakRssMB: after ? round(after.peakRssMB, 1) : NaN,
			});
			const r = results[results.length - 1]!;
			ctx.progress(`  ${clients} clients: p50 ${r.p50} ms, p99 ${r.p99} ms (from Kafka's append: ${r.fromKafka.p50} / ${r.fromKafka.p99} ms), lost ${r.lost}, twice ${r.duplicates}; gateway ${r.gatewayCpuPercent}% of a core, ${r.gatewayRssMB} MB (peak ${r.gatewayPeakRssMB} MB)`);
		} finally {
			await Promise.all(loads.map(load => load.exit()));
			await ctx.stopService(tx.service);
			await stopGateway(gateway.child);
		}
	}
	return results;
}

/** Percentiles over run lengths merged from every load generator. */
function summaryOf(parts: LatencyCounts[]): Summary {
	const counts = new Map<number, number>();
	for (const part of parts) for (const [ms, n] of part) counts.set(ms, (counts.get(ms) ?? 0) + n);
	const sorted = [...counts].sort((a, b) => a[0] - b[0]);
	const count = sorted.reduce((sum, [, n]) => sum + n, 0);
	const at = (p: number): number => {
		const rank = Math.min(count, Math.max(1, Math.ceil(p * count)));
		let seen = 0;
		for (const [ms, n] of sorted) if ((seen += n) >= rank) return ms;
		return 0;
	};
	return {
		p50: at(0.5),
		p95: at(0.95),
		p99: at(0.99),
		max: sorted[sorted.length - 1]?.[0] ?? 0,
		mean: round(count > 0 ? sorted.reduce((sum, [ms, n]) => sum + ms * n, 0) / count : 0),
		count,
	};
}

/** The load generators' parts as one: latencies merged (percentiles over every client's samples), counts added. */
function merge(parts: ServeClientsPart[]): ServeClientsResult {
	const fromKafka = summaryOf(parts.map(p => p.fromKafka));
	return {
		...summaryOf(parts.map(p => p.latencies)),
		fromKafka: {p50: fromKafka.p50, p99: fromKafka.p99},
		clients: parts.reduce((sum, p) => sum + p.clients, 0),
		expected: parts[0]?.expected ?? 0,
		lost: parts.reduce((sum, p) => sum + p.lost, 0),
		duplicates: parts.reduce((sum, p) => sum + p.duplicates, 0),
		connectMs: Math.max(0, ...parts.map(p => p.connectMs)),
		loadCpuPercent: round(parts.reduce((sum, p) => sum + p.loadCpuPercent, 0), 1),
		loadProcesses: parts.length,
	};
}
