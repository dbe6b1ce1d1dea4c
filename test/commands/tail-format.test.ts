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
});
