import {randomUUID} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {MESSAGE_TYPES} from '../chat/record-codec.js';
import {createLock, lockHeld, touchLock} from './instance-lock.js';
import type {OutboxEntry} from './outbox.js';

// The outbox on disk. A nick's folder holds one journal per running kchat (`<instance>.jsonl`, next to
// its lock `<instance>.lock`): instances of one nick never write, compact or send each other's lines. A
// journal whose lock is gone or stale belongs to an instance that ended (quit with messages unsent, or
// crashed); the next instance to start takes it over: renames it to a name of its own first (one rename
// wins, so two instances starting at once cannot both send it), then reads it. A journal is a list of
// operations, one JSON object a line: `{"add": entry}` when a message is queued, `{"done": id}` when
// Kafka has it (or it failed for good).

export type JournalOp = {add: OutboxEntry} | {done: string};

/** What a journal opened at start gives: where to write, the messages taken over, what to tell the user. */
export type OpenedJournal = {
	/** Undefined when nothing can be written: messages are then kept only in memory (see `problem`). */
	journal?: Journal;
	/** Messages other instances left unsent, oldest first; already in `journal`. */
	saved: OutboxEntry[];
	/** Said once at start (a damaged file set aside). */
	notes: string[];
	/** Why messages typed now are kept only in memory. */
	problem?: string;
};

const isEntry = (e: unknown): e is OutboxEntry => {
	const x = e as Partial<OutboxEntry> | null;
	return (
		typeof x === 'object' &&
		x !== null &&
		typeof x.id === 'string' &&
		x.id !== '' &&
		typeof x.room === 'string' &&
		typeof x.user === 'string' &&
		typeof x.text === 'string' &&
		MESSAGE_TYPES.includes(x.type!) &&
		Number.isFinite(x.sentAt)
	);
};

function parseOp(line: string): JournalOp | undefined {
	try {
		const op = JSON.parse(line) as {add?: unknown; done?: unknown};
		if (isEntry(op.add)) return {add: op.add};
		if (typeof op.done === 'string') return {done: op.done};
	} catch {
		// damaged: said by the caller
	}
	return undefined;
}

/**
 * Applies a journal's operations to `pending` (an entry added twice stays where it was first added);
 * returns the numbers (from 1) of the lines that could not be read.
 */
export function applyJournal(text: string, pending: Map<string, OutboxEntry>): number[] {
	const damaged: number[] = [];
	text.split('\n').forEach((line, index) => {
		if (!line) return;
		const op = parseOp(line);
		if (!op) damaged.push(index + 1);
		else if ('done' in op) pending.delete(op.done);
		else if (!pending.has(op.add.id)) pending.set(op.add.id, op.add);
	});
	return damaged;
}

/** `EACCES: permission denied` without the `, open '/the/path'` Node adds (the path is said once, first). */
export function fsReason(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).replace(/, \w+ '[^']*'( -> '[^']*')?$/, '');
}

export const memoryOnly = (where: string, error: unknown): string => `messages typed now are kept only in memory: ${where}: ${fsReason(error)}`;

const ops = (list: JournalOp[]): string => list.map(op => JSON.stringify(op) + '\n').join('');

/** One running instance's journal, and its lock. Methods throw when the disk refuses (the outbox says so). */
export class Journal {
	private fd: number | undefined;
	private closed = false;

	constructor(
		readonly file: string,
		private readonly lock: string,
	) {}

	/** Operations appended in one write (a batch's `done` lines are one system call). */
	append(list: JournalOp[]): void {
		if (this.closed) return;
		this.fd ??= fs.openSync(this.file, 'a', 0o600);
		fs.writeSync(this.fd, ops(list));
	}

	/**
	 * The journal replaced by one `add` per entry still to send (compaction). Written beside it, flushed
	 * and renamed over it: a crash leaves the old journal or the new one, never half of one.
	 */
	rewrite(entries: OutboxEntry[]): void {
		if (this.closed) return;
		const temp = `${this.file}.tmp`;
		const fd = fs.openSync(temp, 'w', 0o600);
		try {
			fs.writeSync(fd, ops(entries.map(add => ({add}))));
			fs.fsyncSync(fd);
		} finally {
			fs.closeSync(fd);
		}
		fs.renameSync(temp, this.file);
		// The open descriptor still points at the replaced file.
		if (this.fd !== undefined) fs.closeSync(this.fd);
		this.fd = undefined;
	}

	/** Tells other hosts sharing the folder that this instance still runs. */
	touch(): void {
		if (!this.closed) touchLock(this.lock);
	}

	/**
	 * Ends this instance's hold: what is still unsent stays in the journal (for the next start to take
	 * over), an empty journal goes. The lock goes last, so no one takes the journal while it is written.
	 */
	close(unsent: OutboxEntry[]): void {
		if (this.closed) return;
		try {
			if (unsent.length > 0) this.rewrite(unsent);
			else fs.rmSync(this.file, {force: true});
		} finally {
			if (this.fd !== undefined) fs.closeSync(this.fd);
			this.fd = undefined;
			this.closed = true;
			fs.rmSync(this.lock, {force: true});
		}
	}
}

