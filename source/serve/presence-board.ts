import {PresenceTable, type Member, type PresenceRecord} from '../chat/presence-table.js';

/** Member lists go out at most this often: a hundred pages joining at once is one update per room. */
const PUBLISH_DELAY_MS = 250;

/**
 * Who is in which room, from `kchat.presence` (terminal users and web users alike), as member lists
 * for the rooms pages have open. Same table and rules as the app's member list.
 */
export class PresenceBoard {
	private readonly table = new PresenceTable();
	private readonly published = new Map<string, string>();
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly rooms: () => Iterable<string>,
		private readonly publish: (room: string, members: Member[]) => void,
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

	/** A room opened or closed by the gateway: its list is sent again when it is next open. */
	forget(room: string): void {
		this.published.delete(room);
	}

	schedule(): void {
		this.timer ??= setTimeout(() => {
			this.timer = undefined;
			for (const room of this.rooms()) {
				const members = this.table.members(room);
				const json = JSON.stringify(members);
				if (this.published.get(room) === json) continue;
				this.published.set(room, json);
				this.publish(room, members);
			}
		}, PUBLISH_DELAY_MS);
	}

	dispose(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
	}
}
