import {describe, expect, it} from 'vitest';
import {safeHref, splitLinks} from '../../source/chat/links.js';

const links = (text: string): string[] => splitLinks(text).filter(p => p.kind === 'link').map(p => p.text);

describe('splitLinks', () => {
	it('makes plain http(s) URLs links, shown in full, with sentence punctuation left out', () => {
		expect(splitLinks('see https://kafka.apache.org/documentation/ now')).toEqual([
			{kind: 'text', text: 'see '},
			{kind: 'link', text: 'https://kafka.apache.org/documentation/', href: 'https://kafka.apache.org/documentation/'},
			{kind: 'text', text: ' now'},
		]);
		expect(links('(http://example.com/a_(b)) and http://example.com/x.')).toEqual(['http://example.com/a_(b)', 'http://example.com/x']);
		expect(splitLinks('http://example.com')[0]).toEqual({kind: 'link', text: 'http://example.com', href: 'http://example.com/'});
	});

	it('keeps every other scheme, user-info tricks and respelled addresses as text', () => {
		for (const text of [
			'javascript:alert(1)',
			'JAVASCRIPT:alert(document.cookie)',
			'data:text/html,<script>alert(1)</script>',
			'http://bank.example@evil.example/login',
			'https://user:pw@example.com/',
			'HTTP://EXAMPLE.COM/',
			'https://еxample.com/', // Cyrillic е: the browser would go to punycode
			'https://example.com/\u202Egpj.exe',
			'vbscript:msgbox(1)',
			'https://',
		]) {
			expect(links(text), text).toEqual([]);
		}
	});

	it('joins back to the input, whatever it holds', () => {
		for (const text of ['', 'plain', 'a http://x.example/ b https://y.example/?q=1#f c', '<img src=x onerror=alert(1)> http://ok.example/']) {
			expect(
				splitLinks(text)
					.map(p => p.text)
					.join(''),
			).toBe(text);
		}
	});
});

describe('safeHref', () => {
	it('is the address itself, or nothing', () => {
		expect(safeHref('https://example.com/a?b=c#d')).toBe('https://example.com/a?b=c#d');
		expect(safeHref('https://example.com/a b')).toBeUndefined();
		expect(safeHref('ftp://example.com/')).toBeUndefined();
	});
});
