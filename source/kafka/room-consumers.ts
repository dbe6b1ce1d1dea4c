import type {Admin, Consumer, EachBatchPayload, Kafka} from 'kafkajs';
import type {RawRecord} from '../chat/message.js';
import type {Logger} from './log-file.js';

export type PartitionOffset = {partition: number; offset: string};

export type FeedHandler = {
	/** Records of one partition, only for opened topics; must not throw (it is guarded anyway). */
	records(topic: string, partition: number, records: RawRecord[]): void;
	/** A fetch succeeded (the cluster answers) or a consumer crashed (with the reason). */
	health(ok: boolean, reason?: string): void;
};

type Member = {consumer: Consumer; groupId: string; topics: Set<string>};

/** How long a fetch waits on the broker for new records: the latency floor of join and resume. */
const MAX_WAIT_MS = 100;

/**
 * The consumers behind all joined rooms. kafkajs cannot change a subscription while running, and a
 * fresh consumer group waits `group.initial.rebalance.delay.ms` (3 s on default clusters) before its
 * first assignment. So a consumer subscribes to every room that exists when it starts and keeps the
 * ones not joined paused: joining such a room is a seek and a resume, with no rebalance. Only a room
 * that no running consumer covers (created after it started) needs another consumer.
 *
 * Each consumer has its own group id (never shared between instances, so every instance gets every
 * record) and commits nothing: positions are kept here and re-applied after any rejoin, and the
 * groups are deleted on stop (a crashed instance's groups hold no offsets, so Kafka drops them).
 */
export class RoomConsumers {
	private readonly members: Member[] = [];
	/** Topics whose records are delivered: joined rooms and the system topics. */
	private readonly open = new Set<string>();
	/** Next offset to read per `topic:partition` for open topics. */
	private readonly positions = new Map<string, string>();
	private serial: Promise<unknown> = Promise.resolve();
	private stopped = false;

	constructor(
		private readonly kafka: Kafka,
		private readonly admin: Admin,
		private readonly groupPrefix: string,
		private readonly handler: FeedHandler,
		private readonly logger: Logger,
	) {}

	isCovered(topic: string): boolean {
		return this.members.some(m => m.topics.has(topic));
	}

	isOpen(topic: string): boolean {
		return this.open.has(topic);
	}

	/** Starts one consumer over these topics, all paused until opened. Serialised with open(). */
	cover(topics: string[]): Promise<void> {
		return this.exclusive(async () => {
			const missing = topics.filter(t => !this.isCovered(t));
			if (missing.length > 0) await this.startMember(missing);
		});
	}

	/** Starts delivering `topic` from the given offsets (a seek and a resume when a consumer covers it). */
	openTopic(topic: string, from: PartitionOffset[]): Promise<void> {
		return this.exclusive(async () => {
			for (const {partition, offset} of from) this.positions.set(`${topic}:${partition}`, offset);
			this.open.add(topic);
			const member = this.members.find(m => m.topics.has(topic));
			if (!member) {
				await this.startMember([topic]); // its GROUP_JOIN handler seeks to the positions set above
				return;
			}
			for (const {partition, offset} of from) member.consumer.seek({topic, partition, offset});
			member.consumer.resume([{topic}]);
		});
	}

	/** Stops delivering `topic` at once: records of a fetch still in flight are dropped on arrival. */
	closeTopic(topic: string): void {
		this.open.delete(topic);
		for (const key of [...this.positions.keys()]) if (key.startsWith(`${topic}:`)) this.positions.delete(key);
		for (const m of this.members) if (m.topics.has(topic)) m.consumer.pause([{topic}]);
	}

	/** Disconnects every consumer and deletes their groups, so a clean exit leaves nothing in the cluster. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		await this.serial.catch(() => undefined);
		await Promise.allSettled(this.members.map(m => m.consumer.disconnect()));
		const groupIds = this.members.map(m => m.groupId);
		if (groupIds.length > 0) {
			try {
				await this.admin.deleteGroups(groupIds);
			} catch (error) {
				// Already gone (no offsets) or the cluster is down: Kafka drops empty groups without offsets itself.
				this.logger.debug('deleteGroups', {error: (error as Error).message});
			}
		}
	}

	private exclusive<T>(work: () => Promise<T>): Promise<T> {
		const next = this.serial.then(work, work);
		this.serial = next.catch(() => undefined);
		return next;
	}

	private async startMember(topics: string[]): Promise<void> {
		if (this.stopped) throw new Error('chat service stopped');
		const groupId = `${this.groupPrefix}.${this.members.length}`;
		const consumer = this.kafka.consumer({
			groupId,
			allowAutoTopicCreation: false,
			maxWaitTimeInMs: MAX_WAIT_MS,
			// After a broker restart the group still lists the crashed member; a new one waits for its session
			// to expire before it is assigned anything. 6 s is the broker's minimum by default.
			sessionTimeout: 6000,
			rebalanceTimeout: 10_000,
			heartbeatInterval: 1500,
			retry: {retries: 8, restartOnFailure: async () => !this.stopped},
		});
		const member: Member = {consumer, groupId, topics: new Set(topics)};
		consumer.on(consumer.events.GROUP_JOIN, () => this.afterJoin(member));
		consumer.on(consumer.events.FETCH, () => this.handler.health(true));
		consumer.on(consumer.events.CRASH, event => this.handler.health(false, event.payload.error.message));
		await consumer.connect();
		await consumer.subscribe({topics, fromBeginning: false});
		this.members.push(member);
		await consumer.run({autoCommit: false, eachBatch: payload => this.onBatch(payload)});
	}

	/**
	 * After every (re)join: kafkajs forgets pauses and seeks when it rebuilds its group after a crash,
	 * and without committed offsets it would start at the end. Re-apply both, so an outage loses nothing.
	 */
	private afterJoin(member: Member): void {
		for (const topic of member.topics) {
			if (!this.open.has(topic)) {
				member.consumer.pause([{topic}]);
				continue;
			}
			for (const [key, offset] of this.positions) {
				const cut = key.lastIndexOf(':');
				if (key.slice(0, cut) === topic) member.consumer.seek({topic, partition: Number(key.slice(cut + 1)), offset});
			}
		}
	}

	private async onBatch({batch}: EachBatchPayload): Promise<void> {
		const {topic, partition} = batch;
		if (!this.open.has(topic) || batch.messages.length === 0) return;
		const key = `${topic}:${partition}`;
		const expected = this.positions.get(key);
		// Drop what a fetch issued before a seek still brought back.
		const records = expected === undefined ? batch.messages : batch.messages.filter(m => BigInt(m.offset) >= BigInt(expected));
		if (records.length === 0) return;
		this.positions.set(key, (BigInt(records[records.length - 1]!.offset) + 1n).toString());
		try {
			this.handler.records(
				topic,
				partition,
				records.map(m => ({topic, partition, offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value, headers: m.headers})),
			);
		} catch (error) {
			// One bad batch must never stop a room.
			this.logger.error('record handler failed', {topic, partition, error: (error as Error).stack});
		}
	}
}
