import type {Batch, Consumer, EachBatchPayload, Kafka} from 'kafkajs';
import type {Logger} from './log-file.js';
import {unlessRestarting} from './consumer-restart.js';
import {restWhilePaused} from './paused-consumer-wait.js';
import {RetiringConsumers} from './retiring-consumers.js';
import {consumerWithoutGroup} from './groupless-consumers.js';

// Short reads of rooms, beside the long-polling consumers that stream joined rooms live: a page of
// older history (scrollback, /history, search), and the first moments of a join. A consumer that
// waits seconds on the broker for new records costs almost nothing when a room is quiet, but kafkajs
// applies a seek or a resume only when its fetch in flight returns; so a join is served here, by a
// consumer whose fetches wait 100 ms, until the long-polling consumer has taken the room up.
//
// Each consumer here subscribes to the rooms once (kafkajs cannot change a subscription while it
// runs) and keeps them all paused; a read resumes only the partitions it reads, from the offset it
// asks for. No consumer group, no offsets committed (see RoomConsumers).

/** How long a fetch here waits on the broker while a read is under way. */
export const QUICK_WAIT_MS = 200;
/**
 * Heartbeats of these consumers. While all is paused they rest this long between looks (see
 * paused-consumer-wait.ts); a read wakes them at once.
 */
const HEARTBEAT_MS = 1500;
/** A read that has not finished after this long failed (the cluster stopped answering). */
const READ_TIMEOUT_MS = 20_000;

export type OffsetRange = {partition: number; from: string; to: string};

/** Messages of one partition as kafkajs hands them over. */
export type BatchMessages = Batch['messages'];

type PartitionJob = {next: bigint; to: bigint | undefined};

type Job = {
	member: Member;
	topic: string;
	partitions: Map<number, PartitionJob>;
	/** Records of a partition, in order, within the job's range. */
	onRecords: (partition: number, messages: BatchMessages) => void;
	/** A partition reached the end of its range (or of the log). */
	onPartitionDone: () => void;
	/** The read cannot finish (its topic was deleted). */
	fail?: (error: Error) => void;
};

type Member = {consumer: Consumer; groupId: string; topics: Set<string>; ready: Promise<void>; unrest: () => void};

export class QuickReader {
	private readonly members: Member[] = [];
	/** The job running on each topic; one at a time per topic, the next waits (see `queue`). */
	private readonly jobs = new Map<string, Job>();
	private readonly queue = new Map<string, Promise<unknown>>();
	/** Consumers still connecting: stop() waits for them, so none is left connected. */
	private readonly starting = new Set<Promise<unknown>>();
	private readonly retiring: RetiringConsumers;
	private made = 0;
	private stopped = false;

	constructor(
		private readonly kafka: Kafka,
		private readonly groupPrefix: string,
		private readonly logger: Logger,
	) {
		this.retiring = new RetiringConsumers();
	}

	isCovered(topic: string): boolean {
		return this.members.some(m => m.topics.has(topic));
	}

	coveredTopics(): string[] {
		return this.members.flatMap(m => [...m.topics]);
	}

	/**
	 * The topic was deleted: a read of it fails, and no consumer here covers it any longer (their other
	 * topics go on; one left with none is closed). A topic of this name created again gets a new consumer.
	 */
	drop(topic: string): void {
		const job = this.jobs.get(topic);
		if (job) {
			this.end(job.member, topic);
			job.fail?.(new Error(`room ${topic} was deleted`));
		}
		for (const member of [...this.members]) {
			if (!member.topics.delete(topic) || member.topics.size > 0) continue;
			this.members.splice(this.members.indexOf(member), 1);
			member.unrest();
			this.retiring.add(member.consumer);
		}
	}

	/** A consumer over these topics (those not covered yet), all paused. */
	async cover(topics: string[]): Promise<void> {
		const missing = topics.filter(t => !this.isCovered(t));
		if (missing.length === 0 || this.stopped) return;
		// A name of its own (kafkajs calls it a group id; it joins no group): numbered by how many were made.
		const groupId = `${this.groupPrefix}.${this.made++}`;
		const consumer = consumerWithoutGroup(this.kafka, {
			groupId,
			allowAutoTopicCreation: false,
			maxWaitTimeInMs: QUICK_WAIT_MS,
			// A page is small, and a join's first moments are read by the long-polling consumer too: small fetches
			// (kafkajs's default is 1 MB per partition, 10 MB a fetch) keep the memory of a big join down.
			maxBytesPerPartition: 128 * 1024,
			maxBytes: 1024 * 1024,
			heartbeatInterval: HEARTBEAT_MS,
			retry: {retries: 8, restartOnFailure: async () => !this.stopped},
		});
		let joined: () => void = () => {};
		const unrest = restWhilePaused(groupId, HEARTBEAT_MS);
		const member: Member = {consumer, groupId, topics: new Set(missing), ready: new Promise<void>(resolve => (joined = resolve)), unrest};
		consumer.on(consumer.events.GROUP_JOIN, () => {
			this.afterJoin(member);
			joined();
		});
		this.members.push(member);
		const starting = (async () => {
			await consumer.connect();
			await consumer.subscribe({topics: missing, fromBeginning: false});
			await consumer.run({autoCommit: false, eachBatch: payload => this.onBatch(member, payload)});
		})();
		this.starting.add(starting);
		try {
			await starting;
		} catch (error) {
			this.members.splice(this.members.indexOf(member), 1);
			unrest();
			throw error;
		} finally {
			this.starting.delete(starting);
		}
	}

