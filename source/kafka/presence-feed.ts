import type {Producer} from 'kafkajs';
import type {RawRecord} from '../chat/message.js';
import {decodePresence, encodePresence, HEARTBEAT_MS, PresenceTable, type PresenceRecord, type PresenceStatus} from '../chat/presence-table.js';
import type {ChatStore} from '../store/chat-store.js';
import type {Logger} from './log-file.js';
import {PRESENCE_TOPIC} from './room-admin.js';

/**
 * Presence in the compacted `kchat.presence` topic (key = nick): a heartbeat every 10 s with the
 * rooms this instance is in, and offline on a clean exit. An instance that stops beating drops out of
 * member lists after the TTL, judged by the broker's timestamps.
 */
export class PresenceFeed {
	private readonly table = new PresenceTable();
	private rooms: string[] = [];
	private status: PresenceStatus = 'online';
	private timer: NodeJS.Timeout | undefined;
	private disposed = false;

	constructor(
		private readonly producer: Producer,
		private readonly store: ChatStore,
		private readonly instance: string,
		private readonly logger: Logger,
	) {}

	start(): void {
		if (this.timer || this.disposed) return;
		this.timer = setInterval(() => {
			this.beat();
			if (this.table.expire(Date.now())) this.publishMembers();
		}, HEARTBEAT_MS);
		this.timer.unref();
		this.beat();
	}

	update(rooms: string[]): void {
		this.rooms = rooms;
		this.beat();
	}

	setStatus(status: 'online' | 'away'): void {
		this.status = status;
		this.beat();
	}

	/** The old nick goes offline at once instead of lingering for the TTL. */
	renamed(oldNick: string): void {
		void this.write(oldNick, 'offline');
	}

	records(records: RawRecord[]): void {
		for (const r of records) {
			const p = decodePresence(r.value, Number(r.timestamp));
			if (p) this.table.apply(p);
		}
		this.table.expire(Date.now());
		this.publishMembers();
	}

	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		await this.write(this.store.getState().nick, 'offline');
	}

	dispose(): void {
		this.disposed = true;
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	private beat(): void {
		if (this.disposed || !this.timer) return;
		void this.write(this.store.getState().nick, this.status);
	}

	private write(nick: string, status: PresenceStatus): Promise<void> {
		return writePresence(this.producer, [{nick, instance: this.instance, status, rooms: status === 'offline' ? [] : this.rooms, at: Date.now()}], this.logger);
	}

	private publishMembers(): void {
		const {rooms, actions} = this.store.getState();
		for (const room of Object.keys(rooms)) {
			const next = this.table.members(room);
			const prev = rooms[room]?.members ?? [];
			if (JSON.stringify(next) !== JSON.stringify(prev)) actions.setMembers(room, next);
		}
	}
}

/** Heartbeats (key = nick) in one request: one instance's, or those of every page a gateway serves. Best effort. */
export async function writePresence(producer: Producer, records: PresenceRecord[], logger: Logger): Promise<void> {
	if (records.length === 0) return;
	try {
		await producer.send({topic: PRESENCE_TOPIC, acks: -1, messages: records.map(r => ({key: r.nick, value: encodePresence(r)}))});
	} catch (error) {
		logger.warn('presence heartbeat failed', {error: (error as Error).message});
	}
}
