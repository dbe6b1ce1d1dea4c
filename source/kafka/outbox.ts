import type {Producer} from 'kafkajs';
import {backoffDelay} from '../chat/backoff.js';
import type {MessageType} from '../chat/message.js';
import {encodeRecord} from '../chat/record-codec.js';
import type {Logger} from './log-file.js';
import {LOCK_TOUCH_MS} from './instance-lock.js';
import {memoryOnly, openJournal, type Journal, type JournalOp} from './outbox-journal.js';

/** A message on its way: what the user sent, kept until the broker has it. */
export type OutboxEntry = {id: string; room: string; user: string; type: MessageType; text: string; sentAt: number; newNick?: string};

export type Delivered = {partition: number; offset: string; timestamp: number};

export class DeliveryError extends Error {}

type Waiting = {
	entry: OutboxEntry;
	resolve: (d: Delivered) => void;
	reject: (e: Error) => void;
	expired?: string;
	/** Kafka may hold it already (saved by an earlier run, or on its way when a producer was replaced): look before sending. */
	unsure?: boolean;
};

export type OutboxOptions = {
	/** Makes a connected producer (again after a fatal producer error). */
	producer: () => Promise<Producer>;
	/**
	 * This nick's outbox folder, where undelivered messages are kept across quits and crashes (a journal
	 * per running instance, see outbox-journal.ts); none for headless `send` and `serve`. The one file per
	 * nick of earlier versions, `<dir>.jsonl`, is taken over at start.
	 */
	dir?: string;
	logger: Logger;
	/** The cluster took a batch (true) or a send failed and will be retried (false, with the reason). */
	health: (ok: boolean, reason?: string) => void;
	/** Messages cannot be kept on disk (why), or can again (undefined). */
	storage?: (problem: string | undefined) => void;
	/**
	 * Which of these messages (all of one room) Kafka holds already, and where. Asked before sending any
	 * message that may have been sent before, so that Kafka holds each message once.
	 */
	lookup?: (room: string, entries: OutboxEntry[]) => Promise<Map<string, Delivered>>;
};

/** Requests one batch may take: a run of one room's messages, all with our nick as key (so one partition). */
const MAX_BATCH = 500;
const MAX_BATCH_BYTES = 512 * 1024;

/** Errors a retry cannot fix: the message fails, with the reason, and the queue moves on. */
const PERMANENT = /MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE|INVALID_TOPIC|TOPIC_AUTHORIZATION_FAILED|INVALID_RECORD|CORRUPT_MESSAGE/;
/** The journal is compacted when it holds this many lines more than messages to send (and twice as many). */
const COMPACT_AFTER = 1000;
/** After a failed write, how often writing the journal is tried again. */
const REWRITE_RETRY_MS = 5000;
/** The room's topic is not there (deleted, maybe to be created again): its messages are held, not failed. */
const NO_TOPIC = /UNKNOWN_TOPIC_OR_PARTITION/;
/** Errors after which the idempotent producer's sequence state is unusable: make a new producer. */
const FATAL_PRODUCER = /OUT_OF_ORDER_SEQUENCE_NUMBER|UNKNOWN_PRODUCER_ID|INVALID_PRODUCER_EPOCH|PRODUCER_FENCED|INVALID_PRODUCER_ID_MAPPING/;

function errorTypes(error: unknown): string {
	const types: string[] = [];
	for (let e = error as {type?: string; name?: string; cause?: unknown} | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
		types.push(String(e.type ?? ''), String(e.name ?? ''));
	}
	return types.join(' ');
}

/**
 * Our messages leave through one queue, one batch at a time, so they reach the broker in the order
 * they were typed even across an outage (independent kafkajs sends retry independently and can
 * overtake each other). While the cluster is unreachable the queue waits and retries; with a folder,
 * what is not delivered survives a quit or a crash and is sent at the next start. A message Kafka may
 * hold already (acknowledged, but the mark in the journal lost to a crash) is looked up before it is
 * sent again: kafkajs's idempotence does not span producers.
 */
