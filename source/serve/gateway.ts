import {randomUUID} from 'node:crypto';
import type {MessageType} from '../chat/message.js';
import {HEARTBEAT_MS, type PresenceRecord} from '../chat/presence-table.js';
import {systemText} from '../chat/system-line.js';
import type {ClientMessage, RoomSummaryWire, ServerMessage} from '../chat/web-protocol.js';
import {CLOSE_CODES} from '../chat/web-protocol.js';
import type {Delivered, GatewayEvents, LinkState, OutboxEntry, ReadMarkRecord, RoomEvent, RoomSummary} from '../kafka/gateway-engine.js';
import type {Logger} from '../kafka/log-file.js';
import {ClientSession, type SessionLimits, type SocketLike} from './client-session.js';
import {PagePresence} from './page-presence.js';
import {PresenceBoard} from './presence-board.js';
import {RateLimit} from './rate-limit.js';
import {ReadMarkBook} from './read-mark-book.js';
import {SendDesk} from './send-desk.js';
import {encodeFrame, RoomHub, type HubLink, type Subscriber} from './room-hub.js';

/** What the gateway needs of the engine (GatewayEngine; a fake in unit tests). */
export type GatewayLink = HubLink & {
	start(): Promise<void>;
	marksReady(): Promise<void>;
	rooms(): Promise<RoomSummary[]>;
	send(entry: OutboxEntry): Promise<Delivered>;
	heartbeat(records: PresenceRecord[]): Promise<void>;
	writeReadMark(key: string, value: Record<string, unknown>): Promise<void>;
	stop(): Promise<void>;
	readonly link: LinkState;
};

export type GatewayOptions = {
	logger: Logger;
	/** Partitions of rooms a page creates (default 3). */
	partitions?: number;
	/** Lines per partition read when a room is first opened (default 200), and kept per room (default 2,000). */
	depth?: number;
	cap?: number;
	/** Lines a page gets when it opens a room without positions (default 50, as the app). */
	history?: number;
	/** How long a room no page has open is still read, so a page that comes back resumes at once (default 30 s). */
	lingerMs?: number;
	/** A page's send queue limit in bytes (default 4 MiB). */
	sendQueueBytes?: number;
	/** Messages a second one page may send (default 10, bursts of 30). */
	sendRate?: number;
};

const ROOM_REFRESH_MS = 30_000;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * `kchat serve`'s core: pages (ClientSession) on one side, the engine on the other. Each room any page
 * has open is a RoomHub, read once from Kafka and fanned out. Web users are ordinary kchat users: their
 * messages go through the outbox as records keyed by their nick, they beat in `kchat.presence`, and
 * their read marks are the app's.
 */
export class Gateway {
	readonly events: GatewayEvents;
	private readonly link: GatewayLink;
	private readonly hubs = new Map<string, RoomHub>();
	private readonly lingering = new Map<string, NodeJS.Timeout>();
	private readonly sessions = new Set<ClientSession>();
	private readonly createLimits = new WeakMap<ClientSession, RateLimit>();
	private readonly desk: SendDesk;
	private readonly presence: PagePresence;
	private readonly marks: ReadMarkBook;
	private readonly board: PresenceBoard;
	private readonly limits: SessionLimits;
	private health: ServerMessage = {t: 'health', state: 'connecting'};
	private roomList: RoomSummaryWire[] = [];
	private readonly timers: NodeJS.Timeout[] = [];
	private stopped = false;

	constructor(
		makeLink: (events: GatewayEvents) => GatewayLink,
		private readonly options: GatewayOptions,
	) {
		this.events = {
			messages: (room, _partition, messages) => this.hubs.get(room)?.records(messages),
			presence: records => this.board.records(records),
			readMarks: records => this.onReadMarks(records),
			health: (state, reason) => this.onHealth(state, reason),
			roomEvent: event => this.onRoomEvent(event),
			reopened: room => this.hubs.get(room)?.reopened(),
		};
		this.link = makeLink(this.events);
		this.marks = new ReadMarkBook(
			(key, value) => this.link.writeReadMark(key, value),
			(nick, room, ts) => {
				for (const s of this.sessions) if (s.nick === nick && s.rooms.has(room)) s.send({t: 'mark', room, ts});
			},
		);
		this.board = new PresenceBoard(
			() => this.hubs.keys(),
			(room, changed, gone) => this.hubs.get(room)?.broadcast(encodeFrame({t: 'members-changed', room, changed, gone})),
		);
		this.desk = new SendDesk(entry => this.link.send(entry), options.sendRate ?? 10);
		this.presence = new PagePresence(records => this.link.heartbeat(records), () => this.sessions);
		this.limits = {sendQueueBytes: options.sendQueueBytes ?? 4 * 1024 * 1024, frameRate: 50, frameBurst: 200};
	}

