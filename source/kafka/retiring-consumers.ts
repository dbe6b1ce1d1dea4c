import type {Admin, Consumer} from 'kafkajs';
import type {Logger} from './log-file.js';

/**
 * Consumers no longer needed while kchat runs (every topic they covered was deleted): disconnected in
 * the background, since a fetch in flight holds a disconnect for up to its long poll, and their groups
 * deleted so none is left behind. Stopping waits for them.
 */
export class RetiringConsumers {
	private readonly pending = new Set<Promise<void>>();

	constructor(
		private readonly admin: Admin,
		private readonly logger: Logger,
	) {}

	add(consumer: Consumer, groupId: string): void {
		const done = (async () => {
			await consumer.disconnect().catch(() => undefined);
			await this.admin.deleteGroups([groupId]).catch((error: unknown) => this.logger.debug('deleteGroups', {groupId, error: (error as Error).message}));
		})();
		this.pending.add(done);
		void done.finally(() => this.pending.delete(done));
	}

	settled(): Promise<unknown> {
		return Promise.allSettled([...this.pending]);
	}
}
