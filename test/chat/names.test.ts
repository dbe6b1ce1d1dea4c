import {describe, expect, it} from 'vitest';
import {NICK_RULE, ROOM_NAME_RULE, isInternalTopic, validateNick, validateRoomName} from '../../source/chat/names.js';
import {unsafeChars} from './unsafe-chars.js';

describe('validateRoomName', () => {
	it('accepts legal Kafka topic names', () => {
		for (const name of ['chat-room-1', 'general', 'a', 'A.b_c-9', 'x'.repeat(249), '...']) expect(validateRoomName(name)).toBeUndefined();
	});

	it('names the offending character and the rule', () => {
		expect(validateRoomName('a b')).toBe(`room name "a b" is not valid: ' ' is not allowed; ${ROOM_NAME_RULE}`);
		expect(validateRoomName('#general')).toContain(`'#' is not allowed`);
		expect(validateRoomName('café')).toContain(`'é' is not allowed`);
	});

	it('shows invisible offending characters as code points, and escapes the name', () => {
		const tab = validateRoomName('a\tb');
		expect(tab).toContain('U+0009 is not allowed');
		const hostile = validateRoomName('x\x1b]0;pwned\x07\u202e')!;
		expect(hostile).toContain('U+001B is not allowed');
		expect(unsafeChars(hostile)).toEqual([]);
		expect(hostile).not.toContain('\x1b');
	});

	it('refuses empty and too long names', () => {
		expect(validateRoomName('')).toBe(`room name is empty; ${ROOM_NAME_RULE}`);
		expect(validateRoomName('x'.repeat(250))).toContain('is too long (250 characters)');
	});

	it('refuses . and .., Kafka internal topics and kchat topics', () => {
		expect(validateRoomName('.')).toContain('not allowed by Kafka');
		expect(validateRoomName('..')).toContain('not allowed by Kafka');
		expect(validateRoomName('__consumer_offsets')).toContain('Kafka\'s internal topics');
		expect(validateRoomName('kchat.presence')).toContain('kchat\'s own topics');
		expect(validateRoomName('kchat-room')).toBeUndefined();
		expect(validateRoomName('_single')).toBeUndefined();
	});
});

describe('validateNick', () => {
	it('accepts 1-32 of A-Z a-z 0-9 _ . -', () => {
		for (const nick of ['alice', 'Bob_2', 'x.y-z', 'a', 'n'.repeat(32)]) expect(validateNick(nick)).toBeUndefined();
	});

	it('refuses other characters, empty and long nicks with the rule', () => {
		expect(validateNick('al ice')).toBe(`nick "al ice" is not valid: ' ' is not allowed; ${NICK_RULE}`);
		expect(validateNick('al\u200bice')).toContain('U+200B is not allowed');
		expect(validateNick('')).toBe(`nick is empty; ${NICK_RULE}`);
		expect(validateNick('n'.repeat(33))).toContain('too long (33 characters)');
		expect(validateNick('日本')).toContain(`'日' is not allowed`);
	});

	it('shortens a long name in the message', () => {
		const message = validateNick('x'.repeat(1000) + ' ')!;
		expect(message.length).toBeLessThan(200);
	});
});

describe('isInternalTopic', () => {
	it('is true for __* and kchat.* only', () => {
		expect(isInternalTopic('__consumer_offsets')).toBe(true);
		expect(isInternalTopic('__transaction_state')).toBe(true);
		expect(isInternalTopic('kchat.presence')).toBe(true);
		expect(isInternalTopic('chat-room-1')).toBe(false);
		expect(isInternalTopic('_one')).toBe(false);
		expect(isInternalTopic('kchat')).toBe(false);
	});
});
