import {spawn} from 'node:child_process';
import {BenchProducer} from '../kafka/bench-clients.js';
import type {BenchContext} from './bench-context.js';
import {sleep} from './bench-context.js';
import {kchatCli} from './child.js';
import {summarize, type Summary} from './stats.js';

export type TailStartResult = Pick<Summary, 'p50' | 'p99' | 'max' | 'count'>;

/** A fresh `kchat tail` waits at most this long for its first line. */
const TIMEOUT_MS = 20_000;

/**
 * tailStartToLive: from starting a `kchat tail --room R --last 0` process until its first live line is
 * on its standard output, while another client writes into the room every 5 ms (so the wait for a new
 * record adds at most 5 ms). Process start, module loading, connecting, the group join and the first
 * fetch all count: what someone who types `kchat tail` waits for.
 */
export async function measureTailStart(ctx: BenchContext, options: {runs: number}): Promise<TailStartResult> {
	const room = await ctx.createRoom('tail-start', 1);
	const producer = new BenchProducer({brokers: ctx.brokers, logger: ctx.logger, verbose: ctx.verbose, ...ctx.security, acks: 1, clientId: 'kchat-bench-tail-start'});
	await producer.connect();
	let writing = true;
	const writer = (async () => {
		for (let i = 0; writing; i++) {
			await producer.send([{topic: room, records: [{key: 'bench', value: `tick ${i}`}]}]);
			await sleep(5);
		}
	})();
	const samples: number[] = [];
	try {
		for (let i = 0; i < options.runs; i++) samples.push(await oneTail(room, ctx.childArgs()));
	} finally {
		writing = false;
		await writer.catch(() => undefined);
		await producer.disconnect();
	}
	const {p50, p99, max, count} = summarize(samples);
	return {p50, p99, max, count};
}

function oneTail(room: string, connection: string[]): Promise<number> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(process.execPath, [kchatCli, 'tail', '--room', room, '--last', '0', '--user', 'bench-tail', ...connection], {stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`kchat tail printed nothing within ${TIMEOUT_MS / 1000} s: ${stderr.trim()}`));
		}, TIMEOUT_MS);
		child.stdout.once('data', () => {
			const ms = performance.now() - started;
			clearTimeout(timer);
			child.once('close', () => resolve(ms));
			child.kill('SIGTERM');
		});
		child.once('error', error => {
			clearTimeout(timer);
			reject(error);
		});
	});
}
