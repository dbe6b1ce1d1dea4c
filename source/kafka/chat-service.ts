import {randomUUID} from 'node:crypto';
import type {Admin, Kafka, Producer} from 'kafkajs';
import type {ChatMessage, MessageType, RawRecord} from '../chat/message.js';
import {loginNickProblem, validateNick, type Login} from '../chat/names.js';
import {decodeRecord, encodeRecord, recordSizeEstimate} from '../chat/record-codec.js';
import {sanitizeText} from '../chat/sanitize.js';
import {isSystemType, systemText} from '../chat/system-line.js';
import {isNewTopic} from '../chat/room-notices.js';
import type {ChatStore} from '../store/chat-store.js';
import {connectWithRetry} from './connect-retry.js';
import {findDelivered} from './delivered-lookup.js';
import {createKafka, type SecuritySettings} from './kafka-client.js';
import type {Logger} from './log-file.js';
import {PresenceFeed} from './presence-feed.js';
import {ReadMarks} from './read-marks.js';
import {
	DEFAULT_MAX_MESSAGE_BYTES,
	PRESENCE_TOPIC,
	READMARKS_TOPIC,
	checkRoomName,
	ensureRoom,
	ensureSystemTopics,
	listRooms,
	maxMessageBytes,
	partitionRanges,
	type PartitionRange,
	type RoomSummary,
} from './room-admin.js';
import {LONG_POLL_MS, RoomConsumers} from './room-consumers.js';
import {RoomHistory, type NewerResult, type OlderResult} from './room-history.js';
import {RoomWatch, type RoomEvent} from './room-watch.js';
import {Outbox, type OutboxEntry} from './outbox.js';

export type ChatServiceOptions = SecuritySettings & {
	brokers: string[];
	nick: string;
	store: ChatStore;
	logger: Logger;
	verbose?: boolean;
	/** Lines of history shown on join (default 50). */
	historySize?: number;
	/** Partitions of rooms this instance creates (default 3). */
	partitions?: number;
	/** Heartbeats and member lists (headless `send` turns them off). */
	presence?: boolean;
	/** The folder where undelivered messages are kept across quits and crashes (the app sets one per nick). */
	outboxDir?: string;
	/** Join and leave records and the open-rooms mark (off for passive readers such as `kchat tail`). */
	announce?: boolean;
	/** Every decoded batch, in arrival order (for `kchat tail`). */
	onMessages?: (messages: ChatMessage[]) => void;
	/** A room's topic was deleted, or created again (for `kchat tail`; the app's rooms show it as a line). */
	onRoomEvent?: (event: RoomEvent) => void;
	/**
	 * A command with no screen (`send`, `tail`): no system topics, read marks or consumer over every
	 * room at start, only the rooms it uses. Starts in a few milliseconds instead of a group join.
	 */
	headless?: boolean;
	/**
	 * The SASL login, when there is one: chat records go out only under its nicks (its user name, or one
	 * the config file maps to it). The app is refused at start; `send` when it sends.
	 */
	login?: Login;
};

export type JoinOptions = {partitions?: number; history?: number};

export type Delivery = {room: string; id: string; partition: number; offset: string; timestamp: number};

export class NickError extends Error {}
export class MessageTooLargeError extends Error {}
export class NotJoinedError extends Error {}
export {ConnectRefusedError} from './connect-retry.js';

/** A room being joined: the high watermarks at join time, reached when its history is in. */
type RoomFeed = {targets: Map<number, bigint>; live: boolean; onLive: () => void; history: number};

/** No completed fetch for this long means the cluster is not answering (fetches wait up to LONG_POLL_MS). */
const STALL_MS = LONG_POLL_MS + 2500;
/** How often the room list is read again. */
const ROOM_REFRESH_MS = 30_000;
/** Records arriving this long after the last store update go in at once; sooner, at the end of the turn. */
const QUIET_MS = 4;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The only code that talks to Kafka for the chat: producer, consumers, admin, presence and read
 * marks. It writes what happens into the zustand store through its actions; the UI and the headless
 * commands read the store (or `onMessages`) and call the methods here.
 */
