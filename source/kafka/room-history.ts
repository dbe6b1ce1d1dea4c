import type {Admin} from 'kafkajs';
import type {ChatMessage, RawRecord} from '../chat/message.js';
import {compareMessages} from '../chat/message-order.js';
import {decodeRecord} from '../chat/record-codec.js';
import type {ChatStore} from '../store/chat-store.js';
import type {BatchMessages} from './quick-reader.js';
import {partitionRanges, type PartitionRange} from './room-admin.js';
import type {RoomConsumers} from './room-consumers.js';

// Scrollback from Kafka: pages of a room's lines older than the oldest it holds (or, when it let its
// newest go, newer than its newest), read per partition and merged in the room's order (timestamp,
// partition, offset). Where a partition stands is worked out from the lines the room holds each time,
// so trimming, clearing and duplicates need no bookkeeping here: a partition with lines in the room
// continues from its first (or last) one; one without asks Kafka for the offset of the room's oldest
// (or newest) time.

export type OlderResult = {loaded: number; start: boolean; oldest?: number};
export type NewerResult = {loaded: number; live: boolean};

/** Lines that came from the room's topic as it is now (not notices, not our own still pending, not from a deleted topic). */
function fromKafka(m: ChatMessage): boolean {
	return m.type !== 'notice' && m.state !== 'pending' && !m.retired && m.partition >= 0 && m.partition < Number.MAX_SAFE_INTEGER;
}

type Bounds = {first?: ChatMessage; last?: ChatMessage; low: Map<number, bigint>; high: Map<number, bigint>};

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

function toRaw(topic: string, partition: number, messages: BatchMessages): RawRecord[] {
	return messages.map(m => ({topic, partition, offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value, headers: m.headers}));
}

export class RoomHistory {
	constructor(
		private readonly admin: Admin,
		private readonly consumers: RoomConsumers,
		private readonly store: ChatStore,
	) {}

	/** The room's oldest and newest lines from Kafka, and the lowest and highest offset it holds per partition. */
	private bounds(room: string): Bounds {
		const log = this.store.getState().rooms[room]?.log;
		const bounds: Bounds = {low: new Map(), high: new Map()};
		if (!log) return bounds;
		for (let i = 0; i < log.length; i++) {
			const m = log.at(i)!;
			if (!fromKafka(m)) continue;
			bounds.first ??= m;
			bounds.last = m;
			const offset = BigInt(m.offset);
			const low = bounds.low.get(m.partition);
			if (low === undefined || offset < low) bounds.low.set(m.partition, offset);
			const high = bounds.high.get(m.partition);
			if (high === undefined || offset > high) bounds.high.set(m.partition, offset);
		}
		return bounds;
	}

	/** Offset per partition of the first record at or after `timestamp` (the end of the log when none). */
	private async offsetsAt(room: string, timestamp: number): Promise<Map<number, bigint>> {
		const found = await this.admin.fetchTopicOffsetsByTimestamp(room, timestamp);
		return new Map(found.map(f => [f.partition, BigInt(f.offset)]));
	}

	private async read(room: string, ranges: {partition: number; from: bigint; to: bigint}[]): Promise<ChatMessage[]> {
		const raw: RawRecord[] = [];
		await this.consumers.read(
			room,
			ranges.map(r => ({partition: r.partition, from: r.from.toString(), to: r.to.toString()})),
			(partition, messages) => raw.push(...toRaw(room, partition, messages)),
		);
		return raw.map(r => decodeRecord(r)).sort(compareMessages);
	}

	/** Reads up to `lines` lines older than the oldest the room holds into it. */
	async older(room: string, lines: number): Promise<OlderResult> {
		const partitions = await partitionRanges(this.admin, room);
		const b = this.bounds(room);
		const needTime = b.first && partitions.some(p => !b.low.has(p.partition));
		// A partition with no line in the room: its records from the oldest line's time on are not older.
		const atTime = needTime ? await this.offsetsAt(room, b.first!.timestamp + 1) : undefined;
		const ranges = partitions.map(p => {
			const low = BigInt(p.low);
			const floor = b.low.get(p.partition) ?? min(max(atTime?.get(p.partition) ?? BigInt(p.high), low), BigInt(p.high));
			return {partition: p.partition, from: max(low, floor - BigInt(lines)), to: floor, low};
		});
		const read = await this.read(room, ranges);
		// The newest `lines` of what was read are the ones next to what the room holds; the rest come again next time.
		const kept = read.slice(-lines);
		const start = ranges.every(r => r.from <= r.low) && kept.length === read.length;
		const loaded = this.store.getState().actions.receiveOlder(room, kept);
		const first = this.bounds(room).first;
		return {loaded, start, ...(first ? {oldest: first.timestamp} : {})};
	}

	/**
	 * Reads up to `lines` lines newer than the newest a room holds that let its newest lines go (scrolled
	 * far back); once it reaches the end of every partition, the room takes live lines again.
	 */
	async newer(room: string, lines: number): Promise<NewerResult> {
		const partitions = await partitionRanges(this.admin, room);
		const b = this.bounds(room);
		const needTime = b.last && partitions.some(p => !b.high.has(p.partition));
		const atTime = needTime ? await this.offsetsAt(room, b.last!.timestamp) : undefined;
		const ranges = partitions.map((p: PartitionRange) => {
			const high = BigInt(p.high);
			const held = b.high.get(p.partition);
			const ceiling = held !== undefined ? held + 1n : min(atTime?.get(p.partition) ?? high, high);
			return {partition: p.partition, from: max(ceiling, BigInt(p.low)), to: min(high, ceiling + BigInt(lines)), high};
		});
		const read = await this.read(room, ranges);
		const kept = read.slice(0, lines);
		const caughtUp = ranges.every(r => r.to >= r.high) && kept.length === read.length;
		const {actions} = this.store.getState();
		const loaded = actions.receiveNewer(room, kept);
		if (!caughtUp) return {loaded, live: false};
		// Live lines go into the room again from now on; what came in meanwhile is read once more (ids repeat harmlessly).
		actions.attachRoom(room);
		const rest = await this.newerAfterAttach(room);
		return {loaded: loaded + rest, live: true};
	}

	private async newerAfterAttach(room: string): Promise<number> {
		const partitions = await partitionRanges(this.admin, room);
		const b = this.bounds(room);
		const ranges = partitions.map(p => {
			const held = b.high.get(p.partition);
			return {partition: p.partition, from: held !== undefined ? held + 1n : BigInt(p.high), to: BigInt(p.high)};
		});
		return this.store.getState().actions.receiveNewer(room, await this.read(room, ranges));
	}

	/** The live end again for a room that let its newest lines go: its lines dropped, the last page read. */
	async toLive(room: string, lines: number): Promise<void> {
		const r = this.store.getState().rooms[room];
		if (!r?.detached) return;
		this.store.getState().actions.resetRoom(room);
		await this.older(room, lines);
	}
}
