import {describe, expect, it} from 'vitest';
import {cellWidth, graphemes, truncateToWidth, wrapText} from '../../source/chat/wrap.js';

function expectWithin(lines: string[], width: number) {
	for (const line of lines) expect(cellWidth(line), JSON.stringify(line)).toBeLessThanOrEqual(width);
}

describe('cellWidth', () => {
	it('counts terminal cells: wide CJK and emoji take two', () => {
		expect(cellWidth('abc')).toBe(3);
		expect(cellWidth('日本語')).toBe(6);
		expect(cellWidth('👍')).toBe(2);
		expect(cellWidth('👨‍👩‍👧')).toBe(2);
		expect(cellWidth('e\u0301')).toBe(1);
		expect(cellWidth('')).toBe(0);
	});

	it('measures long strings in linear time', () => {
		expect(cellWidth('日'.repeat(100_000))).toBe(200_000);
		expect(cellWidth('👍a'.repeat(50_000))).toBe(150_000);
	});
});

describe('graphemes', () => {
	it('keeps clusters whole across its internal pieces', () => {
		const family = '👨‍👩‍👧';
		const text = ('x'.repeat(509) + family).repeat(20);
		const clusters = [...graphemes(text)];
		expect(clusters.filter(g => g === family)).toHaveLength(20);
		expect(clusters.join('')).toBe(text);
	});
});

describe('wrapText', () => {
	it('wraps CJK text by cells', () => {
		const lines = wrapText('日本語のテキスト', 6);
		expect(lines).toEqual(['日本語', 'のテキ', 'スト']);
		expectWithin(lines, 6);
		expectWithin(wrapText('日本語のテキスト', 5), 5);
	});

	it('breaks at spaces and hard-breaks long words', () => {
		expect(wrapText('hello world foo', 5)).toEqual(['hello', 'world', 'foo']);
		expect(wrapText('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
		expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
		expect(wrapText('hi abcdefghij', 4)).toEqual(['hi', 'abcd', 'efgh', 'ij']);
	});

	it('keeps explicit newlines, blank lines and leading indentation', () => {
		expect(wrapText('a\n\nb', 10)).toEqual(['a', '', 'b']);
		expect(wrapText('  indented text', 10)).toEqual(['  indented', 'text']);
		expect(wrapText('line\n', 10)).toEqual(['line', '']);
	});

	it('gives [""] for empty text and treats width < 1 as 1', () => {
		expect(wrapText('', 10)).toEqual(['']);
		expect(wrapText('abc', 0)).toEqual(['a', 'b', 'c']);
		expect(wrapText('abc', -5)).toEqual(['a', 'b', 'c']);
		expect(wrapText('abc', NaN)).toEqual(['a', 'b', 'c']);
	});

	it('never splits an emoji or a combining sequence', () => {
		const lines = wrapText('👨‍👩‍👧👍🏽e\u0301e\u0301', 2);
		expect(lines).toEqual(['👨‍👩‍👧', '👍🏽', 'e\u0301e\u0301']);
	});

	it('lets only a single wide character exceed a width of 1', () => {
		expect(wrapText('日本', 1)).toEqual(['日', '本']);
	});

	it('stays within the width for mixed text at every width', () => {
		const text = 'Hello 世界! 👋🏽 This is a mixed line with ｆｕｌｌｗｉｄｔｈ and emoji 🎉🎉🎉 and averyveryverylongword.';
		for (let width = 2; width <= 40; width++) {
			const lines = wrapText(text, width);
			expectWithin(lines, width);
			expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
		}
	});

	it('handles 10,000 lines and a 64K-character line', () => {
		const many = Array.from({length: 10_000}, (_, i) => `line ${i}`).join('\n');
		expect(wrapText(many, 80)).toHaveLength(10_000);
		const cjk = wrapText('日'.repeat(65_536), 80);
		expect(cjk).toHaveLength(Math.ceil(65_536 / 40));
		expectWithin(cjk, 80);
	});
});

describe('truncateToWidth', () => {
	it('returns text that fits unchanged', () => {
		expect(truncateToWidth('hello', 5)).toBe('hello');
		expect(truncateToWidth('日本', 4)).toBe('日本');
	});

	it('cuts to at most width cells ending in …', () => {
		expect(truncateToWidth('hello world', 5)).toBe('hell…');
		expect(truncateToWidth('日本語のテキスト', 7)).toBe('日本語…');
		expect(truncateToWidth('日本語のテキスト', 6)).toBe('日本…');
		expect(truncateToWidth('👍👍👍', 3)).toBe('👍…');
		expect(truncateToWidth('abc', 1)).toBe('…');
		expect(truncateToWidth('abc', 0)).toBe('');
	});

	it('stops early on huge strings', () => {
		expect(truncateToWidth('日'.repeat(1_000_000), 10)).toBe('日日日日…');
	});
});
