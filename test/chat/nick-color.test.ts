import {describe, expect, it} from 'vitest';
import {NICK_COLORS, fnv1a, nickColor} from '../../source/chat/nick-color.js';

describe('nickColor', () => {
	it('is stable for a nick', () => {
		expect(nickColor('alice')).toBe(nickColor('alice'));
		expect(NICK_COLORS).toContain(nickColor('alice'));
	});

	it('uses the FNV-1a hash (known vectors)', () => {
		expect(fnv1a('')).toBe(0x811c9dc5);
		expect(fnv1a('a')).toBe(0xe40c292c);
		expect(fnv1a('foobar')).toBe(0xbf9cf968);
		expect(nickColor('a')).toBe(NICK_COLORS[0xe40c292c % NICK_COLORS.length]);
	});

	it('spreads nicks over the palette, with no grey, black or white', () => {
		const used = new Set(Array.from({length: 200}, (_, i) => nickColor(`user${i}`)));
		expect(used.size).toBe(NICK_COLORS.length);
		for (const color of NICK_COLORS) expect(color).not.toMatch(/gr[ae]y|black|white/i);
	});
});
