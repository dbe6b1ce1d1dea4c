import type {Admin, Kafka} from 'kafkajs';
import {isInternalTopic} from '../chat/names.js';
import {isNewTopic, roomDeletedText, roomReturnedText, type ReturnedBy} from '../chat/room-notices.js';
import {topicChange, type TopicSeen} from '../chat/topic-change.js';
import {sanitizeText} from '../chat/sanitize.js';
import {forgetTopic} from './kafka-clusters.js';
import type {Logger} from './log-file.js';
import type {Outbox} from './outbox.js';
import {partitionRanges} from './room-admin.js';
import type {PartitionOffset, RoomConsumers} from './room-consumers.js';
import {isDeleted, TopicIds, type TopicState} from './topic-ids.js';

// A room deleted while kchat is in it, and perhaps created again under the same name. The new topic is
// another topic: its offsets start at 0, so the positions kept per partition (and kafkajs's own, which
// it "resets" to the end on OFFSET_OUT_OF_RANGE) would skip or filter out its first records. And while
// the topic is missing, every kafkajs client that used it fails all its metadata refreshes: a consumer
// stops fetching its other rooms too, the producer stops sending, the admin stops answering.
//
// So the rooms in use are looked up by name about once a second, with their topic ids, and every room
// the consumers cover every few seconds. A room that is missing is let go of everywhere (kafkajs's
// metadata, the consumers, the outbox holds its messages) and the room says so; when a topic of that
// name is there again (after missing, or under a new id while it was not looked at) the room reads
// it from its beginning (the same topic back, from where it stopped) and the held messages go to it.

/** What a room's topic did, as the room shows it (`text`) and `kchat tail` prints it. */
export type RoomEvent = {room: string; kind: 'gone'; reason: string; text: string} | {room: string; kind: 'back'; by: ReturnedBy; text: string};

export type RoomWatchOptions = {
	kafka: Kafka;
	admin: Admin;
	consumers: RoomConsumers;
	outbox: Outbox;
	logger: Logger;
	/** A room this instance is in: it reads the new topic. */
	joined(room: string): boolean;
	/** The room reads a new topic now (a join still reading the old one's history is done with it). */
	reopened(room: string): void;
	/**
	 * What happened to a room's topic, for every room covered (joined or not): the app shows it in the room,
	 * `kchat tail` prints it, `kchat serve` tells the pages. A `back` comes before the new topic's records.
	 */
	onEvent(event: RoomEvent): void;
};

/** How often the rooms in use are looked up; every ALL_EVERY ticks, every covered room. */
const TICK_MS = 1000;
const ALL_EVERY = 5;

/**
 * What a room's topic was at a lookup (`id`: the last id seen, also while missing); `seq` orders lookups,
 * so an answer older than what is known is ignored.
 */
type Known = {exists: boolean; id: string | undefined; partitions: number; seq: number};

const isRoom = (topic: string): boolean => !isInternalTopic(topic);

export class RoomWatch {
	private readonly ids: TopicIds;
	private readonly known = new Map<string, Known>();
	/** Ids of topics of a room's name deleted since: a broker that has not caught up yet may still name one. */
	private readonly replaced = new Map<string, Set<string>>();
	/** Where a joined room had read when its topic went missing, in case the same topic comes back. */
	private readonly kept = new Map<string, PartitionOffset[]>();
	private seq = 0;
	private ticks = 0;
	private timer: NodeJS.Timeout | undefined;
	private running: Promise<void> | undefined;
	private stopped = false;

	constructor(private readonly options: RoomWatchOptions) {
		this.ids = new TopicIds(options.kafka, options.logger);
	}

