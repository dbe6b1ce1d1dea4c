import {backoffDelay} from '../chat/backoff.js';
import type {ChatMessage} from '../chat/message.js';
import {encodeRecord, recordSizeEstimate} from '../chat/record-codec.js';
import {isNewTopic, roomDeletedText, roomReturnedText, type ReturnedBy} from '../chat/room-notices.js';
import {sanitizeText} from '../chat/sanitize.js';
import {applyMembers, CLOSE_CODES, fromWire, SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX, type ClientMessage, type Positions, type SendType, type ServerMessage} from '../chat/web-protocol.js';
import type {ChatStore} from '../store/chat-store.js';
import {PageOutbox, pendingLine, type Outgoing} from './page-outbox.js';
import {randomId} from './random-id.js';

// The page's side of the gateway: one WebSocket, the protocol turned into store actions (the same
// zustand store and actions as the terminal app: ordering, unread counts, mentions, markers), and an
// outbox of the page's own messages that survives reconnects and reloads until each is delivered or
// failed. Reconnecting resumes every room from the positions the page has: nothing lost, nothing twice.

export type SocketState = 'connecting' | 'open' | 'closed';
export type ClientStatus = {socket: SocketState; problem?: string; needsToken: boolean};

export type ClientOptions = {
	store: ChatStore;
	/** ws://host:port/ws */
	url: string;
	token?: string;
	/** Stays the same across reconnects and reloads of this tab: one presence instance. */
	instance: string;
	/** sessionStorage: the outbox survives a reload. */
	storage?: Storage;
	history?: number;
	/** The rooms to open once connected the first time (else the nick's last rooms, else lobby). */
	rooms?: string[];
};

const READ_DELAY_MS = 1000;
export const DEFAULT_ROOM = 'lobby';

export class GatewayClient {
	private socket: WebSocket | undefined;
	private welcomed = false;
	private everWelcomed = false;
	private attempt = 0;
	private retryTimer: ReturnType<typeof setTimeout> | undefined;
	private closedForGood = false;
	/** Next offset per partition for rooms that went live: where a reconnect resumes. */
	private readonly positions = new Map<string, Map<number, bigint>>();
	private readonly live = new Set<string>();
	private readonly limits = new Map<string, number>();
	private readonly outbox: PageOutbox;
	private readonly readSent = new Map<string, number>();
	private readTimer: ReturnType<typeof setTimeout> | undefined;
	private kafka: {state: 'connecting' | 'online' | 'reconnecting' | 'offline'; reason?: string} = {state: 'connecting'};
	private statusValue: ClientStatus = {socket: 'connecting', needsToken: false};
	private readonly listeners = new Set<() => void>();

	constructor(private readonly options: ClientOptions) {
		this.outbox = new PageOutbox(options.storage);
		// The rooms the address asks for show at once, as joining, whatever the connection does.
		for (const room of options.rooms ?? []) this.openLocally(room);
		options.store.subscribe((state, prev) => {
			if (state.rooms !== prev.rooms) this.scheduleRead();
		});
	}

	get status(): ClientStatus {
		return this.statusValue;
	}

	/** For React's useSyncExternalStore. */
	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	connect(): void {
		clearTimeout(this.retryTimer);
		const protocols = [SUBPROTOCOL, ...(this.options.token ? [TOKEN_PROTOCOL_PREFIX + base64url(this.options.token)] : [])];
		const socket = new WebSocket(this.options.url, protocols);
		this.socket = socket;
		this.welcomed = false;
		this.setStatus({socket: 'connecting'});
		socket.onopen = () => {
			this.attempt = 0;
			this.setStatus({socket: 'open', problem: undefined});
			this.frame({t: 'hello', nick: this.options.store.getState().nick, instance: this.options.instance});
		};
		socket.onmessage = event => {
			if (typeof event.data === 'string') this.onFrame(event.data);
		};
		socket.onclose = event => {
			if (this.socket !== socket) return;
			this.socket = undefined;
			this.live.clear();
			this.onClosed(event.code, event.reason);
		};
	}

	/** Closes the socket for good (no reconnect). */
	close(): void {
		this.closedForGood = true;
		clearTimeout(this.retryTimer);
		this.socket?.close();
	}

	/** Opens a room (created with `partitions` when missing). */
	join(room: string, partitions?: number): void {
		const {actions, rooms} = this.options.store.getState();
		if (rooms[room]) return actions.selectRoom(room);
		this.openLocally(room);
		if (this.welcomed) this.frame({t: 'join', room, announce: true, history: this.options.history ?? 50, ...(partitions ? {partitions} : {})});
	}

