import type {PresenceRecord} from '../chat/presence-table.js';

/** A page as presence sees it: its nick, its instance (the same across its reconnects) and its rooms. */
export type PresentPage = {readonly nick: string; readonly instance: string; readonly rooms: ReadonlyMap<string, unknown>};

/** A page gone for this long without coming back is offline in presence. */
const OFFLINE_GRACE_MS = 3000;

/**
 * The pages' heartbeats in `kchat.presence`: one record per nick and page instance (instance
 * `web-<id>`), with the rooms it has open, all in one request every beat. Requests go out one at a time,
 * each made when its turn comes: two sent at once can reach the broker in either order, and the later
 * one in the log (an older state) would win.
 */
export class PagePresence {
	private queue: Promise<void> = Promise.resolve();
	private stopped = false;

	constructor(
		private readonly write: (records: PresenceRecord[]) => Promise<void>,
		private readonly pages: () => Iterable<PresentPage>,
	) {}

	/** Every page's heartbeat, or one page's (after it joined, left or was renamed). */
	beat(only?: {nick: string; instance: string}): void {
		this.enqueue(() => this.records(only));
	}

	/** Offline for a nick's page unless it came back (a reconnect) within the grace period. */
	offlineLater(nick: string, instance: string, ms = OFFLINE_GRACE_MS): void {
		if (!nick) return;
		const timer = setTimeout(() => {
			if (this.stopped) return;
			for (const p of this.pages()) if (p.nick === nick && p.instance === instance) return;
			this.enqueue(() => [{nick, instance: `web-${instance}`, status: 'offline', rooms: [], at: Date.now()}]);
		}, ms);
		timer.unref();
	}

	/** Every page offline at once (the server stops); resolves when written. */
	async stop(): Promise<void> {
		const offline = this.records().map(r => ({...r, status: 'offline' as const, rooms: []}));
		this.stopped = true;
		this.enqueue(() => offline);
		await this.queue;
	}

	private enqueue(records: () => PresenceRecord[]): void {
		this.queue = this.queue.then(() => this.write(records()));
	}

	private records(only?: {nick: string; instance: string}): PresenceRecord[] {
		const byKey = new Map<string, PresenceRecord>();
		const at = Date.now();
		for (const p of this.pages()) {
			if (!p.nick || (only && (p.nick !== only.nick || p.instance !== only.instance))) continue;
			const key = `${p.nick}\n${p.instance}`;
			const record = byKey.get(key) ?? {nick: p.nick, instance: `web-${p.instance}`, status: 'online' as const, rooms: [], at};
			record.rooms = [...new Set([...record.rooms, ...p.rooms.keys()])];
			byKey.set(key, record);
		}
		return [...byKey.values()];
	}
}
