import type {ReadMarkRecord} from '../kafka/gateway-engine.js';

/** How long read positions gather before they are written (as in the app): scrolling writes once. */
const FLUSH_DELAY_MS = 1000;
/** Keys kept at most: the topic is written by anyone, and the gateway keeps every nick's marks. */
const MAX_KEYS = 200_000;

/**
 * Every nick's read marks, in the app's format in `kchat.readmarks` (`nick/room` -> {ts}, `nick` ->
 * {rooms}), so a web user's unread counts and open rooms follow the nick to the terminal and back.
 */
export class ReadMarkBook {
	private readonly marks = new Map<string, number>();
	private readonly open = new Map<string, string[]>();
	private readonly pending = new Map<string, number>();
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly write: (key: string, value: Record<string, unknown>) => Promise<void>,
		/** A mark moved (from any client of this nick): pages of the nick in that room are told. */
		private readonly moved: (nick: string, room: string, ts: number) => void,
	) {}

	records(records: ReadMarkRecord[]): void {
		for (const {key, value} of records) {
			const slash = key.indexOf('/');
			if (slash < 0) {
				if (Array.isArray(value['rooms']) && (this.open.has(key) || this.open.size < MAX_KEYS)) {
					this.open.set(key, value['rooms'].filter((r): r is string => typeof r === 'string').slice(0, 100));
				}
				continue;
			}
			const ts = value['ts'];
			if (typeof ts !== 'number' || !Number.isFinite(ts) || ts <= (this.marks.get(key) ?? 0)) continue;
			if (!this.marks.has(key) && this.marks.size >= MAX_KEYS) continue;
			this.marks.set(key, ts);
			this.moved(key.slice(0, slash), key.slice(slash + 1), ts);
		}
	}

	markFor(nick: string, room: string): number | undefined {
		return this.marks.get(`${nick}/${room}`);
	}

	openRooms(nick: string): string[] {
		return this.open.get(nick) ?? [];
	}

	/** A page has shown the room up to `ts`; written within a second, only when it moves forward. */
	read(nick: string, room: string, ts: number): void {
		const key = `${nick}/${room}`;
		if (ts <= (this.marks.get(key) ?? 0)) return;
		this.marks.set(key, ts);
		this.pending.set(key, ts);
		if (!this.timer) {
			this.timer = setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
			this.timer.unref();
		}
	}

	openRoomsChanged(nick: string, rooms: string[]): void {
		this.open.set(nick, rooms);
		void this.write(nick, {rooms});
	}

	async flush(): Promise<void> {
		clearTimeout(this.timer);
		this.timer = undefined;
		const writes = [...this.pending].map(([key, ts]) => this.write(key, {ts}));
		this.pending.clear();
		await Promise.all(writes);
	}
}
