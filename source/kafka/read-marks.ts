import type {Producer} from 'kafkajs';
import type {RawRecord} from '../chat/message.js';
import type {ChatStore} from '../store/chat-store.js';
import type {Logger} from './log-file.js';
import {READMARKS_TOPIC, type PartitionRange} from './room-admin.js';

/** How long read positions gather before they are written: scrolling through a room writes once. */
const FLUSH_DELAY_MS = 1000;

/**
 * Read positions per nick, kept in Kafka (compacted `kchat.readmarks`) so they survive restarts and
 * follow the nick to another machine. Keys: `nick/room` -> {ts} (broker timestamp of the newest line
 * read), and `nick` -> {rooms} (the rooms open at the last change, reopened at the next start).
 */
export class ReadMarks {
	private readonly marks = new Map<string, number>();
	private readonly written = new Map<string, number>();
	private open: string[] | undefined;
	private targets = new Map<number, bigint>();
	private caughtUp: Promise<void>;
	private resolveCaughtUp: () => void = () => {};
	private timer: NodeJS.Timeout | undefined;
	private readonly unsubscribe: () => void;

	constructor(
		private readonly producer: Producer,
		private readonly store: ChatStore,
		private readonly logger: Logger,
	) {
		this.caughtUp = new Promise(resolve => (this.resolveCaughtUp = resolve));
		this.unsubscribe = store.subscribe((state, prev) => {
			if (state.rooms !== prev.rooms) this.schedule();
		});
	}

	/** The end of the topic at start: the marks are all known once it is reached. */
	expect(ranges: PartitionRange[]): void {
		this.targets = new Map(ranges.filter(r => BigInt(r.high) > BigInt(r.low)).map(r => [r.partition, BigInt(r.high)]));
		if (this.targets.size === 0) this.resolveCaughtUp();
	}

	records(partition: number, records: RawRecord[]): void {
		const nick = this.store.getState().nick;
		for (const r of records) {
			const key = r.key?.toString('utf8');
			const value = parse(r.value);
			if (!key || !value) continue;
			if (key === nick && Array.isArray(value['rooms'])) {
				this.open = value['rooms'].filter((x): x is string => typeof x === 'string');
			} else if (key.startsWith(`${nick}/`) && typeof value['ts'] === 'number') {
				const room = key.slice(nick.length + 1);
				const ts = value['ts'];
				if (ts > (this.marks.get(room) ?? 0)) this.marks.set(room, ts);
				if (ts > (this.written.get(room) ?? 0)) this.written.set(room, ts);
				this.store.getState().actions.setReadMark(room, ts);
			}
		}
		const last = records[records.length - 1];
		const target = this.targets.get(partition);
		if (last && target !== undefined && BigInt(last.offset) + 1n >= target) this.targets.delete(partition);
		if (this.targets.size === 0) this.resolveCaughtUp();
	}

	markFor(room: string): number | undefined {
		return this.marks.get(room);
	}

	/** The rooms open last time; waits (a little) for the marks to be read. */
	async openRooms(): Promise<string[]> {
		await Promise.race([this.caughtUp, new Promise(resolve => setTimeout(resolve, 5000).unref())]);
		return this.open ?? [];
	}

	openRoomsChanged(rooms: string[]): void {
		this.open = [...rooms];
		void this.write(this.store.getState().nick, {rooms: this.open});
	}

	async flush(): Promise<void> {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		const {nick, rooms} = this.store.getState();
		const writes: Promise<void>[] = [];
		for (const [room, view] of Object.entries(rooms)) {
			if (view.readUpTo > (this.written.get(room) ?? 0)) {
				this.written.set(room, view.readUpTo);
				writes.push(this.write(`${nick}/${room}`, {ts: view.readUpTo}));
			}
		}
		await Promise.all(writes);
	}

	dispose(): void {
		this.unsubscribe();
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}

	private schedule(): void {
		if (this.timer) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			void this.flush();
		}, FLUSH_DELAY_MS);
		this.timer.unref();
	}

	private write(key: string, value: Record<string, unknown>): Promise<void> {
		return writeReadMark(this.producer, key, value, this.logger);
	}
}

/** One read-mark record (`nick/room` -> {ts}, `nick` -> {rooms}); best effort, as the marks are. */
export async function writeReadMark(producer: Producer, key: string, value: Record<string, unknown>, logger: Logger): Promise<void> {
	try {
		await producer.send({topic: READMARKS_TOPIC, acks: -1, messages: [{key, value: JSON.stringify(value)}]});
	} catch (error) {
		logger.warn('read mark not written', {key, error: (error as Error).message});
	}
}

/** A read-mark value as a JSON object (at most 64 KiB), else undefined. */
export {parse as parseReadMark};

function parse(value: Buffer | null): Record<string, unknown> | undefined {
	if (!value || value.length > 64 * 1024) return undefined;
	try {
		const v: unknown = JSON.parse(value.toString('utf8'));
		return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}
