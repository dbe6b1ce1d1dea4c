import type {ChatMessage} from './message.js';
import {compareMessages} from './message-order.js';
import {asRecord, linesForId, sameIdVerdict, samePlace, sighting} from './same-id.js';
import {positionalId} from './record-codec.js';

export type AddResult = 'added' | 'duplicate' | 'updated';

/**
 * The ordered lines of one room, mutable on purpose: a room can take tens of thousands of records a
 * second, and copying a 50,000-line array per record is what an immutable list would cost. The store
 * wraps each log with a revision number that changes on every mutation, which is what React watches.
 */
export class MessageLog {
	private items: ChatMessage[] = [];
	private readonly byId = new Map<string, ChatMessage>();
	private retirements = 0;

	constructor(private readonly cap: number) {}

	get length(): number {
		return this.items.length;
	}

	at(index: number): ChatMessage | undefined {
		return this.items[index];
	}

	get(id: string): ChatMessage | undefined {
		return this.byId.get(id);
	}

	last(): ChatMessage | undefined {
		return this.items[this.items.length - 1];
	}

	slice(start?: number, end?: number): ChatMessage[] {
		return this.items.slice(start, end);
	}

	/**
	 * Inserts in (timestamp, partition, offset) order. A known id follows the rule in same-id.ts: a pending
	 * line of our own is replaced by its delivered record (which moves it to the broker's order); the same
	 * record again or a repeat of it is dropped (the earliest place kept); a record reusing the id with
	 * other content is a line of its own, marked, and the earliest record keeps the id whichever came first.
	 */
	add(message: ChatMessage, trim = true): AddResult {
		const held = this.byId.get(message.id);
		if (!held) {
			this.insert(message);
			if (trim) this.trim();
			return 'added';
		}
		const verdict = sameIdVerdict(sighting(held), sighting(message));
		if (verdict.kind === 'same') return 'duplicate';
		if (verdict.kind === 'settles') {
			this.removeAt(this.indexOf(held));
			this.insert(message);
			return 'updated';
		}
		return this.regroup(held, message, trim);
	}

	/** Another record with an id the log holds from elsewhere: the id's lines worked out again (linesForId). */
	private regroup(held: ChatMessage, message: ChatMessage, trim: boolean): AddResult {
		const before = [held, ...this.items.filter(m => m.duplicateOf === held.id)];
		const after = linesForId([...before.map(asRecord), message]);
		if (!after.some(l => samePlace(l, message))) return 'duplicate';
		const place = (m: ChatMessage): string => `${m.id}\u0000${m.partition}/${m.offset}`;
		const stays = new Set(after.map(place));
		const was = new Set(before.map(place));
		for (const m of before) if (!stays.has(place(m))) this.removeAt(this.indexOf(m));
		for (const m of after) if (!was.has(place(m))) this.insert(m);
		if (trim) this.trim();
		return after.length > before.length ? 'added' : 'updated';
	}

	/** Drops the newest `count` lines (older history came in and the room is at its cap). */
	dropNewest(count: number): void {
		if (count <= 0) return;
		const keep = Math.max(0, this.items.length - count);
		for (const m of this.items.slice(keep)) this.byId.delete(m.id);
		this.items = this.items.slice(0, keep);
	}

	get capacity(): number {
		return this.cap;
	}

	/**
	 * Replaces a line by id in place of its order (delivery reports, failures); false when unknown. A line
	 * already read from Kafka stays as Kafka has it: the report of a re-send must not move it to a later place.
	 */
	update(id: string, change: Partial<ChatMessage>): boolean {
		const existing = this.byId.get(id);
		if (!existing || existing.state === 'delivered') return false;
		this.removeAt(this.indexOf(existing));
		this.insert({...existing, ...change});
		return true;
	}

	/** Keeps only the newest `count` lines (history is read per partition, then cut to N overall). */
	keepLast(count: number): void {
		if (this.items.length <= count) return;
		const drop = this.items.length - count;
		for (const m of this.items.slice(0, drop)) this.byId.delete(m.id);
		this.items = this.items.slice(drop);
	}

	/**
	 * The room's topic was deleted and created again: the lines from Kafka stay, marked retired. Offsets
	 * start at 0 again in the new topic, so a line whose id is its position (a record without a `kchat-id`)
	 * gets another id, or the new topic's record at that position would be taken for it and hidden.
	 */
	retire(): void {
		const generation = ++this.retirements;
		this.items = this.items.map(m => {
			if (m.retired || m.type === 'notice' || m.state !== 'delivered') return m;
			this.byId.delete(m.id);
			const positional = m.id === positionalId(m.room, m.partition, m.offset);
			const retired: ChatMessage = {...m, retired: true, ...(positional ? {id: `${m.id}~${generation}`} : {})};
			this.byId.set(retired.id, retired);
			return retired;
		});
	}

	clear(): void {
		this.items = [];
		this.byId.clear();
	}

	/** Index of the first line newer than `timestamp`, for unread markers; length when none. */
	firstAfter(timestamp: number): number {
		let lo = 0;
		let hi = this.items.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.items[mid]!.timestamp <= timestamp) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	private insert(message: ChatMessage): void {
		const items = this.items;
		const last = items[items.length - 1];
		// The common case: the newest line. Otherwise binary search (partitions arrive interleaved).
		if (!last || compareMessages(last, message) <= 0) {
			items.push(message);
		} else {
			let lo = 0;
			let hi = items.length;
			while (lo < hi) {
				const mid = (lo + hi) >>> 1;
				if (compareMessages(items[mid]!, message) <= 0) lo = mid + 1;
				else hi = mid;
			}
			items.splice(lo, 0, message);
		}
		this.byId.set(message.id, message);
	}

	private indexOf(message: ChatMessage): number {
		// Search from the end: updates are for recent lines.
		for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i] === message) return i;
		return -1;
	}

	private removeAt(index: number): void {
		if (index < 0) return;
		const [removed] = this.items.splice(index, 1);
		if (removed) this.byId.delete(removed.id);
	}

	/** Drops the oldest lines past the cap, a tenth at a time so trimming is not a copy per line. */
	private trim(): void {
		if (this.items.length <= this.cap) return;
		const drop = this.items.length - this.cap + Math.floor(this.cap / 10);
		for (const m of this.items.slice(0, drop)) this.byId.delete(m.id);
		this.items = this.items.slice(drop);
	}
}
