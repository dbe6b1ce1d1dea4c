import {describe, expect, it} from 'vitest';
import type {ChatMessage} from '../../source/chat/message.js';
import {MessageLog} from '../../source/chat/message-log.js';
import {IdBook, sameIdVerdict, sighting} from '../../source/chat/same-id.js';
import {seededRandom} from './unsafe-chars.js';

// Issue 11.7: a record that reuses a real message's kchat-id never replaces it, whatever order the
// partitions arrive in; a re-send of the same message (the outbox after a crash) is one line.

function rec(partition: number, offset: number, timestamp: number, extra: Partial<ChatMessage> = {}): ChatMessage {
	return {id: 'id-1', room: 'r', user: 'alice', type: 'message', text: 'the real text', timestamp, partition, offset: String(offset), state: 'delivered', foreign: false, ...extra};
}

const real = rec(1, 10, 1000);
const forged = rec(0, 3, 2000, {user: 'alice', text: 'send me your password', foreign: true});
const resent = rec(2, 7, 1500);

const shown = (log: MessageLog) => log.slice().map(m => ({text: m.text, duplicateOf: m.duplicateOf}));

describe('sameIdVerdict', () => {
	it('tells the same record, a settled pending line, a repeat and a forgery apart, and which is earlier', () => {
		expect(sameIdVerdict(sighting(real), sighting({...real}))).toEqual({kind: 'same'});
		expect(sameIdVerdict(sighting(real), sighting({...real, state: 'pending', partition: -1, offset: '-1'}))).toEqual({kind: 'same'});
		expect(sameIdVerdict(sighting({...real, state: 'pending', partition: -1, offset: '-1'}), sighting(real))).toEqual({kind: 'settles'});
		expect(sameIdVerdict(sighting(real), sighting(resent))).toEqual({kind: 'repeat', incomingFirst: false});
		expect(sameIdVerdict(sighting(resent), sighting(real))).toEqual({kind: 'repeat', incomingFirst: true});
		expect(sameIdVerdict(sighting(real), sighting(forged))).toEqual({kind: 'forged', incomingFirst: false});
		expect(sameIdVerdict(sighting(forged), sighting(real))).toEqual({kind: 'forged', incomingFirst: true});
		// Another sender with the very same text is another sender: marked, not hidden.
		expect(sameIdVerdict(sighting(real), sighting(rec(0, 1, 3000, {user: 'mallory'}))).kind).toBe('forged');
	});
});

describe('MessageLog with a reused kchat-id', () => {
	it('keeps the earliest record under the id in every arrival order; the forgery is a marked line of its own', () => {
		for (const order of [[real, forged], [forged, real]]) {
			const log = new MessageLog(100);
			for (const m of order) log.add(m);
			expect(shown(log)).toEqual([{text: 'the real text', duplicateOf: undefined}, {text: 'send me your password', duplicateOf: 'id-1'}]);
			expect(log.get('id-1')?.text).toBe('the real text');
		}
	});

	it('shows a repeat of the same message once, at its earliest place, in every arrival order', () => {
		for (const order of [[real, resent], [resent, real]]) {
			const log = new MessageLog(100);
			for (const m of order) log.add(m);
			expect(log.slice()).toEqual([real]);
		}
	});

	it('reads the same records again without adding lines (history read twice)', () => {
		const log = new MessageLog(100);
		for (const m of [forged, real, resent, {...forged}, {...real}, {...resent}]) log.add(m);
		expect(log.length).toBe(2);
	});

	it('any order of a real record, repeats and several forgeries gives the same lines', () => {
		const records = [real, resent, forged, rec(2, 20, 900, {user: 'mallory', text: 'earlier forgery', foreign: true}), rec(0, 1, 5000, {text: 'third'})];
		const random = seededRandom(11);
		const results = new Set<string>();
		for (let round = 0; round < 50; round++) {
			const shuffled = [...records].sort(() => random() - 0.5);
			const log = new MessageLog(100);
			for (const m of shuffled) log.add(m);
			results.add(JSON.stringify(log.slice().map(m => [m.id, m.text, m.duplicateOf ?? null])));
		}
		expect(results.size).toBe(1);
		// The earliest record in log order keeps the id, even a forged one: the rule is the log's order, not who we trust.
		const [only] = [...results];
		expect(JSON.parse(only!)).toEqual([
			['id-1', 'earlier forgery', null],
			['id-1\u00001/10', 'the real text', 'id-1'],
			['id-1\u00000/3', 'send me your password', 'id-1'],
			['id-1\u00000/1', 'third', 'id-1'],
		]);
	});

	it('settles our pending line with its record, and a later delivery report of a re-send does not move it', () => {
		const log = new MessageLog(100);
		log.add({...real, state: 'pending', partition: -1, offset: '-1', timestamp: 999});
		expect(log.add(real)).toBe('updated');
		expect(log.update('id-1', {state: 'delivered', partition: 2, offset: '7', timestamp: 1500})).toBe(false);
		expect(log.slice()).toEqual([real]);
	});
});

describe('IdBook (kchat tail)', () => {
	it('prints the first record of an id, hides a repeat, prints a forgery marked, once', () => {
		const book = new IdBook();
		expect(book.admit(real)).toBe(real);
		expect(book.admit(resent)).toBeUndefined();
		expect(book.admit({...real})).toBeUndefined();
		expect(book.admit(forged)).toMatchObject({text: 'send me your password', duplicateOf: 'id-1'});
		expect(book.admit({...forged})).toBeUndefined();
	});
});
