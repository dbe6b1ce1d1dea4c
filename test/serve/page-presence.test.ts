import {describe, expect, it} from 'vitest';
import type {PresenceRecord} from '../../source/chat/presence-table.js';
import {PagePresence, type PresentPage} from '../../source/serve/page-presence.js';

/** A presence writer whose writes finish only when the test says so, one at a time as the gateway's. */
function writer() {
	const writes: PresenceRecord[][] = [];
	let finish: () => void = () => {};
	const write = (records: PresenceRecord[]): Promise<void> => {
		writes.push(records);
		return new Promise(resolve => (finish = resolve));
	};
	const settle = async (): Promise<void> => {
		for (let i = 0; i < 5; i++) await Promise.resolve();
	};
	return {writes, write, done: async () => (finish(), settle()), settle};
}

const page = (nick: string, rooms: string[] = ['r']): PresentPage => ({nick, instance: `i-${nick}`, rooms: new Map(rooms.map(r => [r, true]))});
const who = (records: PresenceRecord[]): string[] => records.map(r => `${r.nick}:${r.status}`);

describe('PagePresence', () => {
	it('writes the beats of pages that join while a write is under way together, in one request', async () => {
		const w = writer();
		const pages = [page('a'), page('b'), page('c')];
		const presence = new PagePresence(w.write, () => pages);
		presence.beat(pages[0]!);
		await w.settle();
		expect(w.writes.map(who)).toEqual([['a:online']]);
		presence.beat(pages[1]!);
		presence.beat(pages[2]!);
		presence.beat(pages[1]!);
		await w.done();
		expect(w.writes.map(who)).toEqual([['a:online'], ['b:online', 'c:online']]);
		await w.done();
		expect(w.writes).toHaveLength(2);
	});

	it('never writes a page that came back before the offline record written after it left', async () => {
		const w = writer();
		const pages: PresentPage[] = [page('a')];
		const presence = new PagePresence(w.write, () => pages);
		presence.beat(pages[0]!);
		await w.settle(); // a's beat is under way
		presence.beat(pages[0]!); // waits for its turn
		pages.splice(0, 1); // a's page goes away...
		presence.offlineLater('a', 'i-a', 0);
		await new Promise(resolve => setTimeout(resolve, 5)); // ...and is written offline after the grace period
		pages.push(page('a')); // then it is back
		presence.beat(pages[0]!);
		for (let i = 0; i < 4; i++) await w.done();
		// The beat that waited is made when its turn comes (a is back by then); the last word is online.
		expect(w.writes.map(who)).toEqual([['a:online'], ['a:online'], ['a:offline'], ['a:online']]);
	});
});
