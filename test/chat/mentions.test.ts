import {describe, expect, it} from 'vitest';
import {mentionsNick} from '../../source/chat/mentions.js';

describe('mentionsNick', () => {
	it('matches the nick as a whole word, case-insensitively', () => {
		for (const text of ['alice', 'hi alice', 'Alice: hi', 'hey ALICE!', '@alice look', 'thanks alice.', 'alice, hi', '(alice)', 'alice...', 'alice:hi', 'ok alice.\nnext line']) {
			expect(mentionsNick(text, 'alice'), text).toBe(true);
		}
	});

	it('does not match inside other words or nicks', () => {
		for (const text of ['malice', 'alices', 'alice_2', 'alice.bob', 'bob.alice', 'alice-x', 'x-alice', '', 'ali ce']) {
			expect(mentionsNick(text, 'alice'), text).toBe(false);
		}
	});

	it('treats regex characters in the nick literally', () => {
		expect(mentionsNick('hi a.b', 'a.b')).toBe(true);
		expect(mentionsNick('hi axb', 'a.b')).toBe(false);
		expect(mentionsNick('hi x-y', 'x-y')).toBe(true);
		expect(mentionsNick('(?) ok', '(?)')).toBe(true);
	});

	it('never matches an empty nick', () => {
		expect(mentionsNick('anything', '')).toBe(false);
	});

	it('works for several nicks in turn (cached pattern)', () => {
		expect(mentionsNick('hi bob', 'bob')).toBe(true);
		expect(mentionsNick('hi bob', 'alice')).toBe(false);
		expect(mentionsNick('hi alice', 'alice')).toBe(true);
	});
});
