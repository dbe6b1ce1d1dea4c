import type {ChatMessage} from './message.js';
import {validateNick, validateRoomName} from './names.js';
import type {Member} from './presence-table.js';
import type {ReturnedBy} from './room-notices.js';

// What the browser page and `kchat serve` say to each other over the WebSocket: one JSON object per
// frame, `t` naming its kind. Both sides import this file; the gateway checks every frame a page
// sends with parseClientMessage before acting on it (a page is as untrusted as a Kafka record).

/** The WebSocket subprotocol; a token travels as a second one, `kchat.token.<base64url>`, never in the URL. */
export const SUBPROTOCOL = 'kchat.v1';
export const TOKEN_PROTOCOL_PREFIX = 'kchat.token.';

/** Close codes the page acts on. 4xxx are ours (RFC 6455 leaves 4000-4999 to applications). */
export const CLOSE_CODES = {
	/** The server is stopping or restarting: reconnect. */
	goingAway: 1001,
	/** A frame broke the protocol or the limits (rates, sizes): the reason says which. */
	policy: 1008,
	/** The page fell too far behind: its send queue was full. Reconnect at once and resume. */
	tooSlow: 4008,
	/** The first frame was not a valid hello. */
	badHello: 4400,
} as const;

/** Next offset wanted per partition (decimal strings: Kafka offsets are int64). */
export type Positions = Record<string, string>;

/** A chat line on the wire: a ChatMessage without its room (the frame names it) and state (always delivered). */
export type WireMessage = Omit<ChatMessage, 'room' | 'state' | 'error'>;

export type SendType = 'message' | 'action';

export type ClientMessage =
	/** First frame: who this page is. `instance` stays the same across reconnects of one page. */
	| {t: 'hello'; nick: string; instance: string}
	/** `since`: resume after what the page has; without it, the newest `history` lines. */
	| {t: 'join'; room: string; since?: Positions; history?: number; announce?: boolean; partitions?: number}
	| {t: 'leave'; room: string}
	| {t: 'send'; room: string; id: string; text: string; type: SendType}
	/** The page has shown everything up to this broker timestamp. */
	| {t: 'read'; room: string; ts: number}
	| {t: 'nick'; nick: string}
	| {t: 'rooms'};

export type RoomSummaryWire = {name: string; partitions: number};

export type ServerMessage =
	| {t: 'welcome'; nick: string; openRooms: string[]; rooms: RoomSummaryWire[]}
	| {t: 'rooms'; rooms: RoomSummaryWire[]}
	/** The room exists (created when missing); `limit` is its max.message.bytes, `mark` the nick's read mark. */
	| {t: 'joined'; room: string; limit: number; mark?: number}
	| {t: 'msgs'; room: string; m: WireMessage[]}
	/** Everything before `positions` has been sent: live from here. */
	| {t: 'live'; room: string; positions: Positions}
	| {t: 'room-failed'; room: string; error: string}
	/** The room's topic was deleted: the page keeps the room and says so (`reason`: Kafka's error, sanitised). */
	| {t: 'room-gone'; room: string; reason: string}
	/** A topic of the room's name is there again; unless `by` is same-topic it is a new topic, read from its beginning. */
	| {t: 'room-back'; room: string; by: ReturnedBy}
	| {t: 'delivered'; room: string; id: string; partition: number; offset: string; timestamp: number}
	| {t: 'failed'; room: string; id: string; error: string}
	/** The whole member list (when a page opens the room); then only what changed: */
	| {t: 'members'; room: string; members: Member[]}
	/** Members that came or changed (by nick), and nicks that left: a big room's list is not sent again whole. */
	| {t: 'members-changed'; room: string; changed: Member[]; gone: string[]}
	| {t: 'mark'; room: string; ts: number}
	| {t: 'nick'; nick: string}
	| {t: 'error'; error: string}
	| {t: 'health'; state: 'connecting' | 'online' | 'reconnecting' | 'offline'; reason?: string};

/** Limits on what a page may send (the gateway refuses more with a clear message). */
export const LIMITS = {
	/** Characters of one message's text; the room's max.message.bytes is checked as well. */
	textChars: 1_048_576,
	/** Bytes of one frame from a page (a 1 MiB message, JSON-escaped, fits). */
	frameBytes: 8 * 1_048_576,
	historyLines: 1000,
	partitions: 1000,
	/** Rooms one page may have open. */
	rooms: 100,
} as const;

const ID = /^[A-Za-z0-9_-]{8,64}$/;
const OFFSET = /^\d{1,19}$/;
const PARTITION = /^\d{1,5}$/;

type Fields = Record<string, unknown>;
/** A refused `send` names its room and id when they are readable, so the page can mark that line failed. */
export type Parsed = {ok: true; message: ClientMessage} | {ok: false; error: string; send?: {room: string; id: string}};

const fail = (error: string): Parsed => ({ok: false, error});

