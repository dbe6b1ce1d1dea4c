import {sanitizeNick, sanitizeRoomName} from './sanitize.js';

export type PresenceStatus = 'online' | 'away' | 'offline';

/** The value of a `kchat.presence` record (key = nick): one instance's state, sent as a heartbeat. */
export type PresenceRecord = {
	nick: string;
	instance: string;
	status: PresenceStatus;
	rooms: string[];
	at: number;
	/** Sent by `kchat simulate`: a simulated user, not a person. */
	simulated?: boolean;
};

export type Member = {
	nick: string;
	status: 'online' | 'away';
	/** Running instances with this nick: more than one is shown, so impersonation is visible. */
	instances: number;
	/** Every instance of this nick is a `kchat simulate` user. */
	simulated?: boolean;
};

/** An instance that sent no heartbeat for this long has crashed or lost its network. */
export const PRESENCE_TTL_MS = 30_000;
export const HEARTBEAT_MS = 10_000;

export function encodePresence(record: PresenceRecord): string {
	return JSON.stringify(record);
}

/** Presence values come from anyone who can write the topic: parse defensively, sanitise every string. */
export function decodePresence(value: Buffer | null, brokerTime: number): PresenceRecord | undefined {
	if (!value || value.length > 64 * 1024) return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(value.toString('utf8'));
	} catch {
		return undefined;
	}
	if (typeof parsed !== 'object' || parsed === null) return undefined;
	const p = parsed as Record<string, unknown>;
	if (typeof p['nick'] !== 'string' || typeof p['instance'] !== 'string') return undefined;
	const status = p['status'] === 'away' || p['status'] === 'offline' ? p['status'] : 'online';
	const rooms = Array.isArray(p['rooms']) ? p['rooms'].filter((r): r is string => typeof r === 'string').slice(0, 500).map(sanitizeRoomName) : [];
	// The broker's clock (LogAppendTime), not the sender's, decides when an entry is stale.
	return {nick: sanitizeNick(p['nick']), instance: p['instance'].slice(0, 64), status, rooms, at: brokerTime, ...(p['simulated'] === true ? {simulated: true} : {})};
}

/** Who is in which room, from the heartbeats of every instance. */
export class PresenceTable {
	private readonly entries = new Map<string, PresenceRecord>();

	apply(record: PresenceRecord): void {
		const key = `${record.nick}\u0000${record.instance}`;
		if (record.status === 'offline') this.entries.delete(key);
		else this.entries.set(key, record);
	}

	/** Drops instances whose last heartbeat is older than the TTL; true when anything changed. */
	expire(now: number): boolean {
		let changed = false;
		for (const [key, r] of this.entries) {
			if (now - r.at > PRESENCE_TTL_MS) {
				this.entries.delete(key);
				changed = true;
			}
		}
		return changed;
	}

	members(room: string): Member[] {
		const byNick = new Map<string, Member>();
		for (const r of this.entries.values()) {
			if (!r.rooms.includes(room)) continue;
			const m = byNick.get(r.nick);
			if (m) {
				m.instances++;
				if (r.status === 'online') m.status = 'online';
				if (!r.simulated) m.simulated = false;
			} else {
				byNick.set(r.nick, {nick: r.nick, status: r.status === 'away' ? 'away' : 'online', instances: 1, simulated: r.simulated === true});
			}
		}
		return [...byNick.values()].sort((a, b) => a.nick.localeCompare(b.nick));
	}

	/** How many instances use this nick anywhere (for marking a nick that is online twice). */
	instancesOf(nick: string): number {
		let n = 0;
		for (const r of this.entries.values()) if (r.nick === nick) n++;
		return n;
	}
}
