import type {BenchContext} from './bench-context.js';
import {spawnChild} from './child.js';
import {wallClock, type E2eSamples} from './e2e-receiver.js';
import {summarize, type Summary} from './stats.js';

export type E2eOptions = {
	/** Measured messages (after the warm-up). */
	messages: number;
	/** Messages per second, steady. */
	rate: number;
	/** Bytes of each message's text (ASCII), the `--record-size` given to Kafka's tool too. */
	size: number;
	warmup?: number;
};

export type E2eResult = Summary & {lost: number; failed: number; sendRate: number};

/** The text of message `seq` sent at `at` (wall clock, ms): both first, padded to `size` bytes. */
export function e2eText(seq: number, size: number, at = 0): string {
	const head = `e2e ${seq} ${at.toFixed(3)} `;
	return head.length >= size ? head : head + 'x'.repeat(size - head.length);
}

/**
 * End-to-end latency as users see it: this process's ChatService sends (`send`, acks all, as in chat)
 * at a steady rate; another kchat process, joined to the room, receives. A sample runs from just
 * before `send` to the moment the receiving service has the message in its store. The rate is open
 * loop: a message is sent when it is due, whether or not the one before has arrived, so a stall
 * delays every message sent during it (Kafka's tool, sending each record after the last arrived,
 * counts a stall once).
 */
export async function measureE2e(ctx: BenchContext, options: E2eOptions): Promise<E2eResult> {
	const warmup = options.warmup ?? 200;
	const total = warmup + options.messages;
	const room = await ctx.createRoom('e2e');
	const receiver = spawnChild('e2e', ['--room', room, '--messages', String(total), '--warmup', String(warmup), ...ctx.childArgs()]);
	const tx = ctx.service('bench-tx');
	try {
		await Promise.all([receiver.next<{ready: boolean}>(60_000), tx.service.start()]);
		let failed = 0;
		let next = 0;
		const started = performance.now();
		await new Promise<void>(resolve => {
			const tick = (): void => {
				const due = Math.min(total, Math.floor(((performance.now() - started) * options.rate) / 1000) + 1);
				while (next < due) {
					const seq = next++;
					tx.service.send(room, e2eText(seq, options.size, wallClock())).catch(() => failed++);
				}
				// Sleep until the next one is due: a sender polling the clock would take the CPU the others need.
				if (next >= total) resolve();
				else setTimeout(tick, Math.max(0, started + (next * 1000) / options.rate - performance.now()));
			};
			tick();
		});
		const sendRate = (total / (performance.now() - started)) * 1000;
		const done = receiver.next<E2eSamples>(15_000);
		// Whatever has not arrived by then is lost.
		const timer = setTimeout(() => receiver.send('end'), 10_000);
		const {samples, received} = await done;
		clearTimeout(timer);
		return {...summarize(samples), lost: total - received - failed, failed, sendRate: Math.round(sendRate)};
	} finally {
		await receiver.exit();
		await ctx.stopService(tx.service);
	}
}
