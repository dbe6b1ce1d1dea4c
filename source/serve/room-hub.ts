import type {ChatMessage} from '../chat/message.js';
import {isNewTopic, type ReturnedBy} from '../chat/room-notices.js';
import {toWire, type ServerMessage} from '../chat/web-protocol.js';
import type {PartitionOffset, PartitionRange} from '../kafka/gateway-engine.js';
import {RoomBuffer} from './room-buffer.js';

/** What a hub needs from the engine (GatewayEngine has it; unit tests pass a fake). */
export type HubLink = {
	prepareRoom(room: string, partitions: number): Promise<number>;
	ranges(room: string): Promise<PartitionRange[]>;
	open(room: string, from: PartitionOffset[]): Promise<void>;
	close(room: string): void;
};

/** One page's view of one room. The hub calls these; the page's session turns them into frames. */
export type Subscriber = {
	/** Resume after these offsets (per partition); without them, the newest `history` lines. */
	readonly since?: ReadonlyMap<number, bigint>;
	readonly history: number;
	/** The room exists; `limit` is its max.message.bytes. Called once, before any frame. */
	joined(limit: number): void;
	/** A serialised frame, the same Buffer for every page in the room. */
	deliver(frame: Buffer): void;
	/** Caught up: everything before the positions of the `live` frame just delivered has been sent. */
	live(): void;
	failed(error: string): void;
};

export type HubOptions = {
	/** Lines per partition read when the room is opened (the newest). */
	depth: number;
	/** Lines kept for pages that resume or join later. */
	cap: number;
	partitions: number;
	/** How long a rewind may take before the waiting pages are served with what is there. */
	rewindTimeoutMs?: number;
	/**
	 * Runs the fan-out of what arrived `delayMs` from now; 0: after every batch of this event-loop turn.
	 * Default: setImmediate or setTimeout.
	 */
	defer?: (flush: () => void, delayMs: number) => void;
	/** Milliseconds, for timing the fan-outs (default: performance.now). */
	clock?: () => number;
};

/**
 * How long a room's fan-out rests, in multiples of what the last one took. Each fan-out is a socket write
 * per page, the gateway's main cost (on a loopback socket here ~15 µs, nearly all of it the kernel's):
 * at 1,000 pages one takes about 15 ms, so a room taking a message every 10 ms kept the gateway writing
 * without a pause, and each message queued behind the fan-outs of the ones before it. Resting half as
 * long as the last fan-out took keeps a room's writes to two thirds of the gateway's time; what arrives
 * meanwhile goes out together, as one frame. Measured at 1,000 pages and 100 msg/s (`kchat bench --serve`):
 * p99 86 ms with no rest, 62-67 ms with half, 77 ms with one, 105-121 ms with two. A quiet room, or one
 * with few pages, is not held: its fan-outs take microseconds.
 */
const FANOUT_REST = 0.5;

const defaultDefer = (flush: () => void, delayMs: number): void => {
	if (delayMs > 0) setTimeout(flush, delayMs);
	else setImmediate(flush);
};

type Rewind = {from: bigint; until: bigint; timer: NodeJS.Timeout};

export const encodeFrame = (message: ServerMessage): Buffer => Buffer.from(JSON.stringify(message));

/**
 * One room as the gateway serves it: read once from Kafka, sent to every page that has it open. A page
 * waits until the hub is live (history read), then gets what it lacks from the buffer and every new
 * record after that in the same frame as every other page. A page that resumes from further back than
 * the buffer holds makes the hub rewind those partitions (a seek back; records already held are skipped)
 * and is served when the rewind has read up to the buffer.
 */
export class RoomHub {
	status: 'opening' | 'live' | 'failed' = 'opening';
	limit = 0;
	private readonly buffer: RoomBuffer;
	private readonly live = new Set<Subscriber>();
	private readonly waiting = new Set<Subscriber>();
	private targets = new Map<number, bigint>();
	private readonly rewinds = new Map<number, Rewind>();
	private lows = new Map<number, bigint>();
	private error = '';
	private prepared = false;
	/** New records not yet sent to the live pages: one frame per turn (or per rest, see FANOUT_REST), whatever number of batches came in it. */
	private outgoing: ChatMessage[] = [];
	private flushScheduled = false;
	/** When the last fan-out to the live pages ended, and how long it took (clock ms). */
	private lastFanoutEnd = -Infinity;
	private lastFanoutMs = 0;

