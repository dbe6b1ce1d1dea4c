import {describe, expect, it} from 'vitest';
import {RoomBuffer} from '../../source/serve/room-buffer.js';
import {RoomHub, type Subscriber} from '../../source/serve/room-hub.js';
import {FakeLink, FakePage, record, settle} from './support/fake-link.js';

const ROOM = 'r';
/** Fans out at once, as each batch comes (the gateway waits for the end of the turn). */
const now = (flush: () => void): void => flush();
const feed = (hub: RoomHub, partition: number, from: number, to: number): void => {
	const batch = [];
	for (let o = from; o < to; o++) batch.push(record(ROOM, partition, o));
	hub.records(batch);
};

describe('RoomHub', () => {
	it('reads the newest lines per partition, serves a new page the newest N, then live lines in one shared frame', async () => {
		const link = new FakeLink([
			{partition: 0, low: '0', high: '10'},
			{partition: 1, low: '0', high: '4'},
		]);
		const hub = new RoomHub(ROOM, link, {depth: 5, cap: 100, partitions: 3, defer: now});
		const a = new FakePage(3);
		hub.subscribe(a);
		await hub.open();
		expect(link.opens).toEqual([
			[
				{partition: 0, offset: '5'},
				{partition: 1, offset: '0'},
			],
		]);
		expect(a.limit).toBe(1_000_000);
		feed(hub, 0, 5, 10);
		expect(a.isLive).toBe(false); // partition 1 not read yet
		feed(hub, 1, 0, 4);
		expect(a.isLive).toBe(true);
		// The newest 3 in the room's order (by timestamp), then where the page is.
		expect(a.texts()).toEqual(['p0o7', 'p0o8', 'p0o9']);
		expect(a.frames.at(-1)).toEqual({t: 'live', room: ROOM, positions: {'0': '10', '1': '4'}});

		const b = new FakePage(50);
		hub.subscribe(b);
		expect(b.texts()).toHaveLength(9);
		feed(hub, 1, 4, 6);
		expect(a.texts().slice(-2)).toEqual(['p1o4', 'p1o5']);
		// One Buffer for every page: serialised once.
		expect(a.buffers.at(-1)).toBe(b.buffers.at(-1));
	});

	it('resumes a page from its positions without sending anything twice', async () => {
		const link = new FakeLink([{partition: 0, low: '0', high: '20'}]);
		const hub = new RoomHub(ROOM, link, {depth: 20, cap: 100, partitions: 3, defer: now});
		await hub.open();
		feed(hub, 0, 0, 20);
		const page = new FakePage(50, new Map([[0, 17n]]));
		hub.subscribe(page);
		expect(page.texts()).toEqual(['p0o17', 'p0o18', 'p0o19']);
		feed(hub, 0, 15, 21); // a re-delivery overlapping what is held: only 20 is new
		expect(page.texts()).toEqual(['p0o17', 'p0o18', 'p0o19', 'p0o20']);
	});

	it('opens from further back for the first page that resumes, and rewinds for a later one', async () => {
		const link = new FakeLink([
			{partition: 0, low: '0', high: '100'},
			{partition: 1, low: '0', high: '100'},
		]);
		const hub = new RoomHub(ROOM, link, {depth: 10, cap: 1000, partitions: 3, defer: now});
		const first = new FakePage(50, new Map([[0, 40n]]));
		hub.subscribe(first);
		await hub.open(first.since);
		expect(link.opens[0]).toEqual([
			{partition: 0, offset: '40'},
			{partition: 1, offset: '90'},
		]);
		feed(hub, 0, 40, 100);
		feed(hub, 1, 90, 100);
		expect(first.texts().filter(t => t.startsWith('p0'))).toHaveLength(60);

		// A page that has partition 1 only up to 70: the hub seeks partition 1 back, and serves it once read up to 90.
		const late = new FakePage(50, new Map([[0, 99n], [1, 70n]]));
		hub.subscribe(late);
		expect(link.opens.at(-1)).toEqual([{partition: 1, offset: '70'}]);
		expect(late.isLive).toBe(false);
		feed(hub, 0, 100, 101); // live meanwhile: the others get it, the late page will from the buffer
		feed(hub, 1, 70, 95); // the rewind reads 70..89 (new to the buffer) then 90..94 again
		expect(late.isLive).toBe(true);
		const texts = late.texts();
		expect(texts.filter(t => t.startsWith('p1'))).toEqual(Array.from({length: 30}, (_, i) => `p1o${70 + i}`));
		expect(texts.filter(t => t.startsWith('p0'))).toEqual(['p0o99', 'p0o100']);
		expect(new Set(texts).size).toBe(texts.length);
		// The pages that were live got only the record that was new to everyone.
		expect(first.texts().filter(t => t.startsWith('p1o7'))).toEqual([]);
	});

	it('serves waiting pages with what there is when a rewind never completes', async () => {
		const link = new FakeLink([{partition: 0, low: '0', high: '10'}]);
		const hub = new RoomHub(ROOM, link, {depth: 2, cap: 100, partitions: 3, rewindTimeoutMs: 10, defer: now});
		await hub.open();
		feed(hub, 0, 8, 10);
		const page = new FakePage(50, new Map([[0, 3n]]));
		hub.subscribe(page);
		expect(page.isLive).toBe(false);
		await new Promise(resolve => setTimeout(resolve, 30));
		expect(page.isLive).toBe(true);
		expect(page.texts()).toEqual(['p0o8', 'p0o9']);
	});

	it('tells every page when the room cannot be opened', async () => {
		const link = new FakeLink([]);
		link.prepareRoom = async () => {
			throw new Error('Kafka refuses room a_b');
		};
		const hub = new RoomHub(ROOM, link, {depth: 2, cap: 100, partitions: 3, defer: now});
		const page = new FakePage(50);
		hub.subscribe(page);
		await hub.open();
		await settle();
		expect(page.error).toBe('Kafka refuses room a_b');
		const later = new FakePage(50);
		hub.subscribe(later);
		expect(later.error).toBe('Kafka refuses room a_b');
	});
});

