import {describe, expect, it} from 'vitest';
import {decodeRecord} from '../../source/chat/record-codec.js';
import {createChatStore} from '../../source/store/chat-store.js';
import {joinRooms, line} from '../ui/support/messages.js';

// A room's topic deleted and created again: the lines shown stay, and the new topic's records, whose
// offsets start at 0 again, are shown even where they take the positions of records shown before.

const foreign = (room: string, offset: number, text: string, timestamp: number) =>
	decodeRecord({topic: room, partition: 0, offset: String(offset), timestamp, key: Buffer.from('kcat'), value: Buffer.from(text)});

describe('a room created again in the store', () => {
	it('keeps the old lines, says what happened, and shows new records at the old positions', () => {
		const store = createChatStore({nick: 'me', brokers: ['b:9092']});
		const {actions} = store.getState();
		joinRooms(store, 'r');
		const now = Date.now();
		actions.receive([foreign('r', 0, 'old kcat line', now - 2_000), line('r', 'alice', 'old kchat line', {timestamp: now - 1_000, offset: '1'})]);

		actions.roomGone('r', 'Kafka: UNKNOWN_TOPIC_OR_PARTITION', 'room r was deleted (...)');
		expect(store.getState().rooms['r']!.gone).toBe('Kafka: UNKNOWN_TOPIC_OR_PARTITION');
		actions.roomBack('r', 'room r was created again: reading it from the beginning', true);
		expect(store.getState().rooms['r']!.gone).toBeUndefined();

		// Offset 0 of the new topic: the same positional id as the old line, another record.
		actions.receive([foreign('r', 0, 'new kcat line', now + 60_000)]);
		const texts = store.getState().rooms['r']!.log.slice().map(m => m.text);
		expect(texts).toEqual(['old kcat line', 'old kchat line', 'room r was deleted (...)', 'room r was created again: reading it from the beginning', 'new kcat line']);
		const log = store.getState().rooms['r']!.log.slice();
		expect(log.filter(m => m.retired).map(m => m.text)).toEqual(['old kcat line', 'old kchat line']);
	});
});