	constructor(
		readonly room: string,
		private readonly link: HubLink,
		private readonly options: HubOptions,
	) {
		this.buffer = new RoomBuffer(options.cap);
	}

	get size(): number {
		return this.live.size + this.waiting.size;
	}

	/** Reads the room from the newest `depth` lines per partition (or further back, for the first page's `since`). */
	async open(since?: ReadonlyMap<number, bigint>): Promise<void> {
		try {
			this.limit = await this.link.prepareRoom(this.room, this.options.partitions);
			this.prepared = true;
			for (const s of [...this.waiting]) s.joined(this.limit);
			const ranges = await this.link.ranges(this.room);
			this.lows = new Map(ranges.map(r => [r.partition, BigInt(r.low)]));
			const starts = ranges.map(r => {
				const low = BigInt(r.low);
				const high = BigInt(r.high);
				let start = max(low, high - BigInt(this.options.depth));
				const wanted = since?.get(r.partition);
				if (wanted !== undefined) start = min(start, clamp(wanted, low, high));
				return {partition: r.partition, offset: start, high};
			});
			this.targets = new Map(starts.filter(s => s.offset < s.high).map(s => [s.partition, s.high]));
			this.buffer.reset(starts);
			if (this.targets.size === 0) this.becomeLive();
			await this.link.open(
				this.room,
				starts.map(s => ({partition: s.partition, offset: s.offset.toString()})),
			);
		} catch (error) {
			this.fail(error instanceof Error ? error.message : String(error));
		}
	}

	subscribe(s: Subscriber): void {
		this.waiting.add(s);
		if (this.status === 'failed') return s.failed(this.error);
		if (this.prepared) s.joined(this.limit);
		if (this.status === 'live') this.serve();
	}

	/** True when the hub has no pages left. */
	unsubscribe(s: Subscriber): boolean {
		this.live.delete(s);
		this.waiting.delete(s);
		return this.size === 0;
	}

	/** A frame for every page in the room (member lists). */
	broadcast(frame: Buffer): void {
		for (const s of this.live) s.deliver(frame);
		for (const s of this.waiting) s.deliver(frame);
	}

	/** Records of one partition from the engine, in offset order. */
	records(messages: ChatMessage[]): void {
		if (this.status === 'failed' || messages.length === 0) return;
		const fresh: ChatMessage[] = [];
		for (const m of messages) if (this.buffer.add(m) === 'new') fresh.push(m);
		// Sent once, as one frame, to every page that is live (pages still catching up get it from the buffer).
		// kafkajs hands over a fetch one partition at a time: a gateway that fell behind gets several batches
		// in one turn, and each fan-out is a write per page (the gateway's main cost), so they go as one frame.
		if (fresh.length > 0 && this.live.size > 0) {
			for (const m of fresh) this.outgoing.push(m);
			if (!this.flushScheduled) {
				this.flushScheduled = true;
				const restUntil = this.lastFanoutEnd + FANOUT_REST * this.lastFanoutMs;
				const delayMs = Math.max(0, Math.ceil(restUntil - this.now()));
				(this.options.defer ?? defaultDefer)(() => this.flush(), delayMs);
			}
		}
		const partition = messages[0]!.partition;
		const rewind = this.rewinds.get(partition);
		if (rewind && BigInt(messages[messages.length - 1]!.offset) + 1n >= rewind.until) this.endRewind(partition);
		if (this.status === 'opening' && this.buffer.reached(this.targets)) this.becomeLive();
		else if (this.rewinds.size === 0 && this.waiting.size === 0) this.buffer.trim();
	}

	/** What arrived since the last fan-out, as one frame to every live page. */
	private flush(): void {
		this.flushScheduled = false;
		const messages = this.outgoing;
		if (messages.length === 0) return;
		this.outgoing = [];
		if (this.status === 'failed') return;
		const frame = encodeFrame({t: 'msgs', room: this.room, m: messages.map(toWire)});
		const started = this.now();
		for (const s of this.live) s.deliver(frame);
		this.lastFanoutEnd = this.now();
		this.lastFanoutMs = this.lastFanoutEnd - started;
	}

	private now(): number {
		return this.options.clock ? this.options.clock() : performance.now();
	}