describe('RoomBuffer', () => {
	it('keeps the newest lines past the cap and says what a resume then needs', () => {
		const buffer = new RoomBuffer(10);
		buffer.reset([{partition: 0, offset: 0n}]);
		for (let o = 0; o < 11; o++) buffer.add(record(ROOM, 0, o));
		buffer.trim();
		expect(buffer.length).toBe(11); // within the slack of a tenth
		for (let o = 12; o < 30; o++) buffer.add(record(ROOM, 0, o));
		buffer.trim();
		expect(buffer.length).toBe(10);
		expect(buffer.startOf(0)).toBe(20n);
		expect(buffer.missing(new Map([[0, 15n]]))).toEqual([[0, 15n]]);
		expect(buffer.missing(new Map([[0, 20n]]))).toEqual([]);
		expect(buffer.add(record(ROOM, 0, 25))).toBe('known');
		expect(buffer.add(record(ROOM, 0, 19))).toBe('backfill');
	});

	it('orders partitions by timestamp, then partition, then offset', () => {
		const buffer = new RoomBuffer(100);
		buffer.reset([
			{partition: 0, offset: 0n},
			{partition: 1, offset: 0n},
		]);
		buffer.add(record(ROOM, 1, 0, 5));
		buffer.add(record(ROOM, 0, 0, 5));
		buffer.add(record(ROOM, 0, 1, 3));
		expect(buffer.newest(3).map(m => m.text)).toEqual(['p0o1', 'p0o0', 'p1o0']);
	});

	it('sends the batches of one turn to the live pages as one frame, and a page served meanwhile gets nothing twice', async () => {
		const link = new FakeLink([
			{partition: 0, low: '0', high: '0'},
			{partition: 1, low: '0', high: '0'},
		]);
		const flushes: Array<() => void> = [];
		const hub = new RoomHub(ROOM, link, {depth: 5, cap: 100, partitions: 3, defer: flush => flushes.push(flush)});
		const a = new FakePage(10);
		hub.subscribe(a);
		await hub.open();
		expect(a.isLive).toBe(true);
		feed(hub, 0, 0, 2);
		feed(hub, 1, 0, 1);
		const b = new FakePage(10);
		hub.subscribe(b); // served from the buffer, after a is sent what it is owed
		feed(hub, 1, 1, 2);
		for (const flush of flushes.splice(0)) flush();
		const msgs = (p: FakePage): string[][] => p.frames.flatMap(f => (f.t === 'msgs' ? [f.m.map(m => m.text)] : []));
		expect(msgs(a)).toEqual([['p0o0', 'p0o1', 'p1o0'], ['p1o1']]);
		expect(msgs(b)).toEqual([['p0o0', 'p1o0', 'p0o1'], ['p1o1']]);
		expect(a.buffers.at(-1)).toBe(b.buffers.at(-1));
	});

	it('rests a room after a fan-out half as long as it took, and sends what came meanwhile as one frame', async () => {
		const link = new FakeLink([{partition: 0, low: '0', high: '0'}]);
		let clock = 0;
		const scheduled: Array<{flush: () => void; delayMs: number}> = [];
		const hub = new RoomHub(ROOM, link, {depth: 5, cap: 100, partitions: 1, clock: () => clock, defer: (flush, delayMs) => scheduled.push({flush, delayMs})});
		// A page whose socket write takes 4 ms of the clock (a thousand pages, say).
		const frames: string[][] = [];
		const slow: Subscriber = {
			history: 10,
			joined() {},
			deliver(frame) {
				const f = JSON.parse(frame.toString()) as {t: string; m?: Array<{text: string}>};
				if (f.t === 'msgs') frames.push(f.m!.map(m => m.text));
				clock += 4;
			},
			live() {},
			failed() {},
		};
		hub.subscribe(slow);
		await hub.open();
		const next = (): {flush: () => void; delayMs: number} => scheduled.shift()!;

		feed(hub, 0, 0, 1);
		const first = next();
		expect(first.delayMs).toBe(0); // nothing sent before: at once
		first.flush(); // took 4 ms, ended at clock 4 + what open() sent
		const ended = clock;
		clock += 1;
		feed(hub, 0, 1, 2);
		const second = next();
		expect(second.delayMs).toBe(ended + 0.5 * 4 - clock);
		feed(hub, 0, 2, 3); // a later batch while it rests: no fan-out of its own
		expect(scheduled).toEqual([]);
		second.flush();
		expect(frames).toEqual([['p0o0'], ['p0o1', 'p0o2']]);

		clock += 100; // a quiet room: the next line goes at once
		feed(hub, 0, 3, 4);
		expect(next().delayMs).toBe(0);
	});
});