function positions(value: unknown): Positions | string {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'since must be an object of partition: offset';
	const entries = Object.entries(value as Fields);
	if (entries.length > LIMITS.partitions) return `since has more than ${LIMITS.partitions} partitions`;
	const out: Positions = {};
	for (const [partition, offset] of entries) {
		if (!PARTITION.test(partition) || typeof offset !== 'string' || !OFFSET.test(offset)) return 'since must map partition numbers to decimal offsets';
		out[partition] = offset;
	}
	return out;
}

function wholeNumber(value: unknown, min: number, max: number): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** One frame from a page, checked field by field; anything unexpected is an error naming what. */
export function parseClientMessage(raw: string): Parsed {
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		return fail('not JSON');
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not a JSON object');
	const f = value as Fields;
	const room = (): string | undefined => (typeof f['room'] === 'string' ? validateRoomName(f['room']) : 'room must be a string');
	switch (f['t']) {
		case 'hello': {
			if (typeof f['nick'] !== 'string') return fail('nick must be a string');
			const nickProblem = validateNick(f['nick']);
			if (nickProblem) return fail(nickProblem);
			if (typeof f['instance'] !== 'string' || !ID.test(f['instance'])) return fail('instance must be 8-64 of A-Z a-z 0-9 _ -');
			return {ok: true, message: {t: 'hello', nick: f['nick'], instance: f['instance']}};
		}
		case 'join': {
			const problem = room();
			if (problem) return fail(problem);
			const message: ClientMessage = {t: 'join', room: f['room'] as string};
			if (f['since'] !== undefined) {
				const since = positions(f['since']);
				if (typeof since === 'string') return fail(since);
				message.since = since;
			}
			if (f['history'] !== undefined) {
				if (!wholeNumber(f['history'], 0, LIMITS.historyLines)) return fail(`history must be a whole number from 0 to ${LIMITS.historyLines}`);
				message.history = f['history'];
			}
			if (f['partitions'] !== undefined) {
				if (!wholeNumber(f['partitions'], 1, LIMITS.partitions)) return fail(`partitions must be a whole number from 1 to ${LIMITS.partitions}`);
				message.partitions = f['partitions'];
			}
			if (f['announce'] !== undefined) {
				if (typeof f['announce'] !== 'boolean') return fail('announce must be true or false');
				message.announce = f['announce'];
			}
			return {ok: true, message};
		}
		case 'leave': {
			const problem = room();
			return problem ? fail(problem) : {ok: true, message: {t: 'leave', room: f['room'] as string}};
		}
		case 'send': {
			const problem = room();
			if (problem) return fail(problem);
			if (typeof f['id'] !== 'string' || !ID.test(f['id'])) return fail('id must be 8-64 of A-Z a-z 0-9 _ -');
			const refuse = (error: string): Parsed => ({ok: false, error, send: {room: f['room'] as string, id: f['id'] as string}});
			if (typeof f['text'] !== 'string') return refuse('text must be a string');
			if (f['text'].trim() === '') return refuse('text is empty');
			if (f['text'].length > LIMITS.textChars) return refuse(`text is longer than ${LIMITS.textChars.toLocaleString('en-US')} characters`);
			const type = f['type'] ?? 'message';
			if (type !== 'message' && type !== 'action') return refuse('type must be message or action');
			return {ok: true, message: {t: 'send', room: f['room'] as string, id: f['id'], text: f['text'], type}};
		}
		case 'read': {
			const problem = room();
			if (problem) return fail(problem);
			if (!wholeNumber(f['ts'], 0, Number.MAX_SAFE_INTEGER)) return fail('ts must be a timestamp in milliseconds');
			return {ok: true, message: {t: 'read', room: f['room'] as string, ts: f['ts']}};
		}
		case 'nick': {
			if (typeof f['nick'] !== 'string') return fail('nick must be a string');
			const problem = validateNick(f['nick']);
			return problem ? fail(problem) : {ok: true, message: {t: 'nick', nick: f['nick']}};
		}
		case 'rooms':
			return {ok: true, message: {t: 'rooms'}};
		default:
			return fail(typeof f['t'] === 'string' ? `unknown frame type "${f['t'].slice(0, 20).replace(/[^\x20-\x7e]/g, '?')}"` : 'frame has no type (t)');
	}
}

/** A message for the wire: the fields a page needs, nothing else. */
export function toWire(m: ChatMessage): WireMessage {
	const w: WireMessage = {id: m.id, user: m.user, type: m.type, text: m.text, timestamp: m.timestamp, partition: m.partition, offset: m.offset, foreign: m.foreign};
	if (m.sentAt !== undefined) w.sentAt = m.sentAt;
	return w;
}

/** A member list with a change applied, in the order the app lists members (by nick). */
export function applyMembers(members: readonly Member[], changed: readonly Member[], gone: readonly string[]): Member[] {
	const drop = new Set([...gone, ...changed.map(m => m.nick)]);
	return [...members.filter(m => !drop.has(m.nick)), ...changed].sort((a, b) => a.nick.localeCompare(b.nick));
}

/** Back from the wire, in a room. */
export function fromWire(room: string, w: WireMessage): ChatMessage {
	return {...w, room, state: 'delivered'};
}
