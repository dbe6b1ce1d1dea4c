import {describe, expect, it} from 'vitest';
import {formatJson, formatLine} from '../../source/commands/tail.js';
import type {ChatMessage} from '../../source/chat/message.js';

const message: ChatMessage = {
	id: 'id-1',
	room: 'ops',
	user: 'alice',
	type: 'message',
	text: 'first line\nsecond line',
	timestamp: new Date(2026, 5, 1, 12, 0, 5).getTime(),
	partition: 1,
	offset: '42',
	state: 'delivered',
	foreign: false,
};

describe('kchat tail formats', () => {
	it('prints a multi-line message on one line in text mode, its line breaks as ⏎', () => {
		expect(formatLine(message)).toBe('12:00:05 ops <alice> first line⏎second line');
		expect(formatLine({...message, type: 'action', text: 'waves\nagain'})).toBe('12:00:05 ops * alice waves⏎again');
	});

	it('keeps the message whole, line breaks and all, in --json', () => {
		expect(JSON.parse(formatJson(message))).toMatchObject({text: 'first line\nsecond line', room: 'ops', partition: 1, offset: '42'});
	});

	it('marks records kchat cannot vouch for (?) and reused ids, in text and in --json (issue 11)', () => {
		expect(formatLine({...message, text: 'hi', foreign: true})).toBe('12:00:05 ops ?<alice> hi');
		expect(formatLine({...message, type: 'action', text: 'waves', foreign: true})).toBe('12:00:05 ops * ?alice waves');
		expect(formatLine({...message, type: 'leave', text: 'alice left ops', foreign: true})).toBe('12:00:05 ops -- ?alice left ops');
		expect(formatLine({...message, type: 'quit', text: 'alice quit'})).toBe('12:00:05 ops -- alice quit');
		const reused = {...message, id: 'id-1\u00002/7', duplicateOf: 'id-1', user: 'mallory', text: 'fake'};
		expect(formatLine(reused)).toBe('12:00:05 ops ?<mallory> [duplicate id] fake');
		expect(JSON.parse(formatJson(message))).toMatchObject({id: 'id-1', foreign: false, duplicateId: false});
		expect(JSON.parse(formatJson({...message, foreign: true}))).toMatchObject({foreign: true, duplicateId: false});
		expect(JSON.parse(formatJson(reused))).toMatchObject({id: 'id-1', user: 'mallory', foreign: false, duplicateId: true});
	});
});