export class ChatService {
	readonly instanceId = randomUUID();
	private readonly kafka: Kafka;
	private readonly admin: Admin;
	/** For presence and read marks (best effort); chat messages go through the outbox's idempotent producer. */
	private readonly producer: Producer;
	private readonly outbox: Outbox;
	/** Messages left undelivered by an earlier run, shown as pending when their room is joined. */
	private readonly saved: OutboxEntry[];
	private readonly consumers: RoomConsumers;
	private readonly scrollback: RoomHistory;
	private readonly presence: PresenceFeed | undefined;
	private readonly readMarks: ReadMarks;
	/** Notices rooms deleted and created again under the same name. */
	private readonly roomWatch: RoomWatch;
	private readonly feeds = new Map<string, RoomFeed>();
	private readonly limits = new Map<string, number>();
	/** Decoded records waiting for the end of this event-loop turn (see flush). */
	private inbox: ChatMessage[] = [];
	private becameLive: Array<[string, RoomFeed]> = [];
	private flushScheduled = false;
	private lastFlushAt = 0;
	private started: Promise<void> | undefined;
	/** When a consumer last completed a fetch: the system topics are never paused, so this ticks ~10 times a second. */
	private lastFetchAt = 0;
	private watchdog: NodeJS.Timeout | undefined;
	private refresher: NodeJS.Timeout | undefined;
	private stopping: Promise<void> | undefined;
	private stopped = false;

	constructor(private readonly options: ChatServiceOptions) {
		const problem = validateNick(options.nick) ?? (options.headless ? undefined : this.loginProblem(options.nick));
		if (problem) throw new NickError(problem);
		this.kafka = createKafka({...options, clientId: `kchat-${options.nick}`});
		// Few retries: the first connect must fail fast so the status line can say why, then we retry ourselves.
		this.admin = this.kafka.admin({retry: {retries: 2, initialRetryTime: 200, maxRetryTime: 1000}});
		this.producer = this.kafka.producer({allowAutoTopicCreation: false});
		this.outbox = new Outbox({
			producer: async () => {
				const producer = this.kafka.producer({idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false});
				await producer.connect();
				return producer;
			},
			...(options.outboxDir ? {dir: options.outboxDir} : {}),
			logger: options.logger,
			health: (ok, reason) => this.store.getState().actions.setConnection(ok ? 'online' : 'reconnecting', reason),
			storage: problem => this.store.getState().actions.setStorageProblem(problem),
			lookup: (room, entries) => findDelivered(this.admin, this.consumers, room, entries),
		});
		this.saved = this.outbox.loadSaved();
		for (const entry of this.saved) {
			// Once settled it is no longer shown as pending when its room is joined.
			void this.deliver(entry)
				.catch(() => undefined)
				.finally(() => {
					const index = this.saved.indexOf(entry);
					if (index >= 0) this.saved.splice(index, 1);
				});
		}
		this.consumers = new RoomConsumers(this.kafka, `kchat.${options.nick}.${this.instanceId}`, {
			records: (topic, partition, records) => this.onRecords(topic, partition, records),
			health: (ok, reason) => {
				if (ok) this.lastFetchAt = Date.now();
				this.store.getState().actions.setConnection(ok ? 'online' : 'reconnecting', reason);
			},
		}, options.logger);
		this.scrollback = new RoomHistory(this.admin, this.consumers, options.store);
		this.roomWatch = new RoomWatch({
			kafka: this.kafka,
			admin: this.admin,
			consumers: this.consumers,
			outbox: this.outbox,
			logger: options.logger,
			joined: room => this.feeds.has(room),
			reopened: room => this.reopened(room),
			onEvent: event => {
				// A room this instance is in shows it (the store ignores rooms it does not have).
				if (this.feeds.has(event.room)) {
					const {actions} = this.store.getState();
					if (event.kind === 'gone') actions.roomGone(event.room, event.reason, event.text);
					else actions.roomBack(event.room, event.text, isNewTopic(event.by));
				}
				options.onRoomEvent?.(event);
			},
		});
		this.readMarks = new ReadMarks(this.producer, options.store, options.logger);
		if (options.presence !== false) this.presence = new PresenceFeed(this.producer, options.store, this.instanceId, options.logger);
	}