	/** Connects to Kafka (in the background: pages wait for it) and starts the heartbeats. */
	start(): void {
		void this.link.start().then(
			() => this.refreshRooms(),
			error => this.options.logger.error('gateway: cannot connect', {error: errorText(error)}),
		);
		const beat = setInterval(() => {
			this.presence.beat();
			this.board.expire(Date.now());
		}, HEARTBEAT_MS);
		const rooms = setInterval(() => void this.refreshRooms(), ROOM_REFRESH_MS);
		for (const t of [beat, rooms]) {
			t.unref();
			this.timers.push(t);
		}
	}

	/** A new WebSocket: returns the session that takes its frames. */
	attach(socket: SocketLike): ClientSession {
		const session = new ClientSession(socket, this, this.limits);
		this.sessions.add(session);
		this.createLimits.set(session, new RateLimit(1 / 12, 10));
		return session;
	}

	/** Stopping: new pages are refused (they would only be told to go away). */
	get stopping(): boolean {
		return this.stopped;
	}

	get sessionCount(): number {
		return this.sessions.size;
	}

	async hello(session: ClientSession): Promise<void> {
		session.send(this.health);
		await this.link.marksReady();
		if (this.stopped) throw new Error('stopping');
		if (this.roomList.length === 0) await this.refreshRooms();
		session.send({t: 'welcome', nick: session.nick, openRooms: this.marks.openRooms(session.nick), rooms: this.roomList});
		this.presence.beat(session);
	}

	handle(session: ClientSession, message: Exclude<ClientMessage, {t: 'hello'}>): void {
		switch (message.t) {
			case 'join':
				return this.join(session, message);
			case 'leave':
				return this.leave(session, message.room, true);
			case 'send': {
				const hub = this.hubs.get(message.room);
				if (!session.rooms.has(message.room) || !hub) return session.send({t: 'failed', room: message.room, id: message.id, error: `not in room ${message.room}`});
				return this.desk.submit(session, session.nick, message, hub.limit, reply => session.send(reply));
			}
			case 'read':
				// A mark in the future would hide the nick's unread lines for good: marks only move forward.
				if (message.ts > Date.now() + 60_000) return session.refuse('ts is in the future');
				if (session.rooms.has(message.room)) this.marks.read(session.nick, message.room, message.ts);
				return;
			case 'nick':
				return this.rename(session, message.nick);
			case 'rooms':
				void this.refreshRooms().then(() => session.send({t: 'rooms', rooms: this.roomList}));
				return;
		}
	}

	closed(session: ClientSession): void {
		if (!this.sessions.delete(session)) return;
		for (const room of [...session.rooms.keys()]) this.leave(session, room, false);
		this.presence.offlineLater(session.nick, session.instance);
	}

	private join(session: ClientSession, message: Extract<ClientMessage, {t: 'join'}>): void {
		const {room} = message;
		if (session.rooms.has(room)) return session.refuse(`already in room ${room}`);
		if (session.rooms.size >= 100) return session.refuse('at most 100 rooms open at once');
		const since = message.since ? new Map(Object.entries(message.since).map(([p, o]) => [Number(p), BigInt(o)])) : undefined;
		let hub = this.hubs.get(room);
		// Joining a room that does not exist creates it: a page may not make topics without end.
		const known = hub !== undefined || this.roomList.some(r => r.name === room);
		if (!known && !this.createLimits.get(session)!.take()) return session.send({t: 'room-failed', room, error: 'too many new rooms: at most 10, then one every 12 s'});
		if (!hub || hub.status === 'failed') {
			hub = new RoomHub(room, this.link, {depth: this.options.depth ?? 200, cap: this.options.cap ?? 2000, partitions: message.partitions ?? this.options.partitions ?? 3});
			this.hubs.set(room, hub);
			// A room made just now shows in every page's list of the server's rooms.
			void hub.open(since).then(() => (known ? undefined : this.refreshRooms()));
		}
		clearTimeout(this.lingering.get(room));
		this.lingering.delete(room);
		let announced = !message.announce;
		const subscriber: Subscriber = {
			...(since ? {since} : {}),
			history: message.history ?? this.options.history ?? 50,
			joined: limit => {
				const mark = this.marks.markFor(session.nick, room);
				session.send({t: 'joined', room, limit, ...(mark ? {mark} : {})});
				session.send({t: 'members', room, members: this.board.members(room)});
			},
			deliver: frame => session.deliver(frame),
			live: () => {
				if (announced) return;
				announced = true;
				this.marks.openRoomsChanged(session.nick, [...session.rooms.keys()]);
				void this.record(session.nick, room, 'join', `${session.nick} joined ${room}`).catch(() => undefined);
			},
			failed: error => {
				session.rooms.delete(room);
				session.send({t: 'room-failed', room, error});
			},
		};
		session.rooms.set(room, subscriber);
		hub.subscribe(subscriber);
		this.presence.beat(session);
	}

