import {describe, expect, it} from 'vitest';
import {topicChange, type TopicKnown, type TopicSeen} from '../../source/chat/topic-change.js';

const there = (id: string | undefined, partitions = 3): TopicSeen => ({exists: true, id, partitions});
const known = (exists: boolean, id: string | undefined, partitions = 3): TopicKnown => ({exists, id, partitions});
const deleted: TopicSeen = {exists: false, deleted: true};
const none = new Set<string>();

describe('what changed about a room topic between two lookups', () => {
	it('tells a deleted topic, one created again (by id, or by reappearing), and the same topic back', () => {
		expect(topicChange(undefined, there('a'), none)).toBe('none'); // first look
		expect(topicChange(known(true, 'a'), there('a'), none)).toBe('none');
		expect(topicChange(known(true, 'a'), deleted, none)).toBe('gone');
		expect(topicChange(undefined, deleted, none)).toBe('gone'); // a room in use that is missing at the first look
		expect(topicChange(known(false, 'a'), deleted, none)).toBe('none'); // said once
		expect(topicChange(known(false, 'a'), there('b'), none)).toBe('reappeared');
		expect(topicChange(known(false, undefined), there('b'), none)).toBe('reappeared');
		expect(topicChange(known(true, 'a'), there('b'), none)).toBe('topic-id'); // deleted and created between two looks
		expect(topicChange(known(false, 'a'), there('a'), none)).toBe('same-topic');
	});

	it('ignores answers that say nothing about the topic, and brokers that have not caught up', () => {
		expect(topicChange(known(true, 'a'), {exists: false, deleted: false}, none)).toBe('none'); // e.g. LEADER_NOT_AVAILABLE
		expect(topicChange(known(true, 'b'), there('a'), new Set(['a']))).toBe('stale');
		expect(topicChange(known(false, 'b'), there('a'), new Set(['a']))).toBe('stale');
	});

	it('without topic ids (Kafka before 2.8) asks for the offsets to be compared', () => {
		expect(topicChange(known(true, undefined), there(undefined), none)).toBe('check-offsets');
		expect(topicChange(known(false, undefined), there(undefined), none)).toBe('reappeared');
	});
});