	private get store(): ChatStore {
		return this.options.store;
	}

	get nick(): string {
		return this.store.getState().nick;
	}

	/** What the outbox found at start that the user should hear (a damaged file set aside). */
	get outboxNotes(): readonly string[] {
		return this.outbox.notes;
	}

	/**
	 * Connects, retrying with backoff while the cluster is unreachable (the status line says why), so
	 * the UI can open before Kafka answers. Resolves once connected; rejects only if stopped first.
	 */
	start(): Promise<void> {
		this.started ??= this.connectWithRetry();
		return this.started;
	}

	private async connectWithRetry(): Promise<void> {
		const {setConnection} = this.store.getState().actions;
		await connectWithRetry({...this.options, stopped: () => this.stopped, setState: setConnection}, () => this.connectOnce());
		this.watch();
		this.roomWatch.start();
	}

	private async connectOnce(): Promise<void> {
		await this.admin.connect();
		if (this.options.headless) {
			this.outbox.start();
			return;
		}
		await this.producer.connect();
		await ensureSystemTopics(this.admin);
		const rooms = await listRooms(this.admin);
		this.store.getState().actions.setAvailable(rooms);
		// One consumer over every room that exists now, paused: joining any of them is a seek and resume.
		await this.consumers.cover([...rooms.map(r => r.name), PRESENCE_TOPIC, READMARKS_TOPIC]);
		const marks = await partitionRanges(this.admin, READMARKS_TOPIC);
		this.readMarks.expect(marks);
		await this.consumers.openTopic(READMARKS_TOPIC, marks.map(r => ({partition: r.partition, offset: r.low})));
		if (this.presence) {
			// Only heartbeats recent enough to be alive matter: start a little before the TTL.
			const since = await this.admin.fetchTopicOffsetsByTimestamp(PRESENCE_TOPIC, Date.now() - 45_000);
			await this.consumers.openTopic(PRESENCE_TOPIC, since.map(s => ({partition: s.partition, offset: s.offset})));
			this.presence.start();
		}
		this.outbox.start();
	}

	/**
	 * kafkajs retries quietly for seconds before a consumer crashes: the status line should say at once
	 * that the cluster stopped answering, not only when kafkajs gives up.
	 */
	private watch(): void {
		if (this.options.headless) return; // no system topics to tick, no room list to keep
		this.lastFetchAt = Date.now();
		this.watchdog = setInterval(() => {
			const silent = Date.now() - this.lastFetchAt;
			if (silent > STALL_MS) this.store.getState().actions.setConnection('reconnecting', `no answer from ${this.options.brokers.join(',')} for ${Math.round(silent / 1000)} s`);
		}, 1000);
		this.watchdog.unref();
		// Rooms others create show up in the room list, and get a paused consumer so joining them is a seek.
		this.refresher = setInterval(() => void this.rooms().catch(error => this.options.logger.debug('room refresh', {error: errorText(error)})), ROOM_REFRESH_MS);
		this.refresher.unref();
	}

	/** Rooms this nick had open when it last ran (from the read marks in Kafka). */
	async lastOpenRooms(): Promise<string[]> {
		await this.start();
		return this.readMarks.openRooms();
	}

	async rooms(): Promise<RoomSummary[]> {
		await this.start();
		const rooms = await listRooms(this.admin);
		this.store.getState().actions.setAvailable(rooms);
		// Rooms made since the last look get a paused consumer now, so joining them later is instant.
		void this.consumers.cover(rooms.map(r => r.name)).catch(error => this.options.logger.warn('cover', {error: errorText(error)}));
		return rooms;
	}

	joinedRooms(): string[] {
		return [...this.feeds.keys()];
	}

