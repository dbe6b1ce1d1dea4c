import type {ChatMessage} from '../chat/message.js';
import {insertionIndex} from '../chat/message-order.js';

/** Where a record landed: after everything held (new), before it (backfill from a rewind), or already held. */
export type Placement = 'new' | 'backfill' | 'known';

/**
 * The recent lines of one room in the gateway, in the room's order (timestamp, partition, offset), with
 * what it holds per partition: every record from `start` up to `next` (exclusive). A page that resumes
 * from offset c of partition p is served from here when c >= start; otherwise the gateway rewinds the
 * partition to c first. Bounded: past the cap, the oldest lines go and `start` moves past them.
 */
export class RoomBuffer {
	private items: ChatMessage[] = [];
	private readonly held = new Set<string>();
	private readonly start = new Map<number, bigint>();
	private readonly next = new Map<number, bigint>();

	constructor(private readonly cap: number) {}

	get length(): number {
		return this.items.length;
	}

	/** Holds nothing; each partition's records are read from these offsets on. */
	reset(from: ReadonlyArray<{partition: number; offset: bigint}>): void {
		this.items = [];
		this.held.clear();
		this.start.clear();
		this.next.clear();
		for (const {partition, offset} of from) {
			this.start.set(partition, offset);
			this.next.set(partition, offset);
		}
	}

	add(m: ChatMessage): Placement {
		const offset = BigInt(m.offset);
		const next = this.next.get(m.partition);
		if (next === undefined || offset >= next) {
			// A partition seen for the first time (added to the topic later) starts at its first record.
			if (next === undefined) this.start.set(m.partition, offset);
			this.next.set(m.partition, offset + 1n);
			this.insert(m);
			return 'new';
		}
		if (offset >= this.start.get(m.partition)! || this.held.has(key(m))) return 'known';
		this.insert(m);
		return 'backfill';
	}

	/** After a rewind of `partition` to `offset` has read up to the old start: everything from `offset` on is held. */
	extendStart(partition: number, offset: bigint): void {
		const start = this.start.get(partition);
		if (start === undefined || offset < start) this.start.set(partition, offset);
	}

	/** The first offset held of a partition (0 for one never seen). */
	startOf(partition: number): bigint {
		return this.start.get(partition) ?? 0n;
	}

	/** Partitions where `since` asks for records before what is held: [partition, from]. */
	missing(since: ReadonlyMap<number, bigint>): Array<[number, bigint]> {
		const out: Array<[number, bigint]> = [];
		for (const [partition, offset] of since) {
			const start = this.start.get(partition);
			if (start !== undefined && offset < start) out.push([partition, offset]);
		}
		return out;
	}

	/** What a page that has everything before `since` lacks, in the room's order. Partitions it does not name: all held. */
	since(since: ReadonlyMap<number, bigint>): ChatMessage[] {
		return this.items.filter(m => {
			const from = since.get(m.partition);
			return from === undefined || BigInt(m.offset) >= from;
		});
	}

	newest(count: number): ChatMessage[] {
		return count <= 0 ? [] : this.items.slice(-count);
	}

	/** Next offset per partition: a page given everything up to here resumes from these. */
	positions(): Record<string, string> {
		const out: Record<string, string> = {};
		for (const [partition, offset] of this.next) out[String(partition)] = offset.toString();
		return out;
	}

	/**
	 * Whether `since` is past what the topic has: positions from an older topic of the room's name (deleted
	 * and created again while the page was away). A page only ever has offsets this topic gave it.
	 */
	beyondEnd(since: ReadonlyMap<number, bigint>): boolean {
		for (const [partition, offset] of since) if (offset > (this.next.get(partition) ?? 0n)) return true;
		return false;
	}

	/** Whether every partition has been read up to these offsets (the end of the topic when the room was opened). */
	reached(targets: ReadonlyMap<number, bigint>): boolean {
		for (const [partition, target] of targets) if ((this.next.get(partition) ?? 0n) < target) return false;
		return true;
	}

	/** Drops the oldest lines past the cap, a tenth at a time, so trimming is not a copy per line. */
	trim(): void {
		if (this.items.length <= this.cap + Math.floor(this.cap / 10)) return;
		const drop = this.items.length - this.cap;
		for (const m of this.items.slice(0, drop)) {
			this.held.delete(key(m));
			const after = BigInt(m.offset) + 1n;
			if (after > (this.start.get(m.partition) ?? 0n)) this.start.set(m.partition, after);
		}
		this.items = this.items.slice(drop);
	}

	private insert(m: ChatMessage): void {
		this.items.splice(insertionIndex(this.items, m), 0, m);
		this.held.add(key(m));
	}
}

const key = (m: ChatMessage): string => `${m.partition}:${m.offset}`;
