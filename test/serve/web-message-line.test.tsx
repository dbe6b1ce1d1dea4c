import {renderToStaticMarkup} from 'react-dom/server';
import {describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../source/chat/message.js';
import {MessageLine} from '../../source/web/message-line.js';

// The web page marks what kchat cannot vouch for as the terminal does (issue 11): a record not shaped
// as kchat writes it ("via kafka"), a reused kchat-id ("duplicate id"), system lines in kchat's words.

function line(extra: Partial<ChatMessage>): ChatMessage {
	return {id: 'id-1', room: 'ops', user: 'alice', type: 'message', text: 'hello', timestamp: Date.UTC(2026, 5, 1, 12), partition: 0, offset: '1', state: 'delivered', foreign: false, ...extra};
}

const html = (m: ChatMessage): string => renderToStaticMarkup(<MessageLine message={m} mention={false} own={false} />);
const tags = (markup: string): string[] => [...markup.matchAll(/<span class="tag [^"]*"[^>]*>([^<]*)<\/span>/g)].map(t => t[1]!);

describe('the web page\'s message line', () => {
	it('tags a reused id and a record posing as someone; a nick change or quit in kchat\'s words, tagged when unverified', () => {
		expect(tags(html(line({})))).toEqual([]);
		expect(tags(html(line({foreign: true})))).toEqual(['via kafka']);
		expect(tags(html(line({id: 'id-1\u00002/7', duplicateOf: 'id-1', user: 'mallory', text: 'fake'})))).toEqual(['duplicate id']);
		const nick = html(line({type: 'nick', text: 'alice is now known as alicia'}));
		expect(nick).toContain('class="line system"');
		expect(nick).toContain('alice is now known as alicia');
		expect(tags(html(line({type: 'quit', text: 'alice quit', foreign: true})))).toEqual(['via kafka']);
		expect(tags(html(line({type: 'leave', text: 'alice left ops', foreign: true})))).toEqual(['via kafka']);
	});
});
