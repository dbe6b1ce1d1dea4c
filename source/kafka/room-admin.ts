import kafkajs, {type Admin} from 'kafkajs';

// kafkajs is CommonJS: its enums come through the default export under Node's ESM loader.
const {ConfigResourceTypes} = kafkajs;
import {backoffDelay} from '../chat/backoff.js';
import {isInternalTopic, validateRoomName} from '../chat/names.js';

export type RoomSummary = {name: string; partitions: number};
export type PartitionRange = {partition: number; low: string; high: string};

export const PRESENCE_TOPIC = 'kchat.presence';
export const READMARKS_TOPIC = 'kchat.readmarks';
/** The broker's default `message.max.bytes` (1 MiB + overhead), when the topic's own limit is unknown. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

export class RoomNameError extends Error {}

/** The cluster will not have this room (Kafka answered, and asking again changes nothing). */
export class RoomRefusedError extends Error {
	readonly refusal = true;
}

/** Throws the naming rule before any request is sent. */
export function checkRoomName(room: string): void {
	const problem = validateRoomName(room);
	if (problem) throw new RoomNameError(problem);
}

/** Rooms are the topics that are not internal (`__*`) and not kchat's own (`kchat.*`). */
export async function listRooms(admin: Admin): Promise<RoomSummary[]> {
	// One metadata request for every topic: listing names first and then asking for their metadata fails
	// the whole list when another client deletes a room in between.
	// A room being deleted still answers with an error for a moment: ask again.
	const {topics} = await whileLeadersSettle(() => admin.fetchTopicMetadata());
	return topics
		.filter(t => !isInternalTopic(t.name))
		.map(t => ({name: t.name, partitions: t.partitions.length}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

type ConfigEntry = {name: string; value: string};

/**
 * How a topic kchat creates is replicated: on min(3, brokers) brokers, and on a cluster of three or more
 * a write needs two of them in sync (with acks=all), so one broker may be down without losing or
 * refusing a message. On one broker nothing changes.
 */
export async function replication(admin: Admin): Promise<{replicationFactor: number; configEntries: ConfigEntry[]}> {
	const {brokers} = await admin.describeCluster();
	const replicationFactor = Math.max(1, Math.min(3, brokers.length));
	return {replicationFactor, configEntries: replicationFactor >= 3 ? [{name: 'min.insync.replicas', value: '2'}] : []};
}

/**
 * Creates the room's topic when it is missing. LogAppendTime, so every client orders by the broker's
 * clock. Returns true when this call created it.
 */
export async function ensureRoom(admin: Admin, room: string, partitions: number): Promise<boolean> {
	checkRoomName(room);
	if (await roomReady(admin, room)) return false;
	const existing = await admin.listTopics();
	if (existing.includes(room)) return false;
	// Kafka refuses such a name with INVALID_TOPIC_EXCEPTION and no word of why (kafkajs drops the
	// broker's message): say why, and with which room.
	const twin = existing.find(t => t.replace(/\./g, '_') === room.replace(/\./g, '_'));
	if (twin) throw new RoomRefusedError(`Kafka refuses room '${room}': it collides with '${twin}' (Kafka treats '.' and '_' alike in topic names)`);
	const {replicationFactor, configEntries} = await replication(admin);
	let created: boolean;
	try {
		created = await admin.createTopics({
			waitForLeaders: false,
			topics: [{topic: room, numPartitions: partitions, replicationFactor, configEntries: [{name: 'message.timestamp.type', value: 'LogAppendTime'}, ...configEntries]}],
		});
	} catch (error) {
		const codes = ((error as {errors?: {type?: string}[]}).errors ?? []).map(e => e.type);
		if (codes.length === 0 || !codes.every(c => c === 'TOPIC_ALREADY_EXISTS')) throw error;
		created = false; // made at the same moment elsewhere
	}
	await untilLeaders(admin, [room]);
	return created;
}

/** A topic's metadata with partitions, each with a leader: it can be read and written. */
const hasLeaders = (topic: {partitions: Array<{leader: number}>}): boolean => topic.partitions.length > 0 && topic.partitions.every(p => p.leader >= 0);

/**
 * True when the room's topic exists and every partition has a leader: one metadata request for that topic
 * alone. Anything else (missing, no leader yet, an error) is left to ensureRoom's full way, which lists the
 * topics (on a cluster with hundreds of rooms, two metadata requests for all of them: kafkajs reads them
 * all first on a new connection) and says why it cannot have the room.
 */
async function roomReady(admin: Admin, room: string): Promise<boolean> {
	try {
		const {topics} = await admin.fetchTopicMetadata({topics: [room]});
		return topics.some(t => t.name === room && hasLeaders(t));
	} catch {
		return false;
	}
}

/**
 * Until every partition of the topics has a leader in the metadata. kafkajs's own `waitForLeaders`
 * gives up when the broker it asks has not heard of a topic yet, which on a cluster happens right after
 * the controller created it (UNKNOWN_TOPIC_OR_PARTITION from a broker the change has not reached).
 */
async function untilLeaders(admin: Admin, topics: string[]): Promise<void> {
	await whileLeadersSettle(async () => {
		const metadata = await admin.fetchTopicMetadata({topics});
		if (!metadata.topics.every(hasLeaders)) throw new Error('no leader yet');
	});
}

/** kchat's compacted topics (presence and read marks): one partition, kept per key. */
export async function ensureSystemTopics(admin: Admin): Promise<void> {
	const existing = new Set(await admin.listTopics());
	const missing = [PRESENCE_TOPIC, READMARKS_TOPIC].filter(t => !existing.has(t));
	if (missing.length === 0) return;
	const {replicationFactor, configEntries} = await replication(admin);
	try {
		await admin.createTopics({
			waitForLeaders: false,
			topics: missing.map(topic => ({
				topic,
				numPartitions: 1,
				replicationFactor,
				configEntries: [
					...configEntries,
					{name: 'cleanup.policy', value: 'compact'},
					{name: 'message.timestamp.type', value: 'LogAppendTime'},
					{name: 'segment.ms', value: String(60 * 60 * 1000)},
					{name: 'min.cleanable.dirty.ratio', value: '0.1'},
				],
			})),
		});
	} catch (error) {
		// Another instance created it at the same moment.
		if (!/already exists/i.test((error as Error).message)) throw error;
	}
	await untilLeaders(admin, missing);
}

/**
 * Retries what fails while a topic that was just created (by us or by another instance at the same
 * moment) has no leader yet: kafkajs's own retries give up before a busy broker has elected one.
 */
export async function whileLeadersSettle<T>(work: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (let attempt = 0; ; attempt++) {
		try {
			return await work();
		} catch (error) {
			const delay = backoffDelay(attempt, {base: 50, max: 1000});
			const settling = /leader|UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition/i.test(String((error as Error).message)) || (error as {type?: string}).type === 'LEADER_NOT_AVAILABLE';
			if (!settling || Date.now() + delay > deadline) throw error;
			await new Promise(resolve => setTimeout(resolve, delay));
		}
	}
}

export async function partitionRanges(admin: Admin, topic: string, settleMs?: number): Promise<PartitionRange[]> {
	const offsets = await whileLeadersSettle(() => admin.fetchTopicOffsets(topic), settleMs);
	return offsets.map(o => ({partition: o.partition, low: o.low, high: o.high})).sort((a, b) => a.partition - b.partition);
}

/** The topic's `max.message.bytes`, which a message must fit before it is sent. */
export async function maxMessageBytes(admin: Admin, topic: string): Promise<number> {
	try {
		const result = await admin.describeConfigs({
			includeSynonyms: false,
			resources: [{type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes']}],
		});
		const value = Number(result.resources[0]?.configEntries.find(e => e.configName === 'max.message.bytes')?.configValue);
		return Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX_MESSAGE_BYTES;
	} catch {
		return DEFAULT_MAX_MESSAGE_BYTES;
	}
}
