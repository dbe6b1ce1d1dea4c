// kafkajs's fetch loop never rests: a consumer whose partitions are all paused sleeps `maxWaitTimeInMs`,
// looks again (going over every partition it is assigned) and sends its heartbeat when due. The
// QuickReader is such a consumer nearly all the time (it reads only during a join or a page of history),
// and with its 200 ms wait it woke five times a second in a quiet chat. A group registered here instead
// waits, while nothing of it is resumed, until a resume or a seek (a read starts at once, instead of after
// the rest of a 200 ms sleep) or until `restMs` have passed, then returns nothing, as kafkajs's fetch does
// when all is paused (the loop then sends the heartbeat when due: keep `restMs` at the heartbeat interval).
// Imported by quick-reader.ts, before any consumer is made.
import ConsumerGroup from 'kafkajs/src/consumer/consumerGroup.js';

type Resting = {restMs: number; wake: Set<() => void>};

/** Groups that rest while paused, by group id (unique per consumer in kchat). */
const resting = new Map<string, Resting>();

/** From now on the group `groupId` rests while all its partitions are paused; the function returned undoes it. */
export function restWhilePaused(groupId: string, restMs: number): () => void {
	const entry: Resting = {restMs, wake: new Set()};
	resting.set(groupId, entry);
	return () => {
		if (resting.get(groupId) === entry) resting.delete(groupId);
		// A consumer stopping waits for its fetch loop: let it go at once.
		for (const wake of [...entry.wake]) wake();
	};
}

/** True while a fetch of the group rests (for tests). */
export function isResting(groupId: string): boolean {
	return (resting.get(groupId)?.wake.size ?? 0) > 0;
}

function wake(groupId: string): void {
	const entry = resting.get(groupId);
	if (entry) for (const w of [...entry.wake]) w();
}

const {fetch, seek, resume} = ConsumerGroup.prototype;

ConsumerGroup.prototype.fetch = async function (this: ConsumerGroup, nodeId: number): Promise<unknown[]> {
	const entry = resting.get(this.groupId);
	if (entry && this.seekOffset.size === 0 && this.subscriptionState.active().every(t => t.partitions.length === 0)) {
		const woken = await new Promise<boolean>(resolve => {
			const done = (byWake: boolean): void => {
				clearTimeout(timer);
				entry.wake.delete(wakeUp);
				resolve(byWake);
			};
			const wakeUp = (): void => done(true);
			const timer = setTimeout(() => done(false), entry.restMs);
			entry.wake.add(wakeUp);
		});
		// Still nothing to read: kafkajs sends the heartbeat when it is due, and asks again.
		if (!woken) return [];
	}
	return fetch.call(this, nodeId);
};

ConsumerGroup.prototype.seek = function (this: ConsumerGroup, offset: Parameters<ConsumerGroup['seek']>[0]): void {
	seek.call(this, offset);
	wake(this.groupId);
};

ConsumerGroup.prototype.resume = function (this: ConsumerGroup, topicPartitions: Parameters<ConsumerGroup['resume']>[0]): void {
	resume.call(this, topicPartitions);
	wake(this.groupId);
};
