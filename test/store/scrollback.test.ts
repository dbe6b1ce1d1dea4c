import {describe, expect, it} from 'vitest';
import {createChatStore} from '../../source/store/chat-store.js';
import {line} from '../ui/support/messages.js';

// Older history read into a room stays within the scrollback cap: the newest lines go (the room is then
// "detached": live lines are counted, not shown, until End reads the live end again).

describe('scrollback in the store', () => {
	it('keeps a room within its cap when older lines come in, dropping the newest and counting live ones', () => {
		const store = createChatStore({nick: 'me', brokers: ['b:9092'], scrollbackCap: 100});
		const {actions} = store.getState();
		actions.roomJoining('a');
		actions.roomLive('a');
		const live = Array.from({length: 100}, (_, i) => line('a', 'alice', `live ${i}`, {timestamp: 10_000_000 + i}));
		actions.receive(live);
		const older = Array.from({length: 50}, (_, i) => line('a', 'alice', `old ${i}`, {timestamp: 1_000 + i}));
		expect(actions.receiveOlder('a', older)).toBe(50);
		const room = () => store.getState().rooms['a']!;
		// 150 over a cap of 100: down to 90 (a tenth under the cap), the newest gone, the oldest kept.
		expect(room().log.length).toBe(90);
		expect(room().log.at(0)!.text).toBe('old 0');
		expect(room().log.last()!.text).toBe('live 39');
		expect(room().detached).toBe(true);

		// Live lines while detached: not in the log, counted as unread.
		actions.selectRoom('a');
		actions.receive([line('a', 'bob', 'new while away', {timestamp: 20_000_000})]);
		expect(room().log.length).toBe(90);
		expect(room().unread).toBe(1);

		// End: emptied to read the live end again.
		actions.resetRoom('a');
		expect(room().log.length).toBe(0);
		expect(room().detached).toBe(false);
		actions.receive([line('a', 'bob', 'after', {timestamp: 20_000_001})]);
		expect(room().log.last()!.text).toBe('after');
	});

	it('cuts a joined room to its newest N lines through an action, so the room shows a new revision', () => {
		const store = createChatStore({nick: 'me', brokers: ['b:9092']});
		const {actions} = store.getState();
		actions.roomJoining('a');
		actions.receive(Array.from({length: 9}, (_, i) => line('a', 'alice', `history ${i}`, {timestamp: 1_000 + i})));
		const before = store.getState().rooms['a']!;
		actions.keepNewest('a', 5);
		const after = store.getState().rooms['a']!;
		expect(after.log.slice().map(m => m.text)).toEqual(['history 4', 'history 5', 'history 6', 'history 7', 'history 8']);
		expect(after.rev).toBeGreaterThan(before.rev);
		expect(after).not.toBe(before);
	});
});
