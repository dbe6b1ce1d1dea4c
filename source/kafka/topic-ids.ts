import type {Kafka} from 'kafkajs';
import {createCluster, type KafkaCluster} from './kafka-clusters.js';
import type {Logger} from './log-file.js';

// Topic ids: a topic deleted and created again under the same name is another topic (its offsets start
// at 0 again), and only its id says so while the name stays. Kafka gives ids in Metadata v10 and later;
// kafkajs 2.2.4 speaks Metadata up to v6, so this file sends the request itself over a kafkajs
// connection (SASL, TLS and broker choice as for any other request), encoded by hand.
//
// Metadata v9+ is a "flexible" version: its request header (v2) is kafkajs's v1 header followed by an
// empty tagged-field section, so the body written here starts with that byte; likewise the response
// header's tagged fields come first in the payload kafkajs hands back.

/** What the cluster says about a topic now. `id` is undefined when the broker gives no ids (before Kafka 2.8). */
export type TopicState = {exists: true; id: string | undefined; partitions: number} | {exists: false; code: number; error: string};

const METADATA = 3;
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const ERRORS: Record<number, string> = {
	3: 'UNKNOWN_TOPIC_OR_PARTITION',
	5: 'LEADER_NOT_AVAILABLE',
	17: 'INVALID_TOPIC_EXCEPTION',
	29: 'TOPIC_AUTHORIZATION_FAILED',
};

export const isDeleted = (state: TopicState | undefined): boolean => state !== undefined && !state.exists && state.code === UNKNOWN_TOPIC_OR_PARTITION;

class Writer {
	private readonly parts: Buffer[] = [];
	byte(value: number): this {
		this.parts.push(Buffer.from([value]));
		return this;
	}
	uvarint(value: number): this {
		const bytes: number[] = [];
		let v = value >>> 0;
		while (v >= 0x80) {
			bytes.push((v & 0x7f) | 0x80);
			v >>>= 7;
		}
		bytes.push(v);
		this.parts.push(Buffer.from(bytes));
		return this;
	}
	compactString(value: string): this {
		const bytes = Buffer.from(value, 'utf8');
		this.uvarint(bytes.length + 1);
		this.parts.push(bytes);
		return this;
	}
	raw(bytes: Buffer): this {
		this.parts.push(bytes);
		return this;
	}
	done(): Buffer {
		return Buffer.concat(this.parts);
	}
}

class Reader {
	private at = 0;
	constructor(private readonly buffer: Buffer) {}
	int8(): number {
		return this.buffer.readInt8(this.advance(1));
	}
	int16(): number {
		return this.buffer.readInt16BE(this.advance(2));
	}
	int32(): number {
		return this.buffer.readInt32BE(this.advance(4));
	}
	uvarint(): number {
		let value = 0;
		for (let shift = 0; shift < 35; shift += 7) {
			const b = this.buffer.readUInt8(this.advance(1));
			value |= (b & 0x7f) << shift;
			if ((b & 0x80) === 0) return value >>> 0;
		}
		throw new Error('bad varint in Metadata response');
	}
	bytes(length: number): Buffer {
		const start = this.advance(length);
		return this.buffer.subarray(start, start + length);
	}
	compactString(): string | null {
		const length = this.uvarint() - 1;
		return length < 0 ? null : this.bytes(length).toString('utf8');
	}
	/** A compact array (null reads as empty). */
	compactArray<T>(item: () => T): T[] {
		const length = this.uvarint() - 1;
		const items: T[] = [];
		for (let i = 0; i < length; i++) items.push(item());
		return items;
	}
	taggedFields(): void {
		const count = this.uvarint();
		for (let i = 0; i < count; i++) {
			this.uvarint();
			this.bytes(this.uvarint());
		}
	}
	private advance(n: number): number {
		const start = this.at;
		if (start + n > this.buffer.length) throw new Error('Metadata response ends early');
		this.at += n;
		return start;
	}
}

const ZERO_UUID = Buffer.alloc(16);

/** The Metadata request (v10-v12) for these topics, no topic creation, nothing else asked. */
export function encodeMetadataRequest(version: number, topics: string[]): Buffer {
	const w = new Writer().byte(0); // request header v2: no tagged fields
	w.uvarint(topics.length + 1);
	for (const name of topics) w.raw(ZERO_UUID).compactString(name).byte(0);
	w.byte(0); // allow_auto_topic_creation
	if (version <= 10) w.byte(0); // include_cluster_authorized_operations (gone in v11)
	w.byte(0); // include_topic_authorized_operations
	return w.byte(0).done();
}