export class Outbox {
	private readonly queue: Waiting[] = [];
	private producer: Producer | undefined;
	private pumping = false;
	private ready = false;
	private stopped = false;
	private failures = 0;
	private single = false;
	private drained: Array<() => void> = [];
	/** Lines appended to the journal since it was last rewritten (see compact). */
	private appended = 0;
	/** The batch on its way to the broker. */
	private inFlight = new Set<Waiting>();
	private journal: Journal | undefined;
	/** Taken over from earlier runs, in the journal already: not written again when enqueued. */
	private readonly saved = new Map<string, OutboxEntry>();
	/** Why messages are kept only in memory, and since when. */
	private problem: string | undefined;
	private problemAt = 0;
	private toucher: NodeJS.Timeout | undefined;
	/** What the user should hear once at start (a damaged journal set aside). */
	readonly notes: string[] = [];
	/** Messages of rooms whose topic is missing, oldest first, kept out of the queue so other rooms go on. */
	private readonly held = new Map<string, Waiting[]>();

	constructor(private readonly options: OutboxOptions) {}

	/**
	 * Takes this instance's journal, and the messages instances that no longer run left unsent, oldest
	 * first. Call before enqueue, then enqueue each of them (they are checked against Kafka before sending).
	 */
	loadSaved(): OutboxEntry[] {
		if (!this.options.dir) return [];
		const opened = openJournal(this.options.dir, `${this.options.dir}.jsonl`);
		this.journal = opened.journal;
		if (opened.journal) this.keepLockFresh(opened.journal);
		this.notes.push(...opened.notes);
		for (const note of opened.notes) this.options.logger.warn(`outbox: ${note}`);
		if (opened.problem) this.setProblem(opened.problem);
		for (const entry of opened.saved) this.saved.set(entry.id, entry);
		return opened.saved;
	}

	/**
	 * Queues a message (written to the journal when there is one); resolves when the broker has it. With
	 * `timeoutMs`, a message the broker has not taken by then is taken out of the queue and rejected
	 * (one already on its way is settled by the broker's answer, or dropped if that fails).
	 */
	enqueue(entry: OutboxEntry, timeoutMs?: number): Promise<Delivered> {
		if (this.stopped) return Promise.reject(new DeliveryError('kchat is shutting down'));
		const saved = this.saved.delete(entry.id);
		return new Promise((resolve, reject) => {
			let timer: NodeJS.Timeout | undefined;
			const waiting: Waiting = {
				entry,
				resolve: d => (clearTimeout(timer), resolve(d)),
				reject: e => (clearTimeout(timer), reject(e)),
				...(saved && this.options.lookup ? {unsure: true} : {}),
			};
			if (timeoutMs !== undefined) timer = setTimeout(() => this.expire(waiting, `not delivered within ${timeoutMs / 1000} s`), timeoutMs);
			const held = this.held.get(entry.room);
			if (held) held.push(waiting);
			else this.queue.push(waiting);
			if (!saved) this.append([{add: entry}]);
			void this.pump();
		});
	}

	private expire(waiting: Waiting, reason: string): void {
		const held = this.held.get(waiting.entry.room);
		const at = held?.indexOf(waiting) ?? -1;
		if (at >= 0) {
			held!.splice(at, 1);
			this.append([{done: waiting.entry.id}]);
			waiting.reject(new DeliveryError(reason));
			return;
		}
		const index = this.queue.indexOf(waiting);
		if (index < 0) return;
		if (this.inFlight.has(waiting)) {
			waiting.expired = reason; // the broker's answer settles it; if the send fails it is dropped
			return;
		}
		this.queue.splice(index, 1);
		this.append([{done: waiting.entry.id}]);
		waiting.reject(new DeliveryError(reason));
	}

	/**
	 * The room's topic is missing: its messages (but one batch already on its way) wait aside, in order,
	 * and so do those sent to it from now on, until release(room). Other rooms' messages go on.
	 */
	hold(room: string): void {
		const moved = this.queue.filter(w => w.entry.room === room && !this.inFlight.has(w));
		const rest = this.queue.filter(w => !moved.includes(w));
		this.queue.splice(0, this.queue.length, ...rest);
		// Whatever is moved now is older than anything held already (sent while held, or moved earlier after it).
		this.held.set(room, [...moved, ...(this.held.get(room) ?? [])]);
	}

	/** The room's topic exists (again): its held messages are sent, in order. */
	release(room: string): void {
		const held = this.held.get(room);
		if (!held) return;
		this.held.delete(room);
		this.queue.push(...held);
		void this.pump();
	}