	/** `announce`: the page left the room (a leave record, open rooms written); false when the page went away. */
	private leave(session: ClientSession, room: string, announce: boolean): void {
		const subscriber = session.rooms.get(room);
		if (!subscriber) return announce ? session.refuse(`not in room ${room}`) : undefined;
		session.rooms.delete(room);
		const hub = this.hubs.get(room);
		if (hub?.unsubscribe(subscriber)) this.lingerThenClose(room, hub);
		if (!announce) return;
		this.marks.openRoomsChanged(session.nick, [...session.rooms.keys()]);
		this.presence.beat(session);
		void this.record(session.nick, room, 'leave', `${session.nick} left ${room}`).catch(() => undefined);
	}

	private lingerThenClose(room: string, hub: RoomHub): void {
		if (this.stopped) return;
		const timer = setTimeout(() => {
			this.lingering.delete(room);
			if (this.hubs.get(room) !== hub || hub.size > 0) return;
			this.hubs.delete(room);
			this.board.forget(room);
			hub.close();
		}, hub.status === 'failed' ? 0 : (this.options.lingerMs ?? 30_000));
		timer.unref();
		this.lingering.set(room, timer);
	}

	/** A join, leave or nick record, through the outbox like the app's. */
	private record(nick: string, room: string, type: MessageType, text: string, newNick?: string): Promise<Delivered> {
		return this.link.send({id: randomUUID(), room, user: nick, type, text, sentAt: Date.now(), ...(newNick ? {newNick} : {})});
	}

	private rename(session: ClientSession, nick: string): void {
		const old = session.nick;
		if (old === nick) return session.send({t: 'nick', nick});
		session.nick = nick;
		session.send({t: 'nick', nick});
		// Every room the page is in reads "old is now known as new", as from the app.
		for (const room of session.rooms.keys()) void this.record(old, room, 'nick', systemText('nick', old, room, nick), nick).catch(() => undefined);
		this.presence.offlineLater(old, session.instance, 0);
		this.presence.beat(session);
	}

	private onReadMarks(records: ReadMarkRecord[]): void {
		this.marks.records(records);
	}

	/** A room deleted, or there again: its pages are told (as the app shows it), and every page's room list follows. */
	private onRoomEvent(event: RoomEvent): void {
		const hub = this.hubs.get(event.room);
		if (hub && hub.status !== 'failed') {
			if (event.kind === 'gone') hub.topicGone(event.reason);
			else hub.topicBack(event.by);
		}
		void this.refreshRooms();
	}

	private onHealth(state: LinkState, reason?: string): void {
		const next: ServerMessage = reason ? {t: 'health', state, reason} : {t: 'health', state};
		if (JSON.stringify(next) === JSON.stringify(this.health)) return;
		this.health = next;
		const frame = encodeFrame(next);
		// Pages waiting for their welcome too: that wait is what they are told about.
		for (const s of this.sessions) if (s.nick) s.deliver(frame);
	}

	private async refreshRooms(): Promise<void> {
		try {
			const rooms = (await this.link.rooms()).map(r => ({name: r.name, partitions: r.partitions}));
			if (JSON.stringify(rooms) === JSON.stringify(this.roomList)) return;
			this.roomList = rooms;
			const frame = encodeFrame({t: 'rooms', rooms});
			for (const s of this.sessions) if (s.isReady) s.deliver(frame);
		} catch (error) {
			this.options.logger.debug('room refresh', {error: errorText(error)});
		}
	}

	/** Pages are told (close 1001, they reconnect), presence says offline, marks are written, the engine stops. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		for (const t of this.timers) clearInterval(t);
		for (const t of this.lingering.values()) clearTimeout(t);
		this.board.dispose();
		// Taken before the pages are closed: their nicks and instances go offline.
		const offline = this.presence.stop();
		for (const s of [...this.sessions]) s.close(CLOSE_CODES.goingAway, 'server shutting down');
		for (const hub of this.hubs.values()) hub.close();
		if (this.link.link === 'online') await Promise.allSettled([offline, this.marks.flush()]);
		await this.link.stop();
	}
}
