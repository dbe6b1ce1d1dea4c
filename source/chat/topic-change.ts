// What changed about a room's topic between two lookups by name (see source/kafka/room-watch.ts).
// A topic deleted and created again under the same name is another topic; only its id tells (Kafka 2.8+).

/** What a lookup found: the topic with its id (none from brokers before Kafka 2.8), or not, and whether because it is deleted. */
export type TopicSeen = {exists: true; id: string | undefined; partitions: number} | {exists: false; deleted: boolean};

/** What was known before: `id` is the last id seen, kept while the topic is missing. */
export type TopicKnown = {exists: boolean; id: string | undefined; partitions: number};

export type TopicChange =
	/** Nothing to do. */
	| 'none'
	/** An answer naming a topic already replaced: a broker that has not caught up yet. Ignore it. */
	| 'stale'
	/** The topic is missing (deleted). */
	| 'gone'
	/** Missing before, there now: another topic (or no ids to tell). */
	| 'reappeared'
	/** Missing before, there now under the same id: a broker that had not caught up, the same topic. */
	| 'same-topic'
	/** There before and now, under another id: deleted and created again between two lookups. */
	| 'topic-id'
	/** There before and now, no ids to tell: compare the offsets with where the room had read. */
	| 'check-offsets';

export function topicChange(before: TopicKnown | undefined, now: TopicSeen, replaced: ReadonlySet<string>): TopicChange {
	if (!now.exists) return now.deleted && (!before || before.exists) ? 'gone' : 'none';
	if (now.id !== undefined && replaced.has(now.id)) return 'stale';
	if (!before) return 'none';
	if (!before.exists) return before.id !== undefined && before.id === now.id ? 'same-topic' : 'reappeared';
	if (before.id !== undefined && now.id !== undefined) return before.id === now.id ? 'none' : 'topic-id';
	return now.id === undefined ? 'check-offsets' : 'none';
}
