import {describe, expect, it} from 'vitest';
import {applyMembers, LIMITS, parseClientMessage} from '../../source/chat/web-protocol.js';

const parse = (value: unknown) => parseClientMessage(typeof value === 'string' ? value : JSON.stringify(value));
const error = (value: unknown): string => {
	const result = parse(value);
	return result.ok ? 'accepted' : result.error;
};

describe('parseClientMessage', () => {
	it('takes well-formed frames as they are', () => {
		expect(parse({t: 'hello', nick: 'alice', instance: 'abcdef0123456789'})).toEqual({ok: true, message: {t: 'hello', nick: 'alice', instance: 'abcdef0123456789'}});
		expect(parse({t: 'join', room: 'lobby', since: {'0': '12', '2': '0'}, history: 50, announce: true})).toEqual({
			ok: true,
			message: {t: 'join', room: 'lobby', since: {'0': '12', '2': '0'}, history: 50, announce: true},
		});
		expect(parse({t: 'send', room: 'lobby', id: 'a1b2c3d4e5', text: 'hi\nthere', type: 'action'})).toMatchObject({ok: true});
		expect(parse({t: 'read', room: 'lobby', ts: 1_700_000_000_000})).toMatchObject({ok: true});
	});

	it('refuses bad names with the rule, as the app does', () => {
		expect(error({t: 'hello', nick: 'a b', instance: 'abcdef0123456789'})).toContain("' ' is not allowed");
		expect(error({t: 'join', room: 'kchat.presence'})).toContain("kchat's own topics");
		expect(error({t: 'join', room: '<script>'})).toContain("'<' is not allowed");
		expect(error({t: 'nick', nick: 'x'.repeat(33)})).toContain('too long');
	});

	it('refuses anything malformed, oversized or unexpected, naming what', () => {
		expect(error('{')).toBe('not JSON');
		expect(error([1])).toBe('not a JSON object');
		expect(error({t: 'launch'})).toBe('unknown frame type "launch"');
		expect(error({})).toBe('frame has no type (t)');
		expect(error({t: 'send', room: 'r', id: 'short', text: 'x'})).toContain('id must be');
		expect(error({t: 'send', room: 'r', id: 'a1b2c3d4e5', text: '   '})).toBe('text is empty');
		expect(error({t: 'send', room: 'r', id: 'a1b2c3d4e5', text: 'x'.repeat(LIMITS.textChars + 1)})).toContain('longer than');
		expect(parse({t: 'send', room: 'r', id: 'a1b2c3d4e5', text: ''})).toEqual({ok: false, error: 'text is empty', send: {room: 'r', id: 'a1b2c3d4e5'}});
		expect(error({t: 'send', room: 'r', id: 'a1b2c3d4e5', text: 'x', type: 'leave'})).toBe('type must be message or action');
		expect(error({t: 'join', room: 'r', since: {x: '1'}})).toContain('partition numbers');
		expect(error({t: 'join', room: 'r', since: {'0': '-1'}})).toContain('decimal offsets');
		expect(error({t: 'join', room: 'r', history: 1e9})).toContain('history must be');
		expect(error({t: 'read', room: 'r', ts: 'now'})).toContain('ts must be');
		expect(error({t: 'hello', nick: 'alice', instance: '../../etc'})).toContain('instance must be');
		expect(error({t: '\u001b[2Jx'})).toBe('unknown frame type "?[2Jx"');
	});
});

describe('applyMembers', () => {
	it('adds, changes and removes by nick, listed by nick as the app lists them', () => {
		const list = [
			{nick: 'bob', status: 'online' as const, instances: 1},
			{nick: 'carol', status: 'online' as const, instances: 1},
		];
		expect(applyMembers(list, [{nick: 'alice', status: 'away', instances: 1}, {nick: 'bob', status: 'online', instances: 2}], ['carol', 'nobody'])).toEqual([
			{nick: 'alice', status: 'away', instances: 1},
			{nick: 'bob', status: 'online', instances: 2},
		]);
	});
});
