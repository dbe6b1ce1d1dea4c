import type {PresenceRecord} from '../chat/presence-table.js';

/** A page as presence sees it: its nick, its instance (the same across its reconnects) and its rooms. */
export type PresentPage = {readonly nick: string; readonly instance: string; readonly rooms: ReadonlyMap<string, unknown>};

/** A page gone for this long without coming back is offline in presence. */
const OFFLINE_GRACE_MS = 3000;

/**
 * The pages' heartbeats in `kchat.presence`: one record per nick and page instance (instance
 * `web-<id>`), with the rooms it has open, all in one request every beat. Requests go out one at a time,
 * each made when its turn comes: two sent at once can reach the broker in either order, and the later
 * one in the log (an older state) would win. A page's beat (it joined, left, was renamed) waiting for
 * its turn takes in the beats asked for after it: a thousand pages opening a room is a few requests, not
 * a thousand in a row (which took 10 s to drain, member lists and the gateway's time with them).
 */
export class PagePresence {
	private queue: Promise<void> = Promise.resolve();
	private stopped = false;
	/** The beat queued and not started yet: every page (`all`), or these `nick\ninstance` keys. */
	private waiting: {all: boolean; keys: Set<string>} | undefined;

	constructor(
		private readonly write: (records: PresenceRecord[]) => Promise<void>,
		private readonly pages: () => Iterable<PresentPage>,
	) {}

	/** Every page's heartbeat, or one page's (after it joined, left or was renamed). */
	beat(only?: {nick: string; instance: string}): void {
		if (!this.waiting) {
			const beat = {all: false, keys: new Set<string>()};
			this.enqueue(() => {
				if (this.waiting === beat) this.waiting = undefined;
				return this.records(beat.all ? undefined : beat.keys);
			});
			this.waiting = beat;
		}
		if (only) this.waiting.keys.add(pageKey(only.nick, only.instance));
		else this.waiting.all = true;
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
		// A beat asked for after this (an offline record, say) must not be written before it.
		this.waiting = undefined;
		this.queue = this.queue.then(() => this.write(records()));
	}

	/** Records of every page, or of the pages with these keys. */
	private records(only?: ReadonlySet<string>): PresenceRecord[] {
		const byKey = new Map<string, PresenceRecord>();
		const at = Date.now();
		for (const p of this.pages()) {
			const key = pageKey(p.nick, p.instance);
			if (!p.nick || (only && !only.has(key))) continue;
			const record = byKey.get(key) ?? {nick: p.nick, instance: `web-${p.instance}`, status: 'online' as const, rooms: [], at};
			record.rooms = [...new Set([...record.rooms, ...p.rooms.keys()])];
			byKey.set(key, record);
		}
		return [...byKey.values()];
	}
}

const pageKey = (nick: string, instance: string): string => `${nick}\n${instance}`;