	leave(room: string): void {
		this.options.store.getState().actions.roomLeft(room);
		this.positions.delete(room);
		this.live.delete(room);
		this.outbox.dropRoom(room);
		if (this.welcomed) this.frame({t: 'leave', room});
	}

	/** Shows the line as pending at once; it is sent now, or as soon as the room is live again. */
	send(room: string, text: string, type: SendType = 'message'): {ok: true} | {ok: false; error: string} {
		const {store} = this.options;
		const nick = store.getState().nick;
		const entry: Outgoing = {id: randomId(), room, text, type, sentAt: Date.now()};
		const limit = this.limits.get(room);
		const size = recordSizeEstimate(encodeRecord({...entry, user: nick}));
		if (limit !== undefined && size > limit) return {ok: false, error: `message is too large: ${size} bytes, room ${room} takes at most ${limit} bytes (max.message.bytes)`};
		this.outbox.add(entry);
		store.getState().actions.receive([pendingLine(entry, nick)]);
		if (this.live.has(room)) this.frame({t: 'send', room, id: entry.id, text, type});
		return {ok: true};
	}

	setNick(nick: string): void {
		if (this.welcomed) this.frame({t: 'nick', nick});
		else this.options.store.getState().actions.setNick(nick);
	}

	refreshRooms(): void {
		if (this.welcomed) this.frame({t: 'rooms'});
	}

	/** The room in the store as joining, with what this tab had not got delivered there (kept across a reload). */
	private openLocally(room: string): void {
		const {actions, nick} = this.options.store.getState();
		actions.roomJoining(room);
		const saved = this.outbox.inRoom(room);
		if (saved.length > 0) actions.receive(saved.map(e => pendingLine(e, nick)));
	}

	private frame(message: ClientMessage): void {
		if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
	}

	private onFrame(data: string): void {
		let message: ServerMessage;
		try {
			message = JSON.parse(data) as ServerMessage;
		} catch {
			return;
		}
		const {actions, rooms} = this.options.store.getState();
		switch (message.t) {
			case 'welcome':
				return this.onWelcome(message.openRooms, message.rooms);
			case 'rooms':
				return actions.setAvailable(message.rooms);
			case 'health':
				this.kafka = message.reason ? {state: message.state, reason: message.reason} : {state: message.state};
				return this.showConnection();
			case 'joined':
				this.limits.set(message.room, message.limit);
				if (message.mark) actions.setReadMark(message.room, message.mark);
				return;
			case 'msgs':
				return this.onMessages(message.room, message.m.map(w => fromWire(message.room, w)));
			case 'live':
				return this.onLive(message.room, message.positions);
			case 'room-failed':
				this.live.delete(message.room);
				if (rooms[message.room]) actions.roomFailed(message.room, message.error);
				return;
			case 'room-gone':
				if (rooms[message.room]) actions.roomGone(message.room, sanitizeText(message.reason), roomDeletedText(message.room, sanitizeText(message.reason)));
				return;
			case 'room-back':
				return this.onRoomBack(message.room, message.by);
			case 'delivered': {
				this.outbox.settle(message.id);
				const {room, id, partition, offset, timestamp} = message;
				return actions.updateMessage(room, id, {state: 'delivered', partition, offset, timestamp});
			}
			case 'failed':
				this.outbox.settle(message.id);
				return actions.updateMessage(message.room, message.id, {state: 'failed', error: message.error});
			case 'members':
				return actions.setMembers(message.room, message.members);
			case 'members-changed': {
				const view = rooms[message.room];
				return view ? actions.setMembers(message.room, applyMembers(view.members, message.changed, message.gone)) : undefined;
			}
			case 'mark':
				return actions.setReadMark(message.room, message.ts);
			case 'nick':
				return this.onNick(message.nick);
			case 'error':
				return actions.notice(`gateway: ${sanitizeText(message.error)}`);
		}
	}

	private onWelcome(openRooms: string[], available: {name: string; partitions: number}[]): void {
		const {store} = this.options;
		const {actions} = store.getState();
		actions.setAvailable(available);
		this.welcomed = true;
		if (!this.everWelcomed) {
			this.everWelcomed = true;
			// First connection: the rooms asked for (the deep link), else the nick's last ones, else lobby.
			const wanted = this.options.rooms?.length ? this.options.rooms : openRooms.length > 0 ? openRooms : [DEFAULT_ROOM];
			for (const room of wanted) if (!store.getState().rooms[room]) this.openLocally(room);
			if (this.options.rooms?.[0]) actions.selectRoom(this.options.rooms[0]);
		}
		// Every room the page has, from where it is. A room that was live before is resumed: no join record.
		for (const room of store.getState().order) {
			const since = this.positions.get(room);
			this.frame({t: 'join', room, history: this.options.history ?? 50, announce: !since, ...(since ? {since: toPositions(since)} : {})});
		}
		this.showConnection();
	}

