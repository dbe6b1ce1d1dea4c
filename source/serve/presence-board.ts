import {PresenceTable, type Member, type PresenceRecord} from '../chat/presence-table.js';

/** Member lists go out at most this often: a hundred pages joining at once is one update per room. */
const PUBLISH_DELAY_MS = 250;

/**
 * Who is in which room, from `kchat.presence` (terminal users and web users alike), as member lists
 * for the rooms pages have open. Same table and rules as the app's member list.
 */
export class PresenceBoard {
	private readonly table = new PresenceTable();
	/** Per room, what pages were last told: nick -> the member as JSON. */
	private readonly published = new Map<string, Map<string, string>>();
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly rooms: () => Iterable<string>,
		private readonly publish: (room: string, changed: Member[], gone: string[]) => void,
	) {}

	records(records: PresenceRecord[]): void {
		for (const r of records) this.table.apply(r);
		this.schedule();
	}

	/** Drops instances that stopped beating (called with the heartbeat). */
	expire(now: number): void {
		if (this.table.expire(now)) this.schedule();
	}

	members(room: string): Member[] {
		return this.table.members(room);
	}

	/** A room no page has open any more. */
	forget(room: string): void {
		this.published.delete(room);
	}

	/** Changes go out as changes: a hundred people joining a room of a thousand is not a thousand lists of a thousand. */
	schedule(): void {
		if (this.timer) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			for (const room of this.rooms()) {
				const before = this.published.get(room) ?? new Map<string, string>();
				const now = new Map(this.table.members(room).map(m => [m.nick, JSON.stringify(m)]));
				const changed = [...now].filter(([nick, json]) => before.get(nick) !== json).map(([, json]) => JSON.parse(json) as Member);
				const gone = [...before.keys()].filter(nick => !now.has(nick));
				this.published.set(room, now);
				if (changed.length > 0 || gone.length > 0) this.publish(room, changed, gone);
			}
		}, PUBLISH_DELAY_MS);
		this.timer.unref();
	}

	dispose(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
	}
}