	/** Joins a room: creates it when missing, loads its last lines, then streams it live. */
	async join(room: string, options: JoinOptions = {}): Promise<void> {
		checkRoomName(room);
		const {actions} = this.store.getState();
		if (this.feeds.has(room)) {
			actions.selectRoom(room);
			return;
		}
		actions.roomJoining(room);
		const saved = this.saved.filter(e => e.room === room && !isSystemType(e.type));
		if (saved.length > 0) actions.receive(saved.map(e => pendingLine(e)));
		const history = options.history ?? this.options.historySize ?? 50;
		let onLive = (): void => {};
		const live = new Promise<void>(resolve => (onLive = resolve));
		const feed: RoomFeed = {targets: new Map(), live: false, onLive, history};
		this.feeds.set(room, feed);
		try {
			await this.start();
			let ranges: PartitionRange[];
			if (this.options.headless) {
				// A reader with no screen: its consumer's group join (the longest step) starts at once, beside the
				// room's check and then its offsets. A room that has to be created first fails the consumer's
				// subscription at once (no such topic yet): it is covered again once the room is there.
				const early = this.consumers.cover([room], {quick: false}).then(
					() => true,
					() => false,
				);
				await ensureRoom(this.admin, room, options.partitions ?? this.options.partitions ?? 3);
				this.roomWatch.adopt(room);
				const covered = async (): Promise<void> => {
					if (!(await early)) await this.consumers.cover([room], {quick: false});
				};
				[ranges] = await Promise.all([partitionRanges(this.admin, room), covered()]);
			} else {
				if (await this.prepareRoom(room, options.partitions)) void this.rooms().catch(() => undefined);
				this.roomWatch.adopt(room);
				ranges = await partitionRanges(this.admin, room);
			}
			const starts = ranges.map(r => ({
				partition: r.partition,
				offset: history === Infinity ? BigInt(r.low) : maxBig(BigInt(r.low), BigInt(r.high) - BigInt(history)),
				high: BigInt(r.high),
			}));
			for (const s of starts) if (s.offset < s.high) feed.targets.set(s.partition, s.high);
			const mark = this.readMarks.markFor(room);
			if (mark) actions.setReadMark(room, mark);
			if (feed.targets.size === 0) this.markLive(room, feed);
			await this.consumers.openTopic(room, starts.map(s => ({partition: s.partition, offset: s.offset.toString()})));
			await live;
			if (!this.feeds.has(room)) return; // left while joining
			this.presence?.update(this.joinedRooms());
			if (this.options.announce !== false) {
				this.readMarks.openRoomsChanged(this.store.getState().order);
				void this.sendRecord(room, 'join', `${this.nick} joined ${room}`, false).catch(() => undefined);
			}
		} catch (error) {
			this.feeds.delete(room);
			this.consumers.closeTopic(room);
			actions.roomFailed(room, errorText(error));
			throw error;
		}
	}

	/** Leaves a room: its records stop at once; the other rooms do not notice. A room that failed to join just goes. */
	async leave(room: string): Promise<void> {
		if (!this.feeds.has(room)) {
			if (this.store.getState().rooms[room]?.status !== 'failed') throw new NotJoinedError(`not in room ${room}`);
			this.store.getState().actions.roomLeft(room);
			return;
		}
		// A deleted room gets no leave record: it would wait in the outbox for a room that may never come back.
		const gone = this.store.getState().rooms[room]?.gone !== undefined;
		this.feeds.delete(room);
		this.consumers.closeTopic(room);
		this.store.getState().actions.roomLeft(room);
		this.presence?.update(this.joinedRooms());
		if (this.options.announce === false) return;
		this.readMarks.openRoomsChanged(this.store.getState().order);
		if (gone) return;
		await this.sendRecord(room, 'leave', `${this.nick} left ${room}`, false).catch(() => undefined);
	}

	/** Creates the room when it is missing (for senders that do not join). */
	async ensureRoom(room: string, partitions?: number): Promise<void> {
		checkRoomName(room);
		await this.start();
		await this.prepareRoom(room, partitions);
	}

	/** Creates the room when missing and reads its size limit, so checkSize refuses what the broker would. True when created. */
	private async prepareRoom(room: string, partitions?: number): Promise<boolean> {
		const created = await ensureRoom(this.admin, room, partitions ?? this.options.partitions ?? 3);
		this.limits.set(room, await maxMessageBytes(this.admin, room));
		return created;
	}

