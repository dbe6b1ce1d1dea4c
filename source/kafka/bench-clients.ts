import type {Admin, Producer} from 'kafkajs';
import {createKafka, type ClientOptions} from './kafka-client.js';
import {ensureSystemTopics, partitionRanges} from './room-admin.js';

// Plain Kafka clients for `kchat simulate` and `kchat bench`: many senders share one producer (a
// ChatService per simulated user would be a producer, an admin and a consumer each). Chat code does
// not use these.

/** One record as it goes on the wire: key, UTF-8 value, string headers. */
export type WireRecord = {key?: string; value: string; headers?: Record<string, string>};

export type TopicRecords = {topic: string; records: WireRecord[]};

export type BenchProducerOptions = Omit<ClientOptions, 'clientId'> & {
	clientId?: string;
	/** -1 (all, what chat uses), 1 or 0. */
	acks?: -1 | 0 | 1;
};

/** A producer shared by many simulated senders: one request per call, for any number of topics. */
export class BenchProducer {
	private readonly producer: Producer;
	private readonly admin: Admin;
	private readonly acks: -1 | 0 | 1;

	constructor(options: BenchProducerOptions) {
		const kafka = createKafka({...options, clientId: options.clientId ?? 'kchat-bench'});
		this.producer = kafka.producer({allowAutoTopicCreation: false});
		this.admin = kafka.admin();
		this.acks = options.acks ?? -1;
	}

	async connect(): Promise<void> {
		await Promise.all([this.producer.connect(), this.admin.connect()]);
	}

	/** Creates kchat's presence and read-mark topics when missing (a fresh cluster no kchat has used). */
	ensureSystemTopics(): Promise<void> {
		return ensureSystemTopics(this.admin);
	}

	/** Records currently in a topic's partitions (end minus start offsets). */
	async recordCount(topic: string): Promise<number> {
		const ranges = await partitionRanges(this.admin, topic);
		return ranges.reduce((sum, r) => sum + Number(BigInt(r.high) - BigInt(r.low)), 0);
	}

	/** Sends all records in one request; resolves when the broker acknowledged them (per `acks`). */
	async send(batches: TopicRecords[]): Promise<void> {
		const topicMessages = batches
			.filter(b => b.records.length > 0)
			.map(b => ({topic: b.topic, messages: b.records.map(r => ({key: r.key ?? null, value: r.value, headers: r.headers}))}));
		if (topicMessages.length === 0) return;
		await this.producer.sendBatch({acks: this.acks, topicMessages});
	}

	async disconnect(): Promise<void> {
		await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
	}
}