type Claim = {path: string; original: string};

/** `<instance>.…` → `<instance>` */
const ownerOf = (name: string): string => name.slice(0, name.indexOf('.'));

/**
 * Renames every journal of instances that no longer run to a name of this instance's; a journal someone
 * else renamed first is theirs. Journals of an instance that itself took some over come in the order they
 * must be read: the ones it took (older) before its own (which may mark them sent).
 */
function claimOrphans(dir: string, self: string, legacy: string | undefined): Claim[] {
	const claims: Claim[] = [];
	const claim = (from: string): void => {
		const to = path.join(dir, `${self}.taken-${randomUUID().slice(0, 8)}.jsonl`);
		try {
			fs.renameSync(from, to);
			claims.push({path: to, original: from});
		} catch {
			// taken by an instance that started at the same moment (ENOENT), or not ours to move
		}
	};
	if (legacy && fs.existsSync(legacy)) claim(legacy);
	const names = fs.readdirSync(dir);
	const journals = new Map<string, string[]>();
	for (const name of names) {
		const owner = ownerOf(name);
		if (!name.endsWith('.jsonl') || owner === self || owner === '') continue;
		journals.set(owner, [...(journals.get(owner) ?? []), name]);
	}
	for (const [owner, files] of journals) {
		const lock = path.join(dir, `${owner}.lock`);
		if (lockHeld(lock)) continue;
		files.sort((a, b) => Number(b.includes('.taken-')) - Number(a.includes('.taken-')) || a.localeCompare(b));
		for (const name of files) claim(path.join(dir, name));
		fs.rmSync(lock, {force: true});
		fs.rmSync(path.join(dir, `${owner}.jsonl.tmp`), {force: true}); // a compaction cut short
	}
	// Locks of instances that ended before they wrote a journal.
	for (const name of names) {
		if (name.endsWith('.lock') && !journals.has(ownerOf(name)) && ownerOf(name) !== self && !lockHeld(path.join(dir, name))) fs.rmSync(path.join(dir, name), {force: true});
	}
	return claims;
}

const stamp = (at: Date): string => at.toISOString().replace(/[:.]/g, '-');

/**
 * Opens this instance's journal in `dir` (made when missing): takes the lock, takes over the journals of
 * instances that no longer run (and `legacy`, the one file per nick of earlier versions), and writes what
 * they left unsent into its own journal once. A journal with lines that cannot be read is moved aside as
 * `<name>.damaged-<time>`, so it can still be looked at; the lines it could read are sent.
 */
export function openJournal(dir: string, legacy?: string, now = new Date()): OpenedJournal {
	const self = randomUUID();
	const file = path.join(dir, `${self}.jsonl`);
	const lock = path.join(dir, `${self}.lock`);
	try {
		fs.mkdirSync(dir, {recursive: true, mode: 0o700});
	} catch (error) {
		return {saved: [], notes: [], problem: memoryOnly(dir, error)};
	}
	try {
		createLock(lock);
	} catch (error) {
		return {saved: [], notes: [], problem: memoryOnly(lock, error)};
	}
	const notes: string[] = [];
	const pending = new Map<string, OutboxEntry>();
	const read: string[] = [];
	let claims: Claim[] = [];
	try {
		claims = claimOrphans(dir, self, legacy);
	} catch (error) {
		notes.push(`cannot look for messages earlier runs left unsent: ${dir}: ${fsReason(error)}`);
	}
	for (const claim of claims) {
		let text: string;
		try {
			text = fs.readFileSync(claim.path, 'utf8');
		} catch (error) {
			notes.push(`cannot read the outbox ${claim.original}: ${fsReason(error)}`);
			continue;
		}
		const before = pending.size;
		const damaged = applyJournal(text, pending);
		if (damaged.length === 0) {
			read.push(claim.path);
			continue;
		}
		const aside = `${claim.original}.damaged-${stamp(now)}`;
		const lines = `line${damaged.length === 1 ? '' : 's'} ${damaged.slice(0, 5).join(', ')}${damaged.length > 5 ? ', …' : ''}`;
		try {
			fs.renameSync(claim.path, aside);
			notes.push(`the outbox ${claim.original} is damaged (${lines}): moved aside as ${aside}; the ${pending.size - before} unsent messages it could read are sent`);
		} catch (error) {
			notes.push(`the outbox ${claim.original} is damaged (${lines}) and cannot be moved aside: ${fsReason(error)}`);
		}
	}
	// Typed order across instances: by the time each message was typed.
	const saved = [...pending.values()].sort((a, b) => a.sentAt - b.sentAt);
	const journal = new Journal(file, lock);
	try {
		journal.rewrite(saved);
	} catch (error) {
		// The files taken over keep this instance's name: after it ends they are taken over again.
		return {journal, saved, notes, problem: memoryOnly(file, error)};
	}
	for (const done of read) fs.rmSync(done, {force: true});
	return {journal, saved, notes};
}