	/**
	 * Sends a chat line: shown at once as pending, then delivered (partition, offset) or failed (reason).
	 * `timeoutMs`: how long it may wait for the broker before it fails (default: until delivered).
	 */
	send(room: string, text: string, type: Extract<MessageType, 'message' | 'action'> = 'message', options: {timeoutMs?: number} = {}): Promise<Delivery> {
		return this.sendRecord(room, type, text, true, options.timeoutMs);
	}

	/** Reads up to `lines` lines older than the oldest the room holds (scrollback, /history, search). */
	async history(room: string, lines: number): Promise<OlderResult> {
		if (!this.feeds.has(room)) throw new NotJoinedError(`not in room ${room}`);
		return this.scrollback.older(room, lines);
	}

	/** Reads newer lines into a room that let its newest ones go; it takes live lines again at the end. */
	async newer(room: string, lines: number): Promise<NewerResult> {
		if (!this.feeds.has(room)) throw new NotJoinedError(`not in room ${room}`);
		return this.scrollback.newer(room, lines);
	}

	/** The live end again for a room that let its newest lines go. */
	async toLive(room: string): Promise<void> {
		if (!this.feeds.has(room)) throw new NotJoinedError(`not in room ${room}`);
		await this.scrollback.toLive(room, this.options.historySize ?? 50);
	}

	/** Changes the nick for what this instance sends from now on; presence follows, and every room is told. */
	setNick(nick: string): void {
		const problem = validateNick(nick) ?? this.loginProblem(nick);
		if (problem) throw new NickError(problem);
		const old = this.nick;
		if (old === nick) return;
		if (this.options.announce !== false) {
			// Sent under the old nick, before the store takes the new one.
			for (const room of this.feeds.keys()) void this.sendRecord(room, 'nick', systemText('nick', old, room, nick), false, undefined, nick).catch(() => undefined);
		}
		this.presence?.renamed(old);
		this.store.getState().actions.setNick(nick);
		this.presence?.update(this.joinedRooms());
	}

	/** The size check that runs before anything is sent (also used by the UI to keep the input). */
	checkSize(room: string, text: string): void {
		const limit = this.limits.get(room) ?? DEFAULT_MAX_MESSAGE_BYTES;
		const size = recordSizeEstimate(encodeRecord({id: randomUUID(), user: this.nick, type: 'message', text, sentAt: Date.now()}));
		if (size > limit) {
			throw new MessageTooLargeError(`message is too large: ${size} bytes, room ${room} takes at most ${limit} bytes (max.message.bytes)`);
		}
	}

	private loginProblem(nick: string): string | undefined {
		return this.options.login ? loginNickProblem(nick, this.options.login) : undefined;
	}

	private async sendRecord(room: string, type: MessageType, text: string, show: boolean, timeoutMs?: number, newNick?: string): Promise<Delivery> {
		checkRoomName(room);
		this.checkSize(room, text);
		const refused = this.loginProblem(this.nick);
		if (refused) throw new NickError(refused);
		const entry: OutboxEntry = {id: randomUUID(), room, user: this.nick, type, text, sentAt: Date.now(), ...(newNick ? {newNick} : {})};
		if (show && this.feeds.has(room)) this.store.getState().actions.receive([pendingLine(entry)]);
		return this.deliver(entry, timeoutMs);
	}

	/** Through the outbox; the store's line settles as delivered (partition, offset) or failed (reason). */
	private async deliver(entry: OutboxEntry, timeoutMs?: number): Promise<Delivery> {
		const {actions} = this.store.getState();
		try {
			const d = await this.outbox.enqueue(entry, timeoutMs);
			const delivery: Delivery = {room: entry.room, id: entry.id, ...d};
			actions.updateMessage(entry.room, entry.id, {state: 'delivered', partition: d.partition, offset: d.offset, timestamp: d.timestamp});
			return delivery;
		} catch (error) {
			if (!this.stopped) actions.updateMessage(entry.room, entry.id, {state: 'failed', error: errorText(error)});
			throw error;
		}
	}

