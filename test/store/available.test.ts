import {describe, expect, it} from 'vitest';
import {createChatStore} from '../../source/store/chat-store.js';

// The room list is read from Kafka every 30 s: an unchanged list must not change the state (every change
// redraws the screen, about 60 ms of CPU on a loaded machine).

describe('the available rooms in the store', () => {
	it('keeps the state when the list read again is the same, and takes a changed one sorted', () => {
		const store = createChatStore({nick: 'me', brokers: ['b:9092']});
		const {actions} = store.getState();
		actions.setAvailable([{name: 'b', partitions: 3}, {name: 'a', partitions: 3}]);
		const before = store.getState();
		expect(before.available.map(r => r.name)).toEqual(['a', 'b']);

		actions.setAvailable([{name: 'a', partitions: 3}, {name: 'b', partitions: 3}]);
		expect(store.getState()).toBe(before);

		actions.setAvailable([{name: 'a', partitions: 3}, {name: 'b', partitions: 6}]);
		expect(store.getState().available).toEqual([{name: 'a', partitions: 3}, {name: 'b', partitions: 6}]);
		actions.setAvailable([{name: 'c', partitions: 1}, {name: 'a', partitions: 3}, {name: 'b', partitions: 6}]);
		expect(store.getState().available.map(r => r.name)).toEqual(['a', 'b', 'c']);
	});
});