	/**
	 * Reads offsets [from, to) of the partitions given (fewer when the log ends first), in offset order per
	 * partition. Rejects when the topic is not covered or the read takes too long.
	 */
	read(topic: string, ranges: OffsetRange[], onRecords: Job['onRecords']): Promise<void> {
		const wanted = ranges.filter(r => BigInt(r.from) < BigInt(r.to));
		if (wanted.length === 0) return Promise.resolve();
		return this.exclusive(topic, async () => {
			const member = await this.memberFor(topic);
			await new Promise<void>((resolve, reject) => {
				const partitions = new Map(wanted.map(r => [r.partition, {next: BigInt(r.from), to: BigInt(r.to)}]));
				const timer = setTimeout(() => {
					this.end(member, topic);
					reject(new Error(`no answer from Kafka reading ${topic} within ${READ_TIMEOUT_MS / 1000} s`));
				}, READ_TIMEOUT_MS);
				const job: Job = {
					member,
					topic,
					partitions,
					onRecords,
					onPartitionDone: () => {
						if ([...partitions.values()].some(p => p.to !== undefined && p.next < p.to)) return;
						clearTimeout(timer);
						this.end(member, topic);
						resolve();
					},
					fail: error => {
						clearTimeout(timer);
						reject(error);
					},
				};
				this.begin(member, job);
			});
		});
	}

	/**
	 * Streams `topic` from the offsets given until `until` settles: the first moments of a join, while the
	 * long-polling consumer has not taken the room up yet. Records go to `onRecords` as they come.
	 */
	async sprint(topic: string, from: {partition: number; offset: string}[], onRecords: Job['onRecords'], until: Promise<unknown>): Promise<void> {
		const member = this.members.find(m => m.topics.has(topic));
		if (!member || this.stopped) return;
		await this.exclusive(topic, async () => {
			// A consumer still starting cannot seek: when the other one gets there first, nothing to do.
			const ready = await Promise.race([member.ready.then(() => true), until.then(() => false, () => false)]);
			if (!ready || this.stopped) return;
			const job: Job = {member, topic, partitions: new Map(from.map(f => [f.partition, {next: BigInt(f.offset), to: undefined}])), onRecords, onPartitionDone: () => {}};
			this.begin(member, job);
			await until.catch(() => undefined);
			this.end(member, topic);
		});
	}

	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		await Promise.allSettled([...this.starting]);
		await Promise.allSettled([
			...this.members.map(m => {
				m.unrest();
				return m.consumer.disconnect();
			}),
			this.retiring.settled(),
		]);
	}

	/** A consumer covering `topic`, started for it when none does (a room made after the others). */
	private async memberFor(topic: string): Promise<Member> {
		if (this.stopped) throw new Error('chat service stopped');
		if (!this.isCovered(topic)) await this.cover([topic]);
		const member = this.members.find(m => m.topics.has(topic))!;
		await member.ready;
		return member;
	}

	/** Work on one topic waits for the work before it (a join's sprint, then a page of history). */
	private exclusive<T>(topic: string, work: () => Promise<T>): Promise<T> {
		const next = (this.queue.get(topic) ?? Promise.resolve()).then(work, work);
		const settled = next.catch(() => undefined);
		this.queue.set(topic, settled);
		void settled.then(() => {
			if (this.queue.get(topic) === settled) this.queue.delete(topic);
		});
		return next;
	}

	private begin(member: Member, job: Job): void {
		this.jobs.set(job.topic, job);
		const open = [...job.partitions].filter(([, p]) => p.to === undefined || p.next < p.to).map(([partition]) => partition);
		// Restarting: afterJoin begins the job again from where it got to.
		unlessRestarting(() => {
			for (const partition of open) member.consumer.seek({topic: job.topic, partition, offset: job.partitions.get(partition)!.next.toString()});
			member.consumer.resume([{topic: job.topic, partitions: open}]);
		});
	}

	private end(member: Member, topic: string): void {
		this.jobs.delete(topic);
		// A consumer let go of (its topics were deleted) is disconnecting: kafkajs refuses a pause then.
		if (this.members.includes(member)) unlessRestarting(() => member.consumer.pause([{topic}])); // else paused by afterJoin
	}

	/** After every (re)join: everything paused but the partitions a job still reads, from where it got to. */
	private afterJoin(member: Member): void {
		for (const topic of member.topics) {
			member.consumer.pause([{topic}]);
			const job = this.jobs.get(topic);
			if (job) this.begin(member, job);
		}
	}

	private async onBatch(member: Member, {batch}: EachBatchPayload): Promise<void> {
		// A consumer that let go of a deleted topic may still fetch a new topic of that name from old offsets.
		if (!member.topics.has(batch.topic)) return;
		const job = this.jobs.get(batch.topic);
		const p = job?.partitions.get(batch.partition);
		if (!job || !p || (p.to !== undefined && p.next >= p.to)) return;
		const messages = batch.messages.filter(m => {
			const offset = BigInt(m.offset);
			return offset >= p.next && (p.to === undefined || offset < p.to);
		});
		if (messages.length > 0) p.next = BigInt(messages[messages.length - 1]!.offset) + 1n;
		// The log ends before the range does: nothing more will come.
		if (p.to !== undefined && BigInt(batch.highWatermark) <= p.next) p.to = p.next;
		try {
			if (messages.length > 0) job.onRecords(batch.partition, messages);
		} catch (error) {
			this.logger.error('history handler failed', {topic: batch.topic, error: (error as Error).stack});
		}
		// A partition done stays resumed until the whole read is (its further records are ignored): kafkajs's
		// pause of one partition would resume every other partition of the topic.
		if (p.to !== undefined && p.next >= p.to) job.onPartitionDone();
	}
}