	private onRecords(topic: string, partition: number, records: RawRecord[]): void {
		if (topic === PRESENCE_TOPIC) {
			this.presence?.records(records);
			return;
		}
		if (topic === READMARKS_TOPIC) {
			this.readMarks.records(partition, records);
			return;
		}
		const feed = this.feeds.get(topic);
		if (!feed) return;
		for (const record of records) this.inbox.push(decodeRecord(record));
		if (!feed.live) {
			const target = feed.targets.get(partition);
			const next = BigInt(records[records.length - 1]!.offset) + 1n;
			if (target !== undefined && next >= target) feed.targets.delete(partition);
			if (feed.targets.size === 0) this.becameLive.push([topic, feed]);
		}
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			// After a quiet spell (people typing) records go to the store before kafkajs goes on to its next
			// fetch: waiting for the end of the turn cost ~0.25 ms per message. Under load they are coalesced.
			if (performance.now() - this.lastFlushAt > QUIET_MS) queueMicrotask(() => this.flush());
			else setImmediate(() => this.flush());
		}
	}

	/**
	 * One store update for everything that arrived since the flush was scheduled: kafkajs hands over one
	 * partition's batch at a time, and a React render per batch cost a core at 5,000 messages a second.
	 */
	private flush(): void {
		this.flushScheduled = false;
		this.lastFlushAt = performance.now();
		const messages = this.inbox;
		this.inbox = [];
		if (messages.length > 0) {
			this.store.getState().actions.receive(messages);
			this.options.onMessages?.(messages);
		}
		for (const [room, feed] of this.becameLive.splice(0)) if (this.feeds.get(room) === feed) this.markLive(room, feed);
	}

	/** The room reads a new topic of its name: a join still waiting for the old one's history is done. */
	private reopened(room: string): void {
		const feed = this.feeds.get(room);
		if (feed && !feed.live) this.markLive(room, feed);
		void maxMessageBytes(this.admin, room).then(limit => this.limits.set(room, limit));
		if (!this.options.headless) void this.rooms().catch(() => undefined);
	}

	private markLive(room: string, feed: RoomFeed): void {
		if (feed.live) return;
		feed.live = true;
		const {actions} = this.store.getState();
		// Partitions each gave up to N lines: keep the newest N overall.
		if (feed.history !== Infinity) actions.keepNewest(room, feed.history);
		actions.roomLive(room);
		feed.onLive();
	}

	/** Leaves cleanly: presence says offline, read marks are written, consumer groups are deleted. */
	stop(): Promise<void> {
		this.stopping ??= this.shutdown();
		return this.stopping;
	}

	private async shutdown(): Promise<void> {
		this.stopped = true;
		clearInterval(this.watchdog);
		clearInterval(this.refresher);
		await withTimeout(this.roomWatch.stop(), 2000);
		const wasConnected = this.started !== undefined && this.store.getState().connection.state === 'online';
		// A clean quit says so in every room, before the outbox's last delivery.
		if (wasConnected && this.options.announce !== false) {
			for (const room of this.feeds.keys()) void this.sendRecord(room, 'quit', systemText('quit', this.nick, room), false).catch(() => undefined);
		}
		// Deliver what is queued while the cluster answers (up to 8 s); the rest stays in the outbox file.
		await this.outbox.drain(wasConnected ? 8000 : 0);
		await this.outbox.stop();
		if (wasConnected) {
			await withTimeout(Promise.allSettled([this.presence?.stop(), this.readMarks.flush()]), 2000);
		}
		this.presence?.dispose();
		this.readMarks.dispose();
		await withTimeout(this.consumers.stop(), 5000);
		await withTimeout(Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]), 2000);
		this.store.getState().actions.setConnection('offline', 'stopped');
	}
}

/** How one of our own messages shows before the broker has it. */
function pendingLine(e: OutboxEntry): ChatMessage {
	return {id: e.id, room: e.room, user: sanitizeText(e.user), type: e.type, text: sanitizeText(e.text), timestamp: e.sentAt, partition: -1, offset: '-1', sentAt: e.sentAt, state: 'pending', foreign: false};
}

function maxBig(a: bigint, b: bigint): bigint {
	return a > b ? a : b;
}

async function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([work.catch(() => undefined), new Promise(resolve => (timer = setTimeout(resolve, ms)))]);
	clearTimeout(timer);
}
