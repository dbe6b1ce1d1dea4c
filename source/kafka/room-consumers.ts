import type {Consumer, EachBatchPayload, Kafka} from 'kafkajs';
import type {RawRecord} from '../chat/message.js';
import type {Logger} from './log-file.js';
import {RetiringConsumers} from './retiring-consumers.js';
import {QuickReader, type BatchMessages, type OffsetRange} from './quick-reader.js';
import {unlessRestarting} from './consumer-restart.js';
import {restWhilePaused} from './paused-consumer-wait.js';
import './seek-offsets.js';
import {consumerWithoutGroup} from './groupless-consumers.js';

export type PartitionOffset = {partition: number; offset: string};

export type FeedHandler = {
	/** Records of one partition, only for opened topics; must not throw (it is guarded anyway). */
	records(topic: string, partition: number, records: RawRecord[]): void;
	/** A fetch succeeded (the cluster answers) or a consumer crashed (with the reason). */
	health(ok: boolean, reason?: string): void;
};

type Member = {
	consumer: Consumer;
	groupId: string;
	topics: Set<string>;
	/** Broker nodes this consumer fetches from, and who waits for each of them to start a fetch. */
	nodes: Set<number>;
	fetchWaiters: Array<{pending: Set<number>; resolve: () => void}>;
	/** Topics the QuickReader streams until this consumer's next fetch, which takes them up where it got to. */
	handoff: Set<string>;
	/** Ends its rest while paused (see paused-consumer-wait.ts), for a disconnect. */
	unrest: () => void;
};

/**
 * How long a fetch waits on the broker for new records (a long poll: the broker answers at once when
 * one comes). Quiet rooms then cost a fetch every two seconds; a join or a resume is served by the
 * QuickReader until this consumer's fetch in flight has returned (kafkajs applies seeks only then).
 * Heartbeats go between fetches: keep well under the 6 s session timeout.
 */
export const LONG_POLL_MS = 2000;

/**
 * The consumers behind all joined rooms. kafkajs cannot change a subscription while running, so a
 * consumer subscribes to every room that exists when it starts and keeps the ones not joined paused:
 * joining such a room is a seek and a resume. Only a room that no running consumer covers (created
 * after it started) needs another consumer.
 *
 * Each consumer reads every partition of its rooms without a consumer group (groupless-consumers.ts:
 * every instance gets every record, and nothing is left on the broker) and commits nothing: positions
 * are kept here and re-applied whenever kafkajs assigns the partitions again (after a crash, or a
 * partition count that changed).
 */
export class RoomConsumers {
	private readonly members: Member[] = [];
	/** Topics whose records are delivered: joined rooms and the system topics. */
	private readonly open = new Set<string>();
	/** Next offset to read per `topic:partition` for open topics. */
	private readonly positions = new Map<string, string>();
	private serial: Promise<unknown> = Promise.resolve();
	private readonly retiring: RetiringConsumers;
	private made = 0;
	private stopped = false;
	/** Reads history, and streams a room just opened until its long-polling consumer takes it up. */
	private readonly quick: QuickReader;

	constructor(
		private readonly kafka: Kafka,
		private readonly groupPrefix: string,
		private readonly handler: FeedHandler,
		private readonly logger: Logger,
	) {
		this.quick = new QuickReader(kafka, `${groupPrefix}.q`, logger);
		this.retiring = new RetiringConsumers();
	}

	isCovered(topic: string): boolean {
		return this.members.some(m => m.topics.has(topic));
	}

	isOpen(topic: string): boolean {
		return this.open.has(topic);
	}

	/** Topics being delivered (joined rooms and the system topics). */
	openTopics(): string[] {
		return [...this.open];
	}

	/** Every topic a consumer here subscribes to, delivered or paused. */
	coveredTopics(): string[] {
		return [...new Set([...this.members.flatMap(m => [...m.topics]), ...this.quick.coveredTopics()])];
	}

	/** The next offset to deliver of each partition of an open topic. */
	positionsOf(topic: string): Map<number, bigint> {
		const found = new Map<number, bigint>();
		for (const [key, offset] of this.positions) {
			const cut = key.lastIndexOf(':');
			if (key.slice(0, cut) === topic) found.set(Number(key.slice(cut + 1)), BigInt(offset));
		}
		return found;
	}

	/**
	 * The topic was deleted (and maybe created again): nothing more of it is delivered, and no consumer
	 * here covers it any longer (their other topics go on; a consumer left with none is closed). The
	 * caller has taken it out of the consumers' metadata (forgetTopic); cover() and openTopic() start a
	 * new consumer for a topic of this name created again, from the offsets given.
	 */
	drop(topic: string): Promise<void> {
		return this.exclusive(async () => {
			this.closeTopic(topic);
			for (const member of [...this.members]) {
				if (!member.topics.delete(topic) || member.topics.size > 0) continue;
				this.members.splice(this.members.indexOf(member), 1);
				for (const waiter of member.fetchWaiters.splice(0)) waiter.resolve();
				member.unrest();
				this.retiring.add(member.consumer);
			}
			this.quick.drop(topic);
		});
	}

	/**
	 * Starts one consumer over these topics, all paused until opened. Serialised with open(). `quick: false`
	 * for a reader with no screen: its consumer covers only the rooms it reads and rests until they are
	 * opened, so it takes them up at once (no QuickReader needed; a history page still starts one).
	 */
	cover(topics: string[], {quick = true}: {quick?: boolean} = {}): Promise<void> {
		return this.exclusive(async () => {
			const missing = topics.filter(t => !this.isCovered(t));
			// Not waited for: until it has its partitions, joins are served by the long-polling consumer alone.
			if (quick) this.quick.cover(topics).catch(error => this.logger.warn('quick reader', {error: (error as Error).message}));
			if (missing.length > 0) await this.startMember(missing);
		});
	}

