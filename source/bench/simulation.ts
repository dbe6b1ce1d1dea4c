import {randomUUID} from 'node:crypto';
import {encodePresence, HEARTBEAT_MS} from '../chat/presence-table.js';
import {encodeRecord} from '../chat/record-codec.js';
import type {MessageType} from '../chat/message.js';
import type {TopicRecords, WireRecord} from '../kafka/bench-clients.js';
import {PRESENCE_TOPIC} from '../kafka/room-admin.js';
import {chatLine, simulatedNicks} from './chat-corpus.js';
import {Random, WeightedPicker} from './random.js';

/** Where the simulation's records go: one request per call (BenchProducer in real runs). */
export type RecordSender = {send(batches: TopicRecords[]): Promise<void>};

export type SimulationOptions = {
	sender: RecordSender;
	users: number;
	rooms: string[];
	/** Chat lines per second, all users together. */
	rate: number;
	seed: number;
	/** Heartbeats in kchat.presence, so TUIs list the simulated users as members (default true). */
	presence?: boolean;
	/** Users arrive over this long at the start (default 3 s). */
	arrivalMs?: number;
	/** How often records are sent (default 20 ms): lines due in between go in one request. */
	tickMs?: number;
};

export type SimulationStats = {
	/** Chat records handed to Kafka: messages, actions, joins and leaves. */
	sent: number;
	delivered: number;
	failed: number;
	/** Of `sent`: chat lines (messages and /me actions), joins and leaves. */
	messages: number;
	joins: number;
	leaves: number;
	/** Chat lines the broker acknowledged. */
	deliveredMessages: number;
	inFlight: number;
	elapsedMs: number;
	/** The last send error, if any. */
	lastError?: string;
};

type SimUser = {nick: string; instance: string; rooms: Set<string>; arrived: boolean; arriveAt: number; nextBeat: number};
type Pending = {topic: string; record: WireRecord; kind: 'message' | 'join' | 'leave' | 'presence'};

/** At most this many requests in flight; lines due meanwhile wait and go in the next request. */
const MAX_IN_FLIGHT = 32;

/**
 * N simulated users in one process, sharing one producer: each record carries its user's nick as
 * the key and in `kchat-user`, exactly as a ChatService of that nick would write it. Users arrive,
 * join rooms (join records), chat at `rate` lines a second in total (some users far chattier than
 * others), now and then join or leave a room, and beat presence so member lists show them.
 */
export class Simulation {
	private readonly random: Random;
	private readonly users: SimUser[];
	private readonly userPicker: WeightedPicker;
	private readonly roomPicker: WeightedPicker;
	private readonly pending: Pending[] = [];
	private readonly requests = new Set<Promise<void>>();
	private readonly stats: SimulationStats = {sent: 0, delivered: 0, failed: 0, messages: 0, joins: 0, leaves: 0, deliveredMessages: 0, inFlight: 0, elapsedMs: 0};
	private readonly eventRate: number;
	private startedAt = 0;
	private linesDue = 0;
	private eventsDue = 0;
	private timer: NodeJS.Timeout | undefined;
	private stopping = false;

	constructor(private readonly options: SimulationOptions) {
		if (options.users < 1) throw new Error('at least one user');
		if (options.rooms.length < 1) throw new Error('at least one room');
		this.random = new Random(options.seed);
		const nicks = simulatedNicks(options.users, this.random);
		const arrival = options.arrivalMs ?? 3000;
		this.users = nicks.map((nick, i) => ({
			nick,
			instance: randomUUID(),
			rooms: new Set(),
			arrived: false,
			arriveAt: options.users === 1 ? 0 : (arrival * i) / options.users,
			nextBeat: 0,
		}));
		// Some people talk a lot, most a little (Zipf-like weights over a shuffled order).
		const ranks = this.random.shuffle(nicks.map((_, i) => i + 1));
		this.userPicker = new WeightedPicker(ranks.map(rank => 1 / rank ** 0.8));
		this.roomPicker = new WeightedPicker(options.rooms.map((_, i) => 1 / (i + 1) ** 0.7));
		// Each user does something about once a minute.
		this.eventRate = Math.max(options.users / 60, 0.2);
		for (const [i, user] of this.users.entries()) this.chooseInitialRooms(user, i);
	}

	get nicks(): string[] {
		return this.users.map(u => u.nick);
	}

