// kchat's consumers read every partition of their rooms and commit nothing, like kcat's assign() and
// unlike a consumer group, which only ever costs them: a FindCoordinator, two JoinGroups and a SyncGroup
// before the first fetch, heartbeats, groups to delete on stop, and on a cluster with Kafka's default
// settings `group.initial.rebalance.delay.ms` (3 s) before a fresh group's first assignment: `kchat tail`
// took 3.5 s to its first line there, kcat 70 ms. kafkajs has no assign(). A consumer registered here
// assigns itself every partition of its topics instead: its join and sync ask the broker nothing, and its
// "coordinator" answers heartbeats, leaves and commits locally and has no committed offset (kchat seeks
// every partition it reads; one never sought starts at the latest offset, as before). The rest of
// kafkajs's consumer (fetching, pause and resume, seeks, restarts after a crash, a partition count that
// changes) runs unchanged: a stale assignment makes kafkajs join again, which assigns afresh here.
// Imported by room-consumers.ts and quick-reader.ts, before any consumer is made.
import type {Consumer, ConsumerConfig, Kafka} from 'kafkajs';
import ConsumerGroup from 'kafkajs/src/consumer/consumerGroup.js';
import OffsetManager from 'kafkajs/src/consumer/offsetManager/index.js';

/**
 * Group ids of the consumers that take no group. kchat names each consumer once (a few per room it
 * reads), and an id stays here for good: a consumer restarting after a crash must not join a group.
 */
const groupless = new Set<string>();

/** A kafkajs consumer named `config.groupId` that takes no group: it reads every partition of its topics. */
export function consumerWithoutGroup(kafka: Kafka, config: ConsumerConfig): Consumer {
	groupless.add(config.groupId);
	return kafka.consumer(config);
}

type TopicOffsets = {topic: string; partitions: Array<{partition: number}>};

/** Where kafkajs would talk to the group's coordinator: nothing to send, no offsets kept. */
const localCoordinator = {
	isConnected: () => true,
	heartbeat: async () => undefined,
	leaveGroup: async () => undefined,
	offsetCommit: async () => undefined,
	// No committed offset (-1): kafkajs then asks the partitions' latest offsets (ListOffsets).
	offsetFetch: async ({topics}: {topics: TopicOffsets[]}) => ({
		responses: topics.map(({topic, partitions}) => ({topic, partitions: partitions.map(({partition}) => ({partition, offset: '-1', metadata: null, errorCode: 0}))})),
	}),
};

const prototype = ConsumerGroup.prototype as unknown as Record<symbol, (this: ConsumerGroup) => Promise<void>>;
const symbol = (description: string): symbol => {
	const found = Object.getOwnPropertySymbols(prototype).find(s => s.description === description);
	// kafkajs is pinned (2.2.4, its last release); a different one must fail loudly at start, not join groups unnoticed.
	if (!found) throw new Error(`kafkajs has no ConsumerGroup method '${description}': groupless-consumers.ts needs updating`);
	return found;
};
const JOIN = symbol('private:ConsumerGroup:join');
const SYNC = symbol('private:ConsumerGroup:sync');
const join = prototype[JOIN]!;
const sync = prototype[SYNC]!;

prototype[JOIN] = async function (this: ConsumerGroup): Promise<void> {
	if (!groupless.has(this.groupId)) return join.call(this);
	this.coordinator = localCoordinator;
	this.memberId = this.leaderId = `${this.groupId}-local`;
	this.generationId = (this.generationId ?? 0) + 1;
	this.members = [];
	this.groupProtocol = 'local';
};

prototype[SYNC] = async function (this: ConsumerGroup): Promise<void> {
	if (!groupless.has(this.groupId)) return sync.call(this);
	// Every partition of every topic, as the broker has them now (subscribe has just asked, before the first).
	if (this.generationId === 1) await this.cluster.refreshMetadataIfNecessary();
	else await this.cluster.refreshMetadata();
	this.partitionsPerSubscribedTopic = this.generatePartitionsPerSubscribedTopic();
	const assignment = this.topicsSubscribed.map(topic => ({topic, partitions: this.partitionsPerSubscribedTopic!.get(topic) ?? []}));
	this.topics = assignment.map(a => a.topic);
	this.subscriptionState.assign(assignment);
	this.offsetManager = new OffsetManager({
		cluster: this.cluster,
		topicConfigurations: this.topicConfigurations,
		instrumentationEmitter: this.instrumentationEmitter,
		memberAssignment: Object.fromEntries(assignment.map(a => [a.topic, a.partitions])),
		autoCommit: this.autoCommit,
		autoCommitInterval: this.autoCommitInterval,
		autoCommitThreshold: this.autoCommitThreshold,
		coordinator: this.coordinator,
		groupId: this.groupId,
		generationId: this.generationId,
		memberId: this.memberId,
	});
};