	private onMessages(room: string, messages: ChatMessage[]): void {
		const positions = this.positions.get(room);
		const fresh = positions ? messages.filter(m => BigInt(m.offset) >= (positions.get(m.partition) ?? 0n)) : messages;
		if (positions) for (const m of fresh) positions.set(m.partition, max(positions.get(m.partition) ?? 0n, BigInt(m.offset) + 1n));
		if (fresh.length > 0) this.options.store.getState().actions.receive(fresh);
	}

	/** The app's notice; a new topic's offsets start again, so the page forgets where it was in the old one. */
	private onRoomBack(room: string, by: ReturnedBy): void {
		const newTopic = isNewTopic(by);
		if (newTopic && this.positions.has(room)) this.positions.set(room, new Map());
		if (this.options.store.getState().rooms[room]) this.options.store.getState().actions.roomBack(room, roomReturnedText(room, by), newTopic);
	}

	private onLive(room: string, positions: Positions): void {
		const {actions, rooms} = this.options.store.getState();
		const known = this.positions.get(room) ?? new Map<number, bigint>();
		for (const [partition, offset] of Object.entries(positions)) known.set(Number(partition), max(known.get(Number(partition)) ?? 0n, BigInt(offset)));
		this.positions.set(room, known);
		this.live.add(room);
		if (rooms[room]?.status !== 'live') actions.roomLive(room);
		// What this page sent and has not seen settled: again (the gateway answers a known id, never sends it twice).
		const log = this.options.store.getState().rooms[room]?.log;
		for (const entry of this.outbox.inRoom(room)) {
			if (log?.get(entry.id)?.state === 'delivered') {
				this.outbox.settle(entry.id);
				continue;
			}
			if (log && !log.get(entry.id)) actions.receive([pendingLine(entry, this.options.store.getState().nick)]);
			this.frame({t: 'send', room, id: entry.id, text: entry.text, type: entry.type});
		}
	}

	private onNick(nick: string): void {
		this.options.store.getState().actions.setNick(nick);
		try {
			localStorage.setItem('kchat.nick', nick);
		} catch {
			// storage may be off: the nick is still in the URL
		}
	}

	private onClosed(code: number, reason: string): void {
		this.welcomed = false;
		if (this.closedForGood) return;
		const problem = reason || (code === 1006 ? 'cannot reach the kchat server' : `closed (${code})`);
		this.setStatus({socket: 'closed', problem});
		this.showConnection();
		// Too slow: at once, from where the page is. Otherwise back off (server restarting, network gone).
		const delay = code === CLOSE_CODES.tooSlow ? 0 : backoffDelay(this.attempt++, {base: 250, max: 5000});
		if (code === 1006 && this.attempt === 3) void this.checkToken();
		this.retryTimer = setTimeout(() => this.connect(), delay);
	}

	/** A refused upgrade looks like any failed connection: ask /auth whether the token is the reason. */
	private async checkToken(): Promise<void> {
		try {
			const response = await fetch('/auth', {headers: this.options.token ? {Authorization: `Bearer ${this.options.token}`} : {}});
			if (response.status === 401) this.setStatus({needsToken: true});
		} catch {
			// the server is down: keep retrying
		}
	}

	private showConnection(): void {
		const {setConnection} = this.options.store.getState().actions;
		if (!this.socket || this.statusValue.socket !== 'open') setConnection('reconnecting', this.statusValue.problem ?? 'connecting to the kchat server');
		else setConnection(this.kafka.state, this.kafka.reason);
	}

	private setStatus(change: Partial<ClientStatus>): void {
		this.statusValue = {...this.statusValue, ...change};
		for (const listener of this.listeners) listener();
	}

	private scheduleRead(): void {
		this.readTimer ??= setTimeout(() => {
			this.readTimer = undefined;
			for (const [room, view] of Object.entries(this.options.store.getState().rooms)) {
				if (!this.live.has(room) || view.readUpTo <= (this.readSent.get(room) ?? 0)) continue;
				this.readSent.set(room, view.readUpTo);
				this.frame({t: 'read', room, ts: view.readUpTo});
			}
		}, READ_DELAY_MS);
	}
}

function toPositions(positions: Map<number, bigint>): Positions {
	const out: Positions = {};
	for (const [partition, offset] of positions) out[String(partition)] = offset.toString();
	return out;
}

function base64url(text: string): string {
	let binary = '';
	for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