	start(): void {
		this.startedAt = performance.now();
		this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 20);
		this.tick();
	}

	snapshot(): SimulationStats {
		return {...this.stats, inFlight: this.requests.size, elapsedMs: this.startedAt ? performance.now() - this.startedAt : 0};
	}

	/** Stops chatting: every user leaves its rooms and goes offline, and every request is answered. */
	async stop(): Promise<SimulationStats> {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		const elapsedMs = performance.now() - this.startedAt;
		if (!this.stopping) {
			this.stopping = true;
			for (const user of this.users) {
				if (!user.arrived) continue;
				for (const room of [...user.rooms]) this.leave(user, room);
				this.beat(user, 'offline');
			}
		}
		while (this.pending.length > 0 || this.requests.size > 0) {
			this.flush();
			await Promise.race(this.requests);
		}
		return {...this.stats, inFlight: 0, elapsedMs};
	}

	private chooseInitialRooms(user: SimUser, index: number): void {
		const rooms = this.options.rooms;
		// Every room gets someone; then 1-3 rooms each, the first rooms the busiest.
		user.rooms.add(rooms[index % rooms.length]!);
		const extra = this.random.int(Math.min(rooms.length, 3));
		for (let k = 0; k < extra; k++) user.rooms.add(rooms[this.roomPicker.pick(this.random)]!);
	}

	private tick(): void {
		const now = performance.now() - this.startedAt;
		for (const user of this.users) if (!user.arrived && user.arriveAt <= now) this.arrive(user, now);

		const lines = Math.floor((this.options.rate * now) / 1000);
		for (; this.linesDue < lines; this.linesDue++) this.chat(now);
		const events = Math.floor((this.eventRate * now) / 1000);
		for (; this.eventsDue < events; this.eventsDue++) this.membershipEvent(now);

		if (this.options.presence !== false) {
			for (const user of this.users) if (user.arrived && user.nextBeat <= now) this.beat(user, 'online', now);
		}
		this.flush();
	}

	private arrive(user: SimUser, now: number): void {
		user.arrived = true;
		for (const room of user.rooms) this.push(room, user, 'join', `${user.nick} joined ${room}`);
		// Heartbeats spread over the interval, not all users at once.
		user.nextBeat = now + this.random.int(HEARTBEAT_MS);
		if (this.options.presence !== false) this.beat(user, 'online', now);
	}

	private chat(now: number): void {
		// A chatty user, who must be in some room: a few tries, then anyone in a room.
		let user: SimUser | undefined;
		for (let tries = 0; tries < 8 && !user; tries++) {
			const candidate = this.users[this.userPicker.pick(this.random)]!;
			if (candidate.rooms.size > 0) user = candidate;
		}
		user ??= this.users.find(u => u.rooms.size > 0);
		if (!user) return;
		if (!user.arrived) this.arrive(user, now);
		const rooms = [...user.rooms];
		const room = this.random.pick(rooms);
		const others = this.users.filter(u => u !== user && u.arrived && u.rooms.has(room)).map(u => u.nick);
		const line = chatLine({room, nick: user.nick, others: others.length > 12 ? others.slice(0, 12) : others}, this.random);
		this.push(room, user, line.type, line.text);
	}

	private membershipEvent(now: number): void {
		const user = this.random.pick(this.users);
		if (!user.arrived) return;
		const rooms = this.options.rooms;
		const outside = rooms.filter(r => !user.rooms.has(r));
		const canLeave = user.rooms.size > 1 || (rooms.length === 1 && user.rooms.size === 1);
		if (outside.length > 0 && (!canLeave || this.random.chance(0.5))) {
			const room = this.random.pick(outside);
			user.rooms.add(room);
			this.push(room, user, 'join', `${user.nick} joined ${room}`);
		} else if (canLeave) {
			this.leave(user, this.random.pick([...user.rooms]));
		}
		if (this.options.presence !== false) this.beat(user, 'online', now);
	}

	private leave(user: SimUser, room: string): void {
		user.rooms.delete(room);
		this.push(room, user, 'leave', `${user.nick} left ${room}`);
	}

	private beat(user: SimUser, status: 'online' | 'offline', now = 0): void {
		if (this.options.presence === false) return;
		user.nextBeat = now + HEARTBEAT_MS;
		const value = encodePresence({nick: user.nick, instance: user.instance, status, rooms: status === 'offline' ? [] : [...user.rooms], at: Date.now(), simulated: true});
		this.pending.push({topic: PRESENCE_TOPIC, record: {key: user.nick, value}, kind: 'presence'});
	}

	private push(room: string, user: SimUser, type: MessageType, text: string): void {
		const record = encodeRecord({id: randomUUID(), user: user.nick, type, text, sentAt: Date.now()});
		const kind = type === 'join' || type === 'leave' ? type : 'message';
		this.pending.push({topic: room, record, kind});
		this.stats.sent++;
		if (kind === 'message') this.stats.messages++;
		else if (kind === 'join') this.stats.joins++;
		else this.stats.leaves++;
	}

	private flush(): void {
		if (this.pending.length === 0 || this.requests.size >= MAX_IN_FLIGHT) return;
		const items = this.pending.splice(0);
		const chat = items.filter(i => i.kind !== 'presence');
		const presence = items.filter(i => i.kind === 'presence');
		if (chat.length > 0) {
			const lines = chat.filter(i => i.kind === 'message').length;
			this.request(chat).then(
				() => {
					this.stats.delivered += chat.length;
					this.stats.deliveredMessages += lines;
				},
				(error: unknown) => {
					this.stats.failed += chat.length;
					this.stats.lastError = error instanceof Error ? error.message : String(error);
				},
			);
		}
		// Presence goes on its own: a heartbeat that fails must not fail the chat lines with it.
		if (presence.length > 0) this.request(presence).catch(() => undefined);
	}

	private request(items: Pending[]): Promise<void> {
		const byTopic = new Map<string, WireRecord[]>();
		for (const item of items) {
			const list = byTopic.get(item.topic);
			if (list) list.push(item.record);
			else byTopic.set(item.topic, [item.record]);
		}
		const sent = this.options.sender.send([...byTopic].map(([topic, records]) => ({topic, records})));
		const settled: Promise<void> = sent.then(
			() => undefined,
			() => undefined,
		);
		this.requests.add(settled);
		void settled.finally(() => this.requests.delete(settled));
		return sent;
	}
}
