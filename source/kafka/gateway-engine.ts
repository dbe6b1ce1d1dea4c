import {randomUUID} from 'node:crypto';
import type {Admin, Kafka, Producer} from 'kafkajs';
import type {ChatMessage, RawRecord} from '../chat/message.js';
import {decodePresence, type PresenceRecord} from '../chat/presence-table.js';
import {decodeRecord} from '../chat/record-codec.js';
import {connectWithRetry, type LinkState} from './connect-retry.js';
import {createKafka, type SecuritySettings} from './kafka-client.js';
import type {Logger} from './log-file.js';
import {Outbox, type Delivered, type OutboxEntry} from './outbox.js';
import {writePresence} from './presence-feed.js';
import {parseReadMark, writeReadMark} from './read-marks.js';
import {
	PRESENCE_TOPIC,
	READMARKS_TOPIC,
	ensureRoom,
	ensureSystemTopics,
	listRooms,
	maxMessageBytes,
	partitionRanges,
	type PartitionRange,
	type RoomSummary,
} from './room-admin.js';
import {RoomConsumers, type PartitionOffset} from './room-consumers.js';
import {RoomWatch, type RoomEvent} from './room-watch.js';

export type {Delivered, OutboxEntry} from './outbox.js';
export type {PartitionOffset} from './room-consumers.js';
export type {PartitionRange, RoomSummary} from './room-admin.js';

export type {LinkState} from './connect-retry.js';
export type {RoomEvent} from './room-watch.js';

/** A read-mark record: key `nick/room` or `nick`, value the parsed JSON object. */
export type ReadMarkRecord = {key: string; value: Record<string, unknown>};

/** What the engine hands up: decoded, sanitised records, in the order each partition delivers them. */
export type GatewayEvents = {
	messages(room: string, partition: number, messages: ChatMessage[]): void;
	presence(records: PresenceRecord[]): void;
	readMarks(records: ReadMarkRecord[]): void;
	health(state: LinkState, reason?: string): void;
	/** A room's topic was deleted, or is there again (before the new topic's records); for every room covered. */
	roomEvent(event: RoomEvent): void;
	/** A room reads a new topic of its name now: an open still waiting for the old topic's history is done. */
	reopened(room: string): void;
};

export type GatewayEngineOptions = SecuritySettings & {brokers: string[]; logger: Logger; verbose?: boolean; events: GatewayEvents};

/** No completed fetch for this long means the cluster is not answering (as in the app). */
const STALL_MS = 2500;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/**
 * The Kafka side of `kchat serve`: one process, many web users. The same engine parts as the app
 * (RoomConsumers, Outbox, the presence and read-mark formats, room-admin, the record codec), arranged
 * for a gateway: one consumer group for every room any page has open, each record read once and handed
 * up decoded; one outbox that sends for every nick (the record key is each entry's own nick); presence
 * heartbeats for many nicks in one request; every nick's read marks.
 */
export class GatewayEngine {
	readonly instanceId = randomUUID();
	private readonly kafka: Kafka;
	private readonly admin: Admin;
	/** Presence and read marks (best effort); chat messages go through the outbox's idempotent producer. */
	private readonly producer: Producer;
	private readonly outbox: Outbox;
	private readonly consumers: RoomConsumers;
	/** Notices rooms deleted and created again, as in the app: a missing topic must not stall every room. */
	private readonly roomWatch: RoomWatch;
	/** Rooms some page has open (opened and not closed). */
	private readonly openRooms = new Set<string>();
	private markTargets = new Map<number, bigint>();
	private marksCaughtUp: () => void = () => {};
	private readonly marksRead = new Promise<void>(resolve => (this.marksCaughtUp = resolve));
	private started: Promise<void> | undefined;
	private lastFetchAt = 0;
	private state: LinkState = 'connecting';
	private watchdog: NodeJS.Timeout | undefined;
	private stopping: Promise<void> | undefined;
	private stopped = false;

	constructor(private readonly options: GatewayEngineOptions) {
		this.kafka = createKafka({...options, clientId: 'kchat-serve'});
		this.admin = this.kafka.admin({retry: {retries: 2, initialRetryTime: 200, maxRetryTime: 1000}});
		this.producer = this.kafka.producer({allowAutoTopicCreation: false});
		this.outbox = new Outbox({
			producer: async () => {
				const producer = this.kafka.producer({idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false});
				await producer.connect();
				return producer;
			},
			logger: options.logger,
			health: (ok, reason) => this.setState(ok ? 'online' : 'reconnecting', reason),
		});
		this.consumers = new RoomConsumers(
			this.kafka,
			`kchat.serve.${this.instanceId}`,
			{
				records: (topic, partition, records) => this.onRecords(topic, partition, records),
				health: (ok, reason) => {
					if (ok) this.lastFetchAt = Date.now();
					this.setState(ok ? 'online' : 'reconnecting', reason);
				},
			},
			options.logger,
		);
		this.roomWatch = new RoomWatch({
			kafka: this.kafka,
			admin: this.admin,
			consumers: this.consumers,
			outbox: this.outbox,
			logger: options.logger,
			joined: room => this.openRooms.has(room),
			reopened: room => options.events.reopened(room),
			onEvent: event => options.events.roomEvent(event),
		});
	}

	/** Connects, retrying with backoff while the cluster is unreachable; rejects only on refused credentials or stop. */
	start(): Promise<void> {
		this.started ??= this.connectWithRetry();
		return this.started;
	}