/** The topics of a Metadata response (v10-v12): error, name, id, partition count. */
export function decodeMetadataResponse(version: number, payload: Buffer): Map<string, TopicState> {
	const r = new Reader(payload);
	r.taggedFields(); // response header v1
	r.int32(); // throttle_time_ms
	r.compactArray(() => {
		r.int32();
		r.compactString();
		r.int32();
		r.compactString();
		r.taggedFields();
	});
	r.compactString(); // cluster_id
	r.int32(); // controller_id
	const topics = new Map<string, TopicState>();
	const ints = (): void => void r.compactArray(() => r.int32());
	for (const topic of r.compactArray(() => {
		const code = r.int16();
		const name = r.compactString();
		const id = r.bytes(16).toString('hex');
		r.int8(); // is_internal
		const partitions = r.compactArray(() => {
			r.int16();
			r.int32();
			r.int32();
			r.int32();
			ints();
			ints();
			ints();
			r.taggedFields();
		}).length;
		r.int32(); // topic_authorized_operations
		r.taggedFields();
		return {code, name, id, partitions};
	})) {
		if (topic.name === null) continue;
		if (topic.code !== 0) topics.set(topic.name, {exists: false, code: topic.code, error: ERRORS[topic.code] ?? `Kafka error ${topic.code}`});
		else topics.set(topic.name, {exists: true, id: /^0+$/.test(topic.id) ? undefined : uuidText(topic.id), partitions: topic.partitions});
	}
	if (version <= 10) r.int32(); // cluster_authorized_operations
	r.taggedFields();
	return topics;
}

function uuidText(hex: string): string {
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Looks topics up by name, with their ids, over a connection of its own. */
export class TopicIds {
	private connected: Promise<KafkaCluster | undefined> | undefined;
	private stopped = false;

	constructor(
		private readonly kafka: Kafka,
		private readonly logger: Logger,
	) {}

	/**
	 * The state of each topic asked for. Throws when the cluster does not answer. A broker without
	 * Metadata v10 (Kafka before 2.8) gives no ids: then the states say only whether each topic exists.
	 */
	async lookup(topics: string[]): Promise<Map<string, TopicState>> {
		if (topics.length === 0) return new Map();
		const cluster = await this.connect();
		if (!cluster) throw new Error('topic ids: this kafkajs has no cluster to ask');
		const broker = await cluster.brokerPool.findConnectedBroker();
		const range = broker.versions?.[METADATA];
		const version = range ? Math.min(range.maxVersion, 12) : 0;
		if (version < 10) return this.withoutIds(broker, topics);
		return (await broker.connectionPool.send({
			request: {
				apiKey: METADATA,
				apiVersion: version,
				apiName: 'Metadata',
				encode: async () => {
					const bytes = encodeMetadataRequest(version, topics);
					return {buf: bytes, buffer: bytes};
				},
			},
			response: {decode: async payload => decodeMetadataResponse(version, payload), parse: async decoded => decoded},
		})) as Map<string, TopicState>;
	}

	async stop(): Promise<void> {
		this.stopped = true;
		const cluster = await this.connected?.catch(() => undefined);
		await cluster?.disconnect().catch(() => undefined);
	}

	/** An old broker: kafkajs's own Metadata request, per topic so one missing topic does not hide the others. */
	private async withoutIds(broker: unknown, topics: string[]): Promise<Map<string, TopicState>> {
		const metadata = (broker as {metadata(topics: string[]): Promise<{topicMetadata: {topic: string; partitionMetadata: unknown[]}[]}>}).metadata.bind(broker);
		const states = new Map<string, TopicState>();
		for (const topic of topics) {
			try {
				const {topicMetadata} = await metadata([topic]);
				states.set(topic, {exists: true, id: undefined, partitions: topicMetadata[0]?.partitionMetadata.length ?? 0});
			} catch (error) {
				const type = (error as {type?: string}).type;
				if (type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
				states.set(topic, {exists: false, code: UNKNOWN_TOPIC_OR_PARTITION, error: type});
			}
		}
		return states;
	}

	private connect(): Promise<KafkaCluster | undefined> {
		if (this.stopped) return Promise.reject(new Error('stopped'));
		this.connected ??= (async () => {
			const cluster = createCluster(this.kafka);
			if (!cluster) {
				this.logger.warn('topic ids: kafkajs internals changed; recreated rooms are noticed by their offsets only');
				return undefined;
			}
			await cluster.connect();
			return cluster;
		})();
		// A failed connect is tried again at the next lookup.
		this.connected.catch(() => (this.connected = undefined));
		return this.connected;
	}
}