	/** Rooms whose messages are held. */
	heldRooms(): string[] {
		return [...this.held.keys()];
	}

	/** The cluster is reachable: start sending what is queued. */
	start(): void {
		this.ready = true;
		void this.pump();
	}

	get size(): number {
		return this.queue.length;
	}

	/** Waits until the queue is empty or the time is up; true when everything was delivered. */
	async drain(timeoutMs: number): Promise<boolean> {
		if (this.queue.length === 0) return true;
		if (timeoutMs <= 0) return false;
		let timer: NodeJS.Timeout | undefined;
		const done = await Promise.race([
			new Promise<boolean>(resolve => this.drained.push(() => resolve(true))),
			new Promise<boolean>(resolve => (timer = setTimeout(() => resolve(false), timeoutMs))),
		]);
		clearTimeout(timer);
		return done;
	}

	/** Stops sending; what is still queued stays in the journal, for the next start to take over. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		clearInterval(this.toucher);
		let kept = this.journal !== undefined;
		try {
			this.journal?.close(this.unsent());
		} catch (error) {
			kept = false;
			this.options.logger.error('outbox: cannot write', {error: (error as Error).message});
		}
		const held = [...this.held.values()].flat();
		this.held.clear();
		for (const w of [...this.queue.splice(0), ...held]) w.reject(new DeliveryError(kept ? 'not delivered yet: saved, sent at the next start' : 'not delivered'));
		await this.producer?.disconnect().catch(() => undefined);
	}

	/** Touches the lock now and then: instances on other hosts sharing the folder can only tell that way. */
	private keepLockFresh(journal: Journal): void {
		this.toucher = setInterval(() => {
			try {
				journal.touch();
			} catch {
				// the disk refuses: another host may take the journal over later; the lookup in Kafka keeps each message once
			}
		}, LOCK_TOUCH_MS);
		this.toucher.unref();
	}

	/** Everything not yet sent, in order (what a rewritten journal holds). */
	private unsent(): OutboxEntry[] {
		// Held messages (their room's topic is missing) are not delivered yet either.
		const held = [...this.held.values()].flat().map(w => w.entry);
		return [...held, ...this.queue.map(w => w.entry), ...this.saved.values()];
	}

	private async pump(): Promise<void> {
		if (this.pumping || !this.ready) return;
		this.pumping = true;
		try {
			while (this.queue.length > 0 && !this.stopped) {
				if (this.queue[0]!.unsure && !(await this.lookUp(this.queue[0]!.entry.room))) continue;
				if (this.queue.length === 0) break;
				const batch = this.nextBatch();
				const first = batch[0]!.entry;
				this.inFlight = new Set(batch);
				try {
					this.producer ??= await this.options.producer();
					const [meta] = await this.producer.send({
						topic: first.room,
						acks: -1,
						messages: batch.map(({entry}) => {
							const r = encodeRecord(entry);
							return {key: r.key, value: r.value, headers: r.headers};
						}),
					});
					if (!meta) throw new Error('no delivery report from the broker');
					const base = BigInt(meta.baseOffset ?? '0');
					const appendTime = Number(meta.logAppendTime);
					this.queue.splice(0, batch.length);
					this.append(batch.map(w => ({done: w.entry.id})));
					batch.forEach((w, i) => {
						w.resolve({partition: meta.partition, offset: (base + BigInt(i)).toString(), timestamp: appendTime > 0 ? appendTime : w.entry.sentAt});
					});
					this.compact();
					this.failures = 0;
					this.single = false;
					this.options.health(true);
				} catch (error) {
					this.inFlight.clear();
					if (this.stopped) break;
					if (NO_TOPIC.test(errorTypes(error)) || this.held.has(first.room)) {
						this.hold(first.room);
						for (const w of batch) if (w.expired) this.expire(w, w.expired);
						continue;
					}
					await this.failed(batch, error);
					for (const w of batch) if (w.expired) this.expire(w, w.expired);
				} finally {
					this.inFlight.clear();
				}
			}
		} finally {
			this.pumping = false;
			if (this.queue.length === 0) for (const resolve of this.drained.splice(0)) resolve();
		}
	}

