import type {Kafka} from 'kafkajs';

// kafkajs (2.2.4, its last release) gives every admin, producer and consumer its own "cluster": a
// broker pool plus the set of topics it keeps metadata for ("target topics"). A topic enters that set
// the first time a client uses it and never leaves it (only the admin that deletes a topic removes
// it). Once the topic is deleted elsewhere, every metadata refresh of that client fails with
// UNKNOWN_TOPIC_OR_PARTITION: a consumer stops fetching all of its topics, a producer stops sending to
// every room, an admin stops answering. So each cluster a Kafka client makes is remembered here, and a
// deleted room is taken out of all of them, as kafkajs itself does for the topics its admin deletes.

/** What kchat touches of a kafkajs cluster (see node_modules/kafkajs/src/cluster). */
export type KafkaCluster = {
	targetTopics: Set<string>;
	connect(): Promise<void>;
	disconnect(): Promise<void>;
	brokerPool: {findConnectedBroker(): Promise<KafkaBroker>};
};

export type KafkaBroker = {
	versions: Record<number, {minVersion: number; maxVersion: number}> | null;
	connectionPool: {send(request: RawRequest): Promise<unknown>};
};

/** A request kafkajs's connection can send: it writes the v1 request header, then `encode()`'s bytes. */
export type RawRequest = {
	request: {apiKey: number; apiVersion: number; apiName: string; encode(): Promise<{buf: Buffer; buffer: Buffer}>};
	response: {decode(payload: Buffer): Promise<unknown>; parse(decoded: unknown): Promise<unknown>};
	requestTimeout?: number;
};

type CreateCluster = (options: {allowAutoTopicCreation?: boolean}) => KafkaCluster;

const CREATE_CLUSTER = 'private:Kafka:createCluster';
const clusters = new WeakMap<Kafka, Set<WeakRef<KafkaCluster>>>();

function createSymbol(kafka: Kafka): symbol | undefined {
	return Object.getOwnPropertySymbols(kafka).find(s => s.description === CREATE_CLUSTER);
}

/** From now on every cluster this client makes is remembered (weakly), so forgetTopic reaches it. */
export function trackClusters(kafka: Kafka): void {
	const symbol = createSymbol(kafka);
	if (!symbol || clusters.has(kafka)) return;
	const holder = kafka as unknown as Record<symbol, CreateCluster>;
	const create = holder[symbol]!;
	const made = new Set<WeakRef<KafkaCluster>>();
	clusters.set(kafka, made);
	holder[symbol] = options => {
		const cluster = create(options);
		made.add(new WeakRef(cluster));
		return cluster;
	};
}

/** Takes a topic that no longer exists out of every cluster of this client (their next use of it refreshes its metadata). */
export function forgetTopic(kafka: Kafka, topic: string): void {
	const made = clusters.get(kafka);
	if (!made) return;
	for (const ref of made) {
		const cluster = ref.deref();
		if (cluster) cluster.targetTopics.delete(topic);
		else made.delete(ref);
	}
}

/** A cluster of this client's own (its connections, SASL and TLS), for requests kafkajs does not make; undefined if kafkajs changed. */
export function createCluster(kafka: Kafka): KafkaCluster | undefined {
	const symbol = createSymbol(kafka);
	if (!symbol) return undefined;
	return (kafka as unknown as Record<symbol, CreateCluster>)[symbol]!({allowAutoTopicCreation: false});
}