	/** The room could not be opened, or was deleted: every page is told, and the hub serves no more. */
	fail(error: string): void {
		this.outgoing = [];
		this.status = 'failed';
		this.error = error;
		for (const s of [...this.waiting, ...this.live]) s.failed(error);
		this.waiting.clear();
		this.live.clear();
		for (const partition of [...this.rewinds.keys()]) clearTimeout(this.rewinds.get(partition)!.timer);
		this.rewinds.clear();
	}

	/** The room's topic was deleted: every page is told; the hub waits for a topic of that name again. */
	topicGone(reason: string): void {
		this.broadcast(encodeFrame({t: 'room-gone', room: this.room, reason}));
	}

	/**
	 * A topic of the room's name is there again. A new topic's offsets start again at 0: what is held of the
	 * old one is dropped (pages keep the lines they have), and the new topic is read from its beginning.
	 * Called before its records come.
	 */
	topicBack(by: ReturnedBy): void {
		if (isNewTopic(by)) {
			this.flush();
			for (const r of this.rewinds.values()) clearTimeout(r.timer);
			this.rewinds.clear();
			this.buffer.reset([]);
			this.targets = new Map();
			this.lows = new Map();
		}
		this.broadcast(encodeFrame({t: 'room-back', room: this.room, by}));
	}

	/** The room reads a topic again: an open still waiting for the old topic's history is done. */
	reopened(): void {
		if (this.status === 'opening') this.becomeLive();
	}

	/** No more reading: the engine stops delivering the room. */
	close(): void {
		for (const r of this.rewinds.values()) clearTimeout(r.timer);
		this.rewinds.clear();
		if (this.status !== 'failed') this.link.close(this.room);
	}

	private becomeLive(): void {
		if (this.status !== 'opening') return;
		this.status = 'live';
		this.serve();
	}

	/** Serves the waiting pages whose lines are all held; rewinds for those that need more. */
	private serve(): void {
		// What the live pages are still owed goes first: a page served now has it from the buffer already.
		this.flush();
		for (const s of [...this.waiting]) {
			// A page that read an older topic of this name (deleted and created again while it was away) is
			// told so, forgets those offsets, and gets this topic's lines as a page without positions.
			const stale = s.since !== undefined && this.buffer.beyondEnd(s.since);
			const since = stale ? undefined : s.since;
			const missing = since ? this.buffer.missing(this.clampToLow(since)) : [];
			for (const [partition, from] of missing) {
				const rewind = this.rewinds.get(partition);
				if (!rewind || rewind.from > from) this.startRewind(partition, from);
			}
			if (missing.length > 0) continue;
			this.waiting.delete(s);
			if (stale) s.deliver(encodeFrame({t: 'room-back', room: this.room, by: 'offsets'}));
			const lines = since ? this.buffer.since(since) : this.buffer.newest(s.history);
			if (lines.length > 0) s.deliver(encodeFrame({t: 'msgs', room: this.room, m: lines.map(toWire)}));
			s.deliver(encodeFrame({t: 'live', room: this.room, positions: this.buffer.positions()}));
			this.live.add(s);
			s.live();
		}
	}

	/** A page cannot have asked for records that Kafka no longer holds. */
	private clampToLow(since: ReadonlyMap<number, bigint>): Map<number, bigint> {
		const out = new Map<number, bigint>();
		for (const [partition, offset] of since) out.set(partition, max(offset, this.lows.get(partition) ?? 0n));
		return out;
	}

	private startRewind(partition: number, from: bigint): void {
		const existing = this.rewinds.get(partition);
		const until = existing?.until ?? this.buffer.startOf(partition);
		if (existing) clearTimeout(existing.timer);
		// A record that never comes (deleted meanwhile) must not keep pages waiting for ever.
		const timer = setTimeout(() => this.endRewind(partition), this.options.rewindTimeoutMs ?? 10_000);
		timer.unref();
		this.rewinds.set(partition, {from, until, timer});
		this.link.open(this.room, [{partition, offset: from.toString()}]).catch(error => this.fail(error instanceof Error ? error.message : String(error)));
	}

	private endRewind(partition: number): void {
		const rewind = this.rewinds.get(partition);
		if (!rewind) return;
		clearTimeout(rewind.timer);
		this.rewinds.delete(partition);
		this.buffer.extendStart(partition, rewind.from);
		if (this.status === 'live') this.serve();
	}
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const clamp = (x: bigint, lo: bigint, hi: bigint): bigint => max(lo, min(x, hi));
