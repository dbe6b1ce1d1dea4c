import {describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../source/chat/message.js';
import {compareMessages, compareOffsets, insertOrdered, insertionIndex} from '../../source/chat/message-order.js';
import {seededRandom} from './unsafe-chars.js';

function msg(id: string, timestamp: number, partition: number, offset: string): ChatMessage {
	const pending = partition < 0;
	return {id, room: 'r', user: 'u', type: 'message', text: id, timestamp, partition, offset, state: pending ? 'pending' : 'delivered', foreign: false};
}

const ids = (list: readonly ChatMessage[]) => list.map(m => m.id);

describe('compareOffsets', () => {
	it('compares decimal strings numerically, beyond 2^53', () => {
		expect(compareOffsets('9', '10')).toBeLessThan(0);
		expect(compareOffsets('10', '9')).toBeGreaterThan(0);
		expect(compareOffsets('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
		expect(compareOffsets('42', '42')).toBe(0);
		expect(compareOffsets('-1', '0')).toBeLessThan(0);
		expect(compareOffsets('007', '7')).toBe(0);
	});
});

describe('compareMessages', () => {
	it('orders by timestamp, then partition, then offset', () => {
		expect(compareMessages(msg('a', 1, 2, '100'), msg('b', 2, 0, '0'))).toBeLessThan(0);
		expect(compareMessages(msg('a', 5, 0, '100'), msg('b', 5, 1, '0'))).toBeLessThan(0);
		expect(compareMessages(msg('a', 5, 1, '10'), msg('b', 5, 1, '9'))).toBeGreaterThan(0);
	});

	it('puts pending messages after delivered ones of the same timestamp', () => {
		expect(compareMessages(msg('p', 5, -1, '-1'), msg('d', 5, 0, '3'))).toBeGreaterThan(0);
		expect(compareMessages(msg('d', 5, 2, '3'), msg('p', 5, -1, '-1'))).toBeLessThan(0);
		expect(compareMessages(msg('p', 4, -1, '-1'), msg('d', 5, 0, '3'))).toBeLessThan(0);
	});
});

describe('insertOrdered', () => {
	it('appends in the common case and returns a new array', () => {
		const list = [msg('a', 1, 0, '0')];
		const next = insertOrdered(list, msg('b', 2, 0, '1'));
		expect(ids(next)).toEqual(['a', 'b']);
		expect(ids(list)).toEqual(['a']);
	});

	it('inserts late arrivals from another partition in place', () => {
		let list: ChatMessage[] = [];
		for (const m of [msg('t3', 3, 0, '1'), msg('t1', 1, 0, '0'), msg('t5', 5, 0, '2'), msg('t2', 2, 1, '0'), msg('t4', 4, 1, '1')]) list = insertOrdered(list, m);
		expect(ids(list)).toEqual(['t1', 't2', 't3', 't4', 't5']);
	});

	it('keeps arrival order among equal messages (two pending ones)', () => {
		let list: ChatMessage[] = [msg('d', 5, 0, '0')];
		list = insertOrdered(list, msg('p1', 5, -1, '-1'));
		list = insertOrdered(list, msg('p2', 5, -1, '-1'));
		list = insertOrdered(list, msg('d2', 5, 1, '0'));
		expect(ids(list)).toEqual(['d', 'd2', 'p1', 'p2']);
	});

	it('matches a full sort for random arrival orders', () => {
		const random = seededRandom(99);
		const all = Array.from({length: 500}, (_, i) => msg(`m${i}`, Math.floor(random() * 50), Math.floor(random() * 3), String(i)));
		let list: ChatMessage[] = [];
		for (const m of all) {
			const index = insertionIndex(list, m);
			list = insertOrdered(list, m);
			expect(list[index]).toBe(m);
		}
		expect(ids(list)).toEqual(ids([...all].sort(compareMessages)));
	});

	it('inserts at the start and into an empty list', () => {
		expect(insertionIndex([], msg('a', 1, 0, '0'))).toBe(0);
		const list = [msg('b', 2, 0, '0'), msg('c', 3, 0, '1')];
		expect(insertionIndex(list, msg('a', 1, 0, '5'))).toBe(0);
	});
});
