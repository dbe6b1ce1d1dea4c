import fs from 'node:fs';
import path from 'node:path';
import type {Producer} from 'kafkajs';
import type {MessageType} from '../chat/message.js';
import {encodeRecord} from '../chat/record-codec.js';
import type {Logger} from './log-file.js';

/** A message on its way: what the user sent, kept until the broker has it. */
export type OutboxEntry = {id: string; room: string; user: string; type: MessageType; text: string; sentAt: number};

export type Delivered = {partition: number; offset: string; timestamp: number};

export class DeliveryError extends Error {}

type Waiting = {entry: OutboxEntry; resolve: (d: Delivered) => void; reject: (e: Error) => void; expired?: string};

export type OutboxOptions = {
	/** Makes a connected producer (again after a fatal producer error). */
	producer: () => Promise<Producer>;
	/** Where undelivered messages are kept across quits and crashes; none for headless `send`. */
	file?: string;
	logger: Logger;
	/** The cluster took a batch (true) or a send failed and will be retried (false, with the reason). */
	health: (ok: boolean, reason?: string) => void;
};

/** Requests one batch may take: a run of one room's messages, all with our nick as key (so one partition). */
const MAX_BATCH = 500;
const MAX_BATCH_BYTES = 512 * 1024;

/** Errors a retry cannot fix: the message fails, with the reason, and the queue moves on. */
const PERMANENT = /MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE|INVALID_TOPIC|TOPIC_AUTHORIZATION_FAILED|INVALID_RECORD|CORRUPT_MESSAGE/;
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
 * overtake each other). While the cluster is unreachable the queue waits and retries; with a file,
 * what is not delivered survives a quit or a crash and is sent at the next start.
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
	/** Lines appended to the file since it was last rewritten: compacted when the queue is empty. */
	private appended = 0;
	/** The batch on its way to the broker. */
	private inFlight = new Set<Waiting>();
	/** Messages of rooms whose topic is missing, oldest first, kept out of the queue so other rooms go on. */
	private readonly held = new Map<string, Waiting[]>();

	constructor(private readonly options: OutboxOptions) {}

	/** Messages left from an earlier run, oldest first; the file is rewritten to hold only them. Call before enqueue. */
	loadSaved(): OutboxEntry[] {
		const file = this.options.file;
		if (!file) return [];
		let text = '';
		try {
			text = fs.readFileSync(file, 'utf8');
		} catch {
			// No file yet: make it (and its folder) now, so appends on the send path are only appends.
			this.rewrite([]);
			return [];
		}
		const pending = new Map<string, OutboxEntry>();
		for (const line of text.split('\n')) {
			if (!line) continue;
			try {
				const op = JSON.parse(line) as {add?: OutboxEntry; done?: string};
				if (op.add?.id) pending.set(op.add.id, op.add);
				else if (op.done) pending.delete(op.done);
			} catch {
				this.options.logger.warn('outbox: unreadable line skipped', {file});
			}
		}
		const entries = [...pending.values()];
		this.rewrite(entries);
		return entries;
	}

	/**
	 * Queues a message (saving it first when there is a file); resolves when the broker has it. With
	 * `timeoutMs`, a message the broker has not taken by then is taken out of the queue and rejected
	 * (one already on its way is settled by the broker's answer, or dropped if that fails).
	 */
	enqueue(entry: OutboxEntry, timeoutMs?: number): Promise<Delivered> {
		if (this.stopped) return Promise.reject(new DeliveryError('kchat is shutting down'));
		this.append({add: entry});
		return new Promise((resolve, reject) => {
			let timer: NodeJS.Timeout | undefined;
			const waiting: Waiting = {
				entry,
				resolve: d => (clearTimeout(timer), resolve(d)),
				reject: e => (clearTimeout(timer), reject(e)),
			};
			if (timeoutMs !== undefined) timer = setTimeout(() => this.expire(waiting, `not delivered within ${timeoutMs / 1000} s`), timeoutMs);
			const held = this.held.get(entry.room);
			if (held) held.push(waiting);
			else this.queue.push(waiting);
			void this.pump();
		});
	}

	private expire(waiting: Waiting, reason: string): void {
		const held = this.held.get(waiting.entry.room);
		const at = held?.indexOf(waiting) ?? -1;
		if (at >= 0) {
			held!.splice(at, 1);
			this.append({done: waiting.entry.id});
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
		this.append({done: waiting.entry.id});
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

	/** Stops sending; what is still queued stays in the file for the next start. */
	async stop(): Promise<void> {
		this.stopped = true;
		const held = [...this.held.values()].flat();
		this.held.clear();
		for (const w of [...this.queue.splice(0), ...held]) w.reject(new DeliveryError(this.options.file ? 'not delivered yet: saved, sent at the next start' : 'not delivered'));
		await this.producer?.disconnect().catch(() => undefined);
	}

	private async pump(): Promise<void> {
		if (this.pumping || !this.ready) return;
		this.pumping = true;
		try {
			while (this.queue.length > 0 && !this.stopped) {
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
					batch.forEach((w, i) => {
						this.append({done: w.entry.id});
						w.resolve({partition: meta.partition, offset: (base + BigInt(i)).toString(), timestamp: appendTime > 0 ? appendTime : w.entry.sentAt});
					});
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
			if (this.queue.length === 0) {
				// Held messages are not delivered yet: they stay in the file.
				if (this.appended > 1000) this.rewrite([...this.held.values()].flat().map(w => w.entry));
				for (const resolve of this.drained.splice(0)) resolve();
			}
		}
	}

	private nextBatch(): Waiting[] {
		const first = this.queue[0]!;
		const batch = [first];
		let bytes = first.entry.text.length;
		for (let i = 1; !this.single && i < this.queue.length && batch.length < MAX_BATCH; i++) {
			const w = this.queue[i]!;
			if (w.entry.room !== first.entry.room || w.entry.user !== first.entry.user) break;
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
			this.append({done: batch[0]!.entry.id});
			batch[0]!.reject(new DeliveryError(reason));
			return;
		}
		this.failures++;
		this.options.health(false, reason);
		this.options.logger.warn('send failed, will retry', {room: batch[0]!.entry.room, failures: this.failures, reason});
		if (FATAL_PRODUCER.test(types) || this.failures % 3 === 0) {
			const old = this.producer;
			this.producer = undefined;
			await old?.disconnect().catch(() => undefined);
		}
		await new Promise(resolve => setTimeout(resolve, Math.min(250 * 2 ** Math.min(this.failures, 5), 2000)));
	}

	private append(op: {add?: OutboxEntry; done?: string}): void {
		const file = this.options.file;
		if (!file) return;
		try {
			fs.appendFileSync(file, JSON.stringify(op) + '\n', {mode: 0o600});
			this.appended++;
		} catch (error) {
			this.options.logger.error('outbox: cannot write', {file, error: (error as Error).message});
		}
	}

	private rewrite(entries: OutboxEntry[]): void {
		const file = this.options.file;
		if (!file) return;
		try {
			fs.mkdirSync(path.dirname(file), {recursive: true});
			fs.writeFileSync(file, entries.map(add => JSON.stringify({add}) + '\n').join(''), {mode: 0o600});
			this.appended = 0;
		} catch (error) {
			this.options.logger.error('outbox: cannot write', {file, error: (error as Error).message});
		}
	}
}
