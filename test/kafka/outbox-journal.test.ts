// The outbox on disk, without a broker: a journal per running instance, takeover of the journals of
// instances that ended (once), damaged journals moved aside, and no growth from start to start.
import {spawnSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {nullLogger} from '../../source/kafka/log-file.js';
import {lockHeld, processStart} from '../../source/kafka/instance-lock.js';
import {Outbox, type OutboxEntry} from '../../source/kafka/outbox.js';
import {openJournal} from '../../source/kafka/outbox-journal.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-journal-'));
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

let serial = 0;
const freshDir = (): string => path.join(root, `nick${++serial}`);
const entry = (text: string, sentAt = Date.now()): OutboxEntry => ({id: randomUUID(), room: 'r', user: 'olive', type: 'message', text, sentAt});
const journalLine = (e: OutboxEntry): string => JSON.stringify({add: e}) + '\n';

/** A pid no process has now: one that just ended. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

/** The journal of an instance that crashed: its lock names a process that is gone. */
function crashedInstance(dir: string, entries: OutboxEntry[], lock: object = {pid: deadPid(), host: os.hostname(), start: '1'}): string {
	const id = randomUUID();
	fs.mkdirSync(dir, {recursive: true});
	fs.writeFileSync(path.join(dir, `${id}.lock`), JSON.stringify(lock));
	fs.writeFileSync(path.join(dir, `${id}.jsonl`), entries.map(journalLine).join(''));
	return id;
}

const journals = (dir: string): string[] => fs.readdirSync(dir).filter(n => n.endsWith('.jsonl'));
const addLines = (dir: string): number =>
	journals(dir)
		.map(n => fs.readFileSync(path.join(dir, n), 'utf8'))
		.join('')
		.split('\n')
		.filter(l => l.includes('"add"')).length;

const outbox = (dir: string): Outbox => new Outbox({producer: () => Promise.reject(new Error('no broker in this test')), dir, logger: nullLogger, health: () => {}});

describe('instance locks', () => {
	it('a lock is held while its process runs as the same process: not after it ended, not by a process that got its pid later', () => {
		const dir = freshDir();
		fs.mkdirSync(dir);
		const write = (name: string, lock: object): string => (fs.writeFileSync(path.join(dir, name), JSON.stringify(lock)), path.join(dir, name));
		expect(lockHeld(write('live.lock', {pid: process.pid, host: os.hostname(), start: processStart(process.pid)}))).toBe(true);
		expect(lockHeld(write('dead.lock', {pid: deadPid(), host: os.hostname()}))).toBe(false);
		expect(lockHeld(write('reused.lock', {pid: process.pid, host: os.hostname(), start: 'another start'}))).toBe(process.platform !== 'linux');
		expect(lockHeld(path.join(dir, 'none.lock'))).toBe(false);
	});

	it("another host's lock is held while its process keeps touching it, and not after", () => {
		const dir = freshDir();
		fs.mkdirSync(dir);
		const lock = path.join(dir, 'elsewhere.lock');
		fs.writeFileSync(lock, JSON.stringify({pid: 1, host: `not-${os.hostname()}`}));
		expect(lockHeld(lock)).toBe(true);
		const hourAgo = new Date(Date.now() - 3_600_000);
		fs.utimesSync(lock, hourAgo, hourAgo);
		expect(lockHeld(lock)).toBe(false);
	});
});