	/** Reads offsets [from, to) of a room's partitions (history), beside the live stream. */
	read(topic: string, ranges: OffsetRange[], onRecords: (partition: number, messages: BatchMessages) => void): Promise<void> {
		return this.quick.read(topic, ranges, onRecords);
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
			const applied = unlessRestarting(() => {
				for (const {partition, offset} of from) member.consumer.seek({topic, partition, offset});
				member.consumer.resume([{topic}]);
			});
			if (!applied) return; // restarting: its GROUP_JOIN handler seeks to the positions set above
			// This consumer applies the seek when its long poll returns: until it fetches the topic, the quick one serves it.
			const until = this.nextFetches(member);
			member.handoff.add(topic);
			void until.then(() => member.handoff.delete(topic));
			this.quick
				.sprint(topic, from, (partition, messages) => this.deliver(topic, partition, messages), until)
				.catch(error => this.logger.warn('quick reader', {topic, error: (error as Error).message}));
		});
	}

	/** Resolves when the consumer has started a fetch on every broker it fetches from. */
	private nextFetches(member: Member): Promise<void> {
		return new Promise(resolve => member.fetchWaiters.push({pending: new Set(member.nodes), resolve}));
	}

	/** Stops delivering `topic` at once: records of a fetch still in flight are dropped on arrival. */
	closeTopic(topic: string): void {
		this.open.delete(topic);
		for (const key of [...this.positions.keys()]) if (key.startsWith(`${topic}:`)) this.positions.delete(key);
		for (const m of this.members) if (m.topics.has(topic)) unlessRestarting(() => m.consumer.pause([{topic}])); // else paused at its next join
	}

	/** Disconnects every consumer. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		await this.serial.catch(() => undefined);
		await Promise.allSettled([
			...this.members.map(m => {
				m.unrest();
				return m.consumer.disconnect();
			}),
			this.quick.stop(),
			this.retiring.settled(),
		]);
	}

	private exclusive<T>(work: () => Promise<T>): Promise<T> {
		const next = this.serial.then(work, work);
		this.serial = next.catch(() => undefined);
		return next;
	}

	private async startMember(topics: string[]): Promise<void> {
		if (this.stopped) throw new Error('chat service stopped');
		// A name of its own (kafkajs calls it a group id; it joins no group): numbered by how many were made.
		const groupId = `${this.groupPrefix}.${this.made}`;
		const consumer = consumerWithoutGroup(this.kafka, {
			groupId,
			allowAutoTopicCreation: false,
			maxWaitTimeInMs: LONG_POLL_MS,
			heartbeatInterval: 1500,
			retry: {retries: 8, restartOnFailure: async () => !this.stopped},
		});
		// With all its topics paused (a headless reader's room before it is opened) it waits for the resume,
		// not 2 s: kafkajs's sleep between looks would hold the room's first records that long.
		const unrest = restWhilePaused(groupId, 1500);
		const member: Member = {consumer, groupId, topics: new Set(topics), nodes: new Set(), fetchWaiters: [], handoff: new Set(), unrest};
		consumer.on(consumer.events.GROUP_JOIN, () => this.afterJoin(member));
		consumer.on(consumer.events.FETCH_START, ({payload}) => {
			// The seek kafkajs applies in this fetch: from what the QuickReader has delivered, not from the join's
			// offsets (those records would be fetched and decoded again, then dropped: a whole history twice).
			for (const topic of member.handoff) unlessRestarting(() => this.seekToPositions(member, topic));
			member.nodes.add(payload.nodeId);
			member.fetchWaiters = member.fetchWaiters.filter(w => {
				w.pending.delete(payload.nodeId);
				if (w.pending.size === 0) w.resolve();
				return w.pending.size > 0;
			});
		});
		consumer.on(consumer.events.FETCH, () => this.handler.health(true));
		consumer.on(consumer.events.CRASH, event => this.handler.health(false, event.payload.error.message));
		try {
			await consumer.connect();
			await consumer.subscribe({topics, fromBeginning: false});
		} catch (error) {
			unrest();
			// Connected but not subscribed (a topic that does not exist yet): leave no connection behind.
			await consumer.disconnect().catch(() => undefined);
			throw error;
		}
		this.made++;
		this.members.push(member);
		await consumer.run({autoCommit: false, eachBatch: payload => this.onBatch(member, payload)});
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
			this.seekToPositions(member, topic);
		}
	}

	/** Seeks the topic's partitions to the positions kept (the next offset to deliver of each). */
	private seekToPositions(member: Member, topic: string): void {
		for (const [partition, offset] of this.positionsOf(topic)) member.consumer.seek({topic, partition, offset: offset.toString()});
	}

	private async onBatch(member: Member, {batch}: EachBatchPayload): Promise<void> {
		// A consumer that let go of a deleted topic may still fetch a new topic of that name from old offsets.
		if (!member.topics.has(batch.topic)) return;
		this.deliver(batch.topic, batch.partition, batch.messages);
	}

	/** Records of an open topic past the position kept for their partition, from either consumer. */
	private deliver(topic: string, partition: number, messages: BatchMessages): void {
		if (!this.open.has(topic) || messages.length === 0) return;
		const key = `${topic}:${partition}`;
		const expected = this.positions.get(key);
		// Drop what a fetch issued before a seek still brought back, and what the other consumer delivered.
		const records = expected === undefined ? messages : messages.filter(m => BigInt(m.offset) >= BigInt(expected));
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