	/** Resolves once the read marks that were in Kafka at start are all known (or after 5 s). */
	async marksReady(): Promise<void> {
		await this.start();
		await Promise.race([this.marksRead, sleep(5000)]);
	}

	async rooms(): Promise<RoomSummary[]> {
		await this.start();
		const rooms = await listRooms(this.admin);
		// Rooms made since the last look get a paused consumer now, so opening them later is a seek.
		void this.consumers.cover(rooms.map(r => r.name)).catch(error => this.options.logger.warn('cover', {error: errorText(error)}));
		return rooms;
	}

	/** Creates the room when it is missing; returns its max.message.bytes, which every message must fit. */
	async prepareRoom(room: string, partitions: number): Promise<number> {
		await this.start();
		await ensureRoom(this.admin, room, partitions);
		// The topic there now is the one the room reads, not a change (looked up beside the room's offsets).
		this.roomWatch.adopt(room);
		return maxMessageBytes(this.admin, room);
	}

	async ranges(room: string): Promise<PartitionRange[]> {
		await this.start();
		return partitionRanges(this.admin, room);
	}

	/** Delivers the room's records from these offsets (a seek: also backwards, for a page that resumes from further back). */
	open(room: string, from: PartitionOffset[]): Promise<void> {
		this.openRooms.add(room);
		return this.consumers.openTopic(room, from);
	}

	close(room: string): void {
		this.openRooms.delete(room);
		this.consumers.closeTopic(room);
	}

	/** Through the one outbox, in order; the record's key is the entry's own nick. */
	send(entry: OutboxEntry): Promise<Delivered> {
		return this.outbox.enqueue(entry);
	}

	heartbeat(records: PresenceRecord[]): Promise<void> {
		return writePresence(this.producer, records, this.options.logger);
	}

	writeReadMark(key: string, value: Record<string, unknown>): Promise<void> {
		return writeReadMark(this.producer, key, value, this.options.logger);
	}

	get link(): LinkState {
		return this.state;
	}

	private setState(state: LinkState, reason?: string): void {
		if (this.stopped) return;
		this.state = state;
		this.options.events.health(state, reason);
	}

	private async connectWithRetry(): Promise<void> {
		await connectWithRetry({...this.options, stopped: () => this.stopped, setState: (state, reason) => this.setState(state, reason)}, () => this.connectOnce());
		this.watch();
		this.roomWatch.start();
	}

	private async connectOnce(): Promise<void> {
		await this.admin.connect();
		await this.producer.connect();
		await ensureSystemTopics(this.admin);
		const rooms = await listRooms(this.admin);
		await this.consumers.cover([...rooms.map(r => r.name), PRESENCE_TOPIC, READMARKS_TOPIC]);
		const marks = await partitionRanges(this.admin, READMARKS_TOPIC);
		this.markTargets = new Map(marks.filter(r => BigInt(r.high) > BigInt(r.low)).map(r => [r.partition, BigInt(r.high)]));
		if (this.markTargets.size === 0) this.marksCaughtUp();
		await this.consumers.openTopic(READMARKS_TOPIC, marks.map(r => ({partition: r.partition, offset: r.low})));
		// Only heartbeats recent enough to be alive matter: start a little before the TTL.
		const since = await this.admin.fetchTopicOffsetsByTimestamp(PRESENCE_TOPIC, Date.now() - 45_000);
		await this.consumers.openTopic(PRESENCE_TOPIC, since.map(s => ({partition: s.partition, offset: s.offset})));
		this.outbox.start();
	}

	private watch(): void {
		this.lastFetchAt = Date.now();
		this.watchdog = setInterval(() => {
			const silent = Date.now() - this.lastFetchAt;
			if (silent > STALL_MS) this.setState('reconnecting', `no answer from ${this.options.brokers.join(',')} for ${Math.round(silent / 1000)} s`);
		}, 1000);
		this.watchdog.unref();
	}

	private onRecords(topic: string, partition: number, records: RawRecord[]): void {
		const {events} = this.options;
		if (topic === PRESENCE_TOPIC) {
			const decoded: PresenceRecord[] = [];
			for (const r of records) {
				const p = decodePresence(r.value, Number(r.timestamp));
				if (p) decoded.push(p);
			}
			events.presence(decoded);
		} else if (topic === READMARKS_TOPIC) {
			const marks: ReadMarkRecord[] = [];
			for (const r of records) {
				const key = r.key?.toString('utf8');
				const value = parseReadMark(r.value);
				if (key && value) marks.push({key, value});
			}
			events.readMarks(marks);
			const target = this.markTargets.get(partition);
			if (target !== undefined && BigInt(records[records.length - 1]!.offset) + 1n >= target) this.markTargets.delete(partition);
			if (this.markTargets.size === 0) this.marksCaughtUp();
		} else {
			events.messages(topic, partition, records.map(decodeRecord));
		}
	}

	/** Delivers what is queued (up to 8 s while the cluster answers), then disconnects and deletes the consumer group. */
	stop(): Promise<void> {
		this.stopping ??= this.shutdown();
		return this.stopping;
	}

	private async shutdown(): Promise<void> {
		const wasOnline = this.started !== undefined && this.state === 'online';
		clearInterval(this.watchdog);
		await withTimeout(this.roomWatch.stop(), 2000);
		await this.outbox.drain(wasOnline ? 8000 : 0);
		this.stopped = true;
		await this.outbox.stop();
		await withTimeout(this.consumers.stop(), 5000);
		await withTimeout(Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]), 2000);
	}
}

async function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([work.catch(() => undefined), new Promise(resolve => (timer = setTimeout(resolve, ms)))]);
	clearTimeout(timer);
}
