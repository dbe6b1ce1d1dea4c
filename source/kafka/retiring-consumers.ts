import type {Consumer} from 'kafkajs';

/**
 * Consumers no longer needed while kchat runs (every topic they covered was deleted): disconnected in
 * the background, since a fetch in flight holds a disconnect for up to its long poll. They took no group
 * (groupless-consumers.ts): nothing is left behind on the broker. Stopping waits for them.
 */
export class RetiringConsumers {
	private readonly pending = new Set<Promise<void>>();

	add(consumer: Consumer): void {
		const done = consumer.disconnect().catch(() => undefined);
		this.pending.add(done);
		void done.finally(() => this.pending.delete(done));
	}

	settled(): Promise<unknown> {
		return Promise.allSettled([...this.pending]);
	}
}
