import type {ChatMessage} from './message.js';
import {compareMessages, compareOffsets} from './message-order.js';

// One rule for two records with one `kchat-id`, wherever lines are de-duplicated (the store's room
// logs, so the app and the web page, and `kchat tail`). Anyone who can write a room can reuse the id of
// a message they read, so the id alone decides nothing:
// - the earliest record in the room's order (timestamp, partition, offset) keeps the id, whichever
//   arrived first (a fresh join reads partitions in any order);
// - a later record with the same sender and content is a plain repeat and is hidden: the outbox sends
//   an entry again after a crash when Kafka had it but the outbox file did not say so yet;
// - a later record with anything else is shown apart, on a line of its own, marked: never instead.

/** What the rule looks at: where a record is, whether it is in Kafka yet, and what it says. */
export type Sighting = Pick<ChatMessage, 'timestamp' | 'partition' | 'offset' | 'state'> & {content: string};

export type SameIdVerdict =
	/** The same record again (history read twice, a delivery report and then the record), or a pending copy: nothing new. */
	| {kind: 'same'}
	/** Our own line, pending or failed, meets its record from Kafka: the record takes its place. */
	| {kind: 'settles'}
	/** Same sender and content elsewhere in the log: one line, at the earlier place. */
	| {kind: 'repeat'; incomingFirst: boolean}
	/** Another record reusing the id: the earlier keeps it, the later is a line of its own, marked. */
	| {kind: 'forged'; incomingFirst: boolean};

/** Who sent it and what it says, as one string: equal for an outbox re-send, different for anything a forger changed. */
export function contentOf(m: Pick<ChatMessage, 'user' | 'type' | 'foreign' | 'text'>): string {
	return `${m.foreign ? 1 : 0}\u0000${m.type}\u0000${m.user}\u0000${m.text}`;
}

export function sighting(m: ChatMessage): Sighting {
	return {timestamp: m.timestamp, partition: m.partition, offset: m.offset, state: m.state, content: contentOf(m)};
}

/**
 * The rule for every record seen with one id: the earliest record of each sender and content, the
 * earliest of all keeping the id and the others each on a line of its own, marked, in the room's order.
 */
export function linesForId(records: readonly ChatMessage[]): ChatMessage[] {
	const firstOf = new Map<string, ChatMessage>();
	for (const r of records) {
		const content = contentOf(r);
		const first = firstOf.get(content);
		if (!first || compareMessages(r, first) < 0) firstOf.set(content, r);
	}
	const kept = [...firstOf.values()].sort(compareMessages);
	return kept.map((r, i) => (i === 0 ? r : duplicateLine(r)));
}

/**
 * The pairwise shortcut of the rule, for the common cases that need no regrouping: `held` has the id
 * now, `incoming` comes with it. 'repeat' and 'forged' are worked out with linesForId.
 */
export function sameIdVerdict(held: Sighting, incoming: Sighting): SameIdVerdict {
	if (incoming.state !== 'delivered') return {kind: 'same'};
	if (held.state !== 'delivered') return {kind: 'settles'};
	if (samePlace(held, incoming)) return {kind: 'same'};
	const incomingFirst = compareMessages(incoming, held) < 0;
	return held.content === incoming.content ? {kind: 'repeat', incomingFirst} : {kind: 'forged', incomingFirst};
}

export function samePlace(a: Pick<ChatMessage, 'partition' | 'offset'>, b: Pick<ChatMessage, 'partition' | 'offset'>): boolean {
	return a.partition === b.partition && compareOffsets(a.offset, b.offset) === 0;
}

/**
 * The line a forged record is shown as: its own id (the reused one, then its place in the log, joined by
 * a NUL that no sanitised id holds, so no record can claim it), `duplicateOf` the reused id.
 */
export function duplicateLine(m: ChatMessage): ChatMessage {
	const of = m.duplicateOf ?? m.id;
	return {...m, id: `${of}\u0000${m.partition}/${m.offset}`, duplicateOf: of};
}

/** A line as the record it was read from (a duplicate line back to its reused id). */
export function asRecord(m: ChatMessage): ChatMessage {
	if (m.duplicateOf === undefined) return m;
	const {duplicateOf, ...rest} = m;
	return {...rest, id: duplicateOf};
}

/** The length and two 32-bit FNV-style hashes: enough to tell a repeat from a forgery without keeping every text. */
function fingerprint(text: string): string {
	let a = 0x811c9dc5;
	let b = 0x01000193;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		a = Math.imul(a ^ c, 0x01000193) >>> 0;
		b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
	}
	return `${text.length}:${a.toString(36)}:${b.toString(36)}`;
}

/**
 * The rule for a stream printed as it comes (`kchat tail`): what is printed stays printed, so the first
 * record of an id printed keeps it (history is sorted into the room's order before it is printed, so
 * there that is the earliest). Bounded: the oldest ids are forgotten (repeats are recent).
 */
export class IdBook {
	private readonly seen = new Map<string, Sighting[]>();

	constructor(private readonly cap = 200_000) {}

	/** What to print for `m`: itself, itself marked as a duplicate id, or nothing (printed already). */
	admit(m: ChatMessage): ChatMessage | undefined {
		const incoming = {...sighting(m), content: fingerprint(contentOf(m))};
		const held = this.seen.get(m.id);
		if (!held) {
			this.seen.set(m.id, [incoming]);
			if (this.seen.size > this.cap) this.seen.delete(this.seen.keys().next().value!);
			return m;
		}
		if (held.some(h => sameIdVerdict(h, incoming).kind !== 'forged')) return undefined;
		held.push(incoming);
		return duplicateLine(m);
	}

	/** Forgets the ids that pass `test` (a room's topic created again: positional ids name new records). */
	forget(test: (id: string) => boolean): void {
		for (const id of [...this.seen.keys()]) if (test(id)) this.seen.delete(id);
	}
}