describe('the outbox journal', () => {
	it('gives each running instance its own journal: a second instance of the nick takes nothing of the first', () => {
		const dir = freshDir();
		const first = outbox(dir);
		expect(first.loadSaved()).toEqual([]);
		const typed = [entry('one'), entry('two')];
		for (const e of typed) void first.enqueue(e).catch(() => undefined);
		const second = outbox(dir);
		expect(second.loadSaved()).toEqual([]);
		expect(journals(dir)).toHaveLength(2);
		// The first quits with its messages unsent: the next start takes them over.
		void first.stop();
		expect(outbox(dir).loadSaved().map(e => e.text)).toEqual(['one', 'two']);
		void second.stop();
	});

	it("takes over a crashed instance's journal exactly once, oldest message first, and cleans up its lock", () => {
		const dir = freshDir();
		const left = [entry('b', 2000), entry('a', 1000)];
		const id = crashedInstance(dir, left);
		const takers = [openJournal(dir), openJournal(dir)];
		expect(takers.map(t => t.saved.map(e => e.text))).toEqual([['a', 'b'], []]);
		expect(fs.existsSync(path.join(dir, `${id}.lock`))).toBe(false);
		expect(fs.existsSync(path.join(dir, `${id}.jsonl`))).toBe(false);
		// Written once into the taker's own journal, which ends empty when nothing is left to send.
		expect(addLines(dir)).toBe(2);
		for (const t of takers) t.journal!.close([]);
		expect(fs.readdirSync(dir)).toEqual([]);
	});

	it("takes over a journal whose lock names a live process that is not the one that wrote it (pid reused)", () => {
		const dir = freshDir();
		crashedInstance(dir, [entry('x')], {pid: process.pid, host: os.hostname(), start: 'long ago'});
		const taken = openJournal(dir);
		expect(taken.saved.map(e => e.text)).toEqual(process.platform === 'linux' ? ['x'] : []);
		taken.journal!.close([]);
	});

	it('takes over the one file per nick of earlier versions', () => {
		const dir = freshDir();
		const legacy = `${dir}.jsonl`;
		const done = entry('sent already');
		fs.writeFileSync(legacy, journalLine(entry('unsent')) + journalLine(done) + JSON.stringify({done: done.id}) + '\n');
		const taken = openJournal(dir, legacy);
		expect(taken.saved.map(e => e.text)).toEqual(['unsent']);
		expect(fs.existsSync(legacy)).toBe(false);
		taken.journal!.close([]);
	});

	it('moves a journal with a damaged line aside, says so, and still sends what it could read', () => {
		const dir = freshDir();
		const id = crashedInstance(dir, [entry('before')]);
		fs.appendFileSync(path.join(dir, `${id}.jsonl`), '{"add": {"id": "x", "te\n' + journalLine(entry('after')));
		const taken = openJournal(dir, undefined, new Date('2026-12-03T10:39:36.123Z'));
		expect(taken.saved.map(e => e.text)).toEqual(['before', 'after']);
		const aside = path.join(dir, `${id}.jsonl.damaged-2026-12-03T10-39-36-123Z`);
		expect(fs.readFileSync(aside, 'utf8')).toContain('"te\n');
		expect(taken.notes).toEqual([`the outbox ${path.join(dir, `${id}.jsonl`)} is damaged (line 2): moved aside as ${aside}; the 2 unsent messages it could read are sent`]);
		taken.journal!.close([]);
		// Moved aside, it is not taken over again.
		expect(openJournal(dir).saved).toEqual([]);
	});

	it('does not grow from start to start: saved messages are written once, not again when queued', async () => {
		const dir = freshDir();
		const first = outbox(dir);
		first.loadSaved();
		for (const t of ['one', 'two', 'three']) void first.enqueue(entry(t)).catch(() => undefined);
		await first.stop();
		for (let start = 0; start < 3; start++) {
			const next = outbox(dir);
			const saved = next.loadSaved();
			expect(saved.map(e => e.text)).toEqual(['one', 'two', 'three']);
			for (const e of saved) void next.enqueue(e).catch(() => undefined);
			expect(addLines(dir)).toBe(3);
			await next.stop();
		}
	});

	it('says when nothing can be written, and keeps messages in memory', () => {
		const blocker = path.join(root, `file${++serial}`);
		fs.writeFileSync(blocker, 'a file where the folder should be');
		const dir = path.join(blocker, 'outbox', 'olive');
		const problems: (string | undefined)[] = [];
		const box = new Outbox({producer: () => Promise.reject(new Error('no broker')), dir, logger: nullLogger, health: () => {}, storage: p => problems.push(p)});
		expect(box.loadSaved()).toEqual([]);
		expect(problems).toEqual([`messages typed now are kept only in memory: ${dir}: ENOTDIR: not a directory`]);
		void box.enqueue(entry('in memory')).catch(() => undefined);
		expect(box.size).toBe(1);
		void box.stop();
	});
});
