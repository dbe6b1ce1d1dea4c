import type {Admin} from 'kafkajs';
import {decodeRecord} from '../chat/record-codec.js';
import type {Delivered, OutboxEntry} from './outbox.js';
import {partitionRanges} from './room-admin.js';
import type {RoomConsumers} from './room-consumers.js';

/**
 * How much earlier than a message's own clock Kafka may have stamped it: rooms use LogAppendTime, the
 * broker's clock, and the two clocks need not agree.
 */
const CLOCK_SKEW_MS = 60_000;

/**
 * Which of our messages (all of one room) Kafka holds already, and where: the room's records from the
 * oldest message's time on (per partition, from the offset for that time to the end), matched by
 * `kchat-id` and sender. Recent by construction: messages still in an outbox were typed since the last
 * run. A room that no longer exists holds none of them.
 */
export async function findDelivered(admin: Admin, consumers: RoomConsumers, room: string, entries: OutboxEntry[]): Promise<Map<string, Delivered>> {
	const wanted = new Map(entries.map(e => [e.id, e]));
	const found = new Map<string, Delivered>();
	if (wanted.size === 0) return found;
	const since = Math.min(...entries.map(e => e.sentAt)) - CLOCK_SKEW_MS;
	if (!(await admin.listTopics()).includes(room)) return found;
	const [ranges, starts] = await Promise.all([partitionRanges(admin, room), admin.fetchTopicOffsetsByTimestamp(room, since)]);
	const from = new Map(starts.map(s => [s.partition, s.offset]));
	await consumers.read(
		room,
		ranges.map(r => ({partition: r.partition, from: from.get(r.partition) ?? r.low, to: r.high})),
		(partition, messages) => {
			for (const m of messages) {
				const record = decodeRecord({topic: room, partition, offset: m.offset, timestamp: m.timestamp, key: m.key, value: null, headers: m.headers});
				const entry = wanted.get(record.id);
				if (!entry || m.key?.toString() !== entry.user) continue;
				found.set(entry.id, {partition, offset: m.offset, timestamp: record.timestamp});
			}
		},
	);
	return found;
}