	private nextBatch(): Waiting[] {
		const first = this.queue[0]!;
		const batch = [first];
		let bytes = first.entry.text.length;
		for (let i = 1; !this.single && i < this.queue.length && batch.length < MAX_BATCH; i++) {
			const w = this.queue[i]!;
			if (w.entry.room !== first.entry.room || w.entry.user !== first.entry.user || w.unsure) break;
			bytes += w.entry.text.length;
			if (bytes > MAX_BATCH_BYTES) break;
			batch.push(w);
		}
		return batch;
	}

	private async failed(batch: Waiting[], error: unknown): Promise<void> {
		const types = errorTypes(error);
		const reason = (error as Error).message;
		if (PERMANENT.test(types)) {
			if (batch.length > 1) {
				this.single = true; // find the one message the broker refuses
				return;
			}
			this.queue.shift();
			this.append([{done: batch[0]!.entry.id}]);
			batch[0]!.reject(new DeliveryError(reason));
			return;
		}
		this.failure(reason, batch[0]!.entry.room);
		if (FATAL_PRODUCER.test(types) || this.failures % 3 === 0) {
			const old = this.producer;
			this.producer = undefined;
			// The new producer is a new idempotent identity: the broker cannot tell a batch it sends again
			// from the one the old producer may have written. Look before sending it again.
			if (this.options.lookup) for (const w of batch) w.unsure = true;
			await old?.disconnect().catch(() => undefined);
		}
		await this.backOff();
	}

	private failure(reason: string, room: string): void {
		this.failures++;
		this.options.health(false, reason);
		this.options.logger.warn('send failed, will retry', {room, failures: this.failures, reason});
	}

	private backOff(): Promise<void> {
		return new Promise(resolve => setTimeout(resolve, backoffDelay(this.failures, {base: 250, max: 2000})));
	}

	/**
	 * Looks up in Kafka the messages of `room` that may be there already: those found are settled as
	 * delivered (where Kafka has them) and leave the queue; the others are sent. False when the lookup
	 * failed (it is tried again after a wait, and nothing is sent meanwhile).
	 */
	private async lookUp(room: string): Promise<boolean> {
		const unsure = this.queue.filter(w => w.unsure && w.entry.room === room);
		let found: Map<string, Delivered>;
		try {
			found = await this.options.lookup!(room, unsure.map(w => w.entry));
		} catch (error) {
			if (this.stopped) return false;
			this.failure(`cannot check which messages Kafka has: ${(error as Error).message}`, room);
			await this.backOff();
			return false;
		}
		if (this.stopped) return false;
		const settled: Waiting[] = [];
		for (const w of unsure) {
			w.unsure = false;
			const d = found.get(w.entry.id);
			const index = this.queue.indexOf(w);
			if (!d || index < 0) continue; // index < 0: it timed out meanwhile
			this.queue.splice(index, 1);
			settled.push(w);
			w.resolve(d);
		}
		if (settled.length > 0) {
			this.options.logger.info('outbox: already in Kafka, not sent again', {room, messages: settled.length, of: unsure.length});
			this.append(settled.map(w => ({done: w.entry.id})));
		}
		return true;
	}

	private append(list: JournalOp[]): void {
		const journal = this.journal;
		if (!journal) return;
		try {
			if (this.problem === undefined) {
				journal.append(list);
				this.appended += list.length;
				return;
			}
			// A write failed before: the journal is written whole again (when the disk takes it).
			if (Date.now() - this.problemAt < REWRITE_RETRY_MS) return;
			this.problemAt = Date.now();
			journal.rewrite(this.unsent());
			this.appended = 0;
			this.setProblem(undefined);
		} catch (error) {
			this.setProblem(memoryOnly(journal.file, error));
		}
	}

	/** Rewrites the journal to hold only what is still to send once it is mostly lines about sent messages. */
	private compact(): void {
		if (!this.journal || this.problem !== undefined || this.appended < COMPACT_AFTER || this.appended < 2 * this.queue.length) return;
		try {
			this.journal.rewrite(this.unsent());
			this.appended = 0;
		} catch (error) {
			this.setProblem(memoryOnly(this.journal.file, error));
		}
	}

	private setProblem(problem: string | undefined): void {
		if (problem === this.problem) return;
		if (problem && this.problem === undefined) this.problemAt = Date.now();
		this.problem = problem;
		if (problem) this.options.logger.error(`outbox: ${problem}`);
		this.options.storage?.(problem);
	}
}