	start(): void {
		if (this.timer || this.stopped) return;
		const next = (): void => {
			this.timer = setTimeout(() => {
				this.running = this.tick().catch(error => this.options.logger.warn('room watch', {error: (error as Error).message}));
				void this.running.then(() => !this.stopped && next());
			}, TICK_MS);
			this.timer.unref();
		};
		next();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.timer);
		await this.running;
		await this.ids.stop();
	}

	/**
	 * A room being joined: the topic there now is the one the join reads, not a change. Called before the
	 * join reads the room's offsets; not waited for (the lookup goes out at once, beside the join's own).
	 */
	adopt(room: string): void {
		const seq = ++this.seq;
		this.ids
			.lookup([room])
			.then(states => {
				const state = states.get(room);
				if (state?.exists) this.remember(room, state, seq);
			})
			.catch((error: unknown) => this.options.logger.debug('room watch: adopt', {room, error: (error as Error).message}));
	}

	/** What a lookup found, unless a later lookup's answer is known already. */
	private remember(room: string, state: TopicState, seq: number): void {
		const before = this.known.get(room);
		if ((before?.seq ?? -1) > seq) return;
		this.known.set(room, state.exists ? {exists: true, id: state.id, partitions: state.partitions, seq} : {exists: false, id: before?.id, partitions: 0, seq});
	}

	private async tick(): Promise<void> {
		const {consumers, outbox} = this.options;
		// Rooms read, rooms with messages waiting, and joined rooms whose topic is missing (none reads them now).
		const missing = [...this.known].filter(([room, k]) => !k.exists && this.options.joined(room)).map(([room]) => room);
		const hot = [...consumers.openTopics(), ...outbox.heldRooms(), ...missing].filter(isRoom);
		const all = this.ticks++ % ALL_EVERY === 0;
		const topics = [...new Set(all ? [...hot, ...consumers.coveredTopics().filter(isRoom)] : hot)];
		if (all) {
			for (const room of this.known.keys()) {
				if (topics.includes(room)) continue;
				this.known.delete(room);
				this.replaced.delete(room);
				this.kept.delete(room);
			}
		}
		if (topics.length === 0) return;
		const seq = ++this.seq;
		let states: Map<string, TopicState>;
		try {
			states = await this.ids.lookup(topics);
		} catch (error) {
			// The cluster does not answer: the connection state says so already.
			this.options.logger.debug('room watch: lookup', {error: (error as Error).message});
			return;
		}
		for (const [room, state] of states) {
			if (this.stopped) return;
			await this.compare(room, state, seq).catch(error => this.options.logger.warn('room watch', {room, error: (error as Error).message}));
		}
	}

	private async compare(room: string, state: TopicState, seq: number): Promise<void> {
		const before = this.known.get(room);
		if (before && before.seq > seq) return; // a join adopted it since this lookup was asked
		const seen: TopicSeen = state.exists ? state : {exists: false, deleted: isDeleted(state)};
		const change = topicChange(before, seen, this.replaced.get(room) ?? new Set());
		// A leader being elected and the like say nothing about the topic; a broker behind names an old one.
		if (change === 'stale' || (!seen.exists && !seen.deleted)) return;
		this.remember(room, state, seq);
		if (!state.exists) {
			if (change === 'gone') await this.gone(room, state.error);
			return;
		}
		if (before?.id && state.id && before.id !== state.id) this.replaced.set(room, (this.replaced.get(room) ?? new Set()).add(before.id));
		if (change === 'reappeared' || change === 'same-topic') return this.back(room, change);
		if (change === 'topic-id' || (change === 'check-offsets' && (await this.offsetsBelow(room, state.partitions < before!.partitions)))) {
			await this.letGo(room);
			return this.back(room, change === 'topic-id' ? 'topic-id' : 'offsets');
		}
		this.options.outbox.release(room); // held after a failed send, and it is there
	}

	/** Without topic ids (a broker before Kafka 2.8): fewer partitions, or an end below where this instance had read. */
	private async offsetsBelow(room: string, fewerPartitions: boolean): Promise<boolean> {
		if (fewerPartitions) return true;
		const kept = this.options.consumers.positionsOf(room);
		if (kept.size === 0) return false;
		const ranges = await partitionRanges(this.options.admin, room);
		return ranges.some(r => BigInt(r.high) < (kept.get(r.partition) ?? 0n));
	}

	/** The topic is missing: no client of ours asks for it, no consumer reads it, its messages wait. */
	private async letGo(room: string): Promise<void> {
		const {consumers} = this.options;
		forgetTopic(this.options.kafka, room);
		this.kept.set(room, [...consumers.positionsOf(room)].map(([partition, offset]) => ({partition, offset: offset.toString()})));
		await consumers.drop(room);
		if (this.options.joined(room)) this.options.outbox.hold(room);
	}

	private async gone(room: string, error: string): Promise<void> {
		await this.letGo(room);
		const reason = `Kafka: ${sanitizeText(error)}, no such topic`;
		const text = roomDeletedText(room, reason);
		this.options.logger.info('room deleted', {room, error});
		this.options.onEvent({room, kind: 'gone', reason, text});
	}

	/**
	 * A topic of the room's name is there again: the room reads a new topic from its beginning (the same
	 * topic from where it stopped), and held messages go to it.
	 */
	private async back(room: string, by: ReturnedBy): Promise<void> {
		const {consumers, logger} = this.options;
		const newTopic = isNewTopic(by);
		const text = roomReturnedText(room, by);
		logger.info(newTopic ? 'room created again' : 'room there again', {room, by});
		// kafkajs asks for the topic's metadata afresh (it may have another number of partitions).
		forgetTopic(this.options.kafka, room);
		const kept = this.kept.get(room) ?? [];
		this.kept.delete(room);
		const joined = this.options.joined(room);
		// Before the new topic's records: `kchat tail` and the gateway forget the old topic's positions first.
		this.options.onEvent({room, kind: 'back', by, text});
		if (joined) {
			try {
				const ranges = await partitionRanges(this.options.admin, room);
				const from = ranges.map(r => ({partition: r.partition, offset: (newTopic ? undefined : kept.find(k => k.partition === r.partition)?.offset) ?? r.low}));
				await consumers.openTopic(room, from);
			} catch (error) {
				// Not read yet: taken for missing, so the next look opens it again.
				this.known.set(room, {exists: false, id: undefined, partitions: 0, seq: this.seq});
				throw error;
			}
			this.options.reopened(room);
		}
		this.options.outbox.release(room);
	}
}
