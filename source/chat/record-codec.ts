import type {ChatMessage, MessageType, OutgoingRecord, RawRecord} from './message.js';
import {validateNick} from './names.js';
import {
	MAX_DISPLAY_CHARS,
	decodeUtf8,
	sanitizeBytes,
	sanitizeNick,
	sanitizeRoomName,
	sanitizeText,
	truncateText,
	truncationNote,
	utf8ByteLength,
} from './sanitize.js';
import {isSystemType, systemText} from './system-line.js';

// The wire format (DESIGN.md, "Kafka mapping"): key = sender's nick, value = the text as plain UTF-8
// (what the original Python producer sends), kchat metadata in headers.

export {utf8ByteLength};

export const HEADER_ID = 'kchat-id';
export const HEADER_USER = 'kchat-user';
export const HEADER_TYPE = 'kchat-type';
export const HEADER_SENT_AT = 'kchat-sent-at';
/** On a `nick` record (sent under the old nick): the nick its sender goes by from now on. */
export const HEADER_NEW_NICK = 'kchat-new-nick';

export const MESSAGE_TYPES: readonly MessageType[] = ['message', 'action', 'join', 'leave', 'nick', 'quit'];
/** Per-record bytes beyond key, value and headers (record and batch framing), for recordSizeEstimate. */
export const RECORD_OVERHEAD_BYTES = 100;
const MAX_ID_CHARS = 128;
/**
 * Bytes of a value decoded for display: any UTF-8 text gives at least MAX_DISPLAY_CHARS chars from this many
 * bytes, so decoding more could only show more after escape sequences shrank; the note still gives the full size.
 */
const MAX_DECODE_BYTES = MAX_DISPLAY_CHARS * 4;

export type OutgoingMessage = {id: string; user: string; type: MessageType; text: string; sentAt: number; newNick?: string};

export function encodeRecord(m: OutgoingMessage): OutgoingRecord {
	const headers: Record<string, string> = {
		[HEADER_ID]: m.id,
		[HEADER_USER]: m.user,
		[HEADER_TYPE]: m.type,
		[HEADER_SENT_AT]: String(m.sentAt),
	};
	if (m.newNick !== undefined) headers[HEADER_NEW_NICK] = m.newNick;
	return {key: m.user, value: m.text, headers};
}

/** Bytes the record will take on the wire, near enough to refuse a message over the broker's limit before sending. */
export function recordSizeEstimate(rec: OutgoingRecord): number {
	let bytes = utf8ByteLength(rec.key) + utf8ByteLength(rec.value) + RECORD_OVERHEAD_BYTES;
	for (const [name, value] of Object.entries(rec.headers)) bytes += utf8ByteLength(name) + utf8ByteLength(value);
	return bytes;
}

const strictDecoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});

/** The bytes as text when they are valid UTF-8, else undefined. */
function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (!(value instanceof Uint8Array)) return undefined;
	try {
		return strictDecoder.decode(value);
	} catch {
		return undefined;
	}
}

/** A header's value: the first one when the header is repeated (kafkajs gives an array), undefined if absent. */
function header(r: RawRecord, name: string): unknown {
	const headers: unknown = r.headers;
	if (typeof headers !== 'object' || headers === null || !Object.hasOwn(headers, name)) return undefined;
	const value: unknown = (headers as Record<string, unknown>)[name];
	return Array.isArray(value) ? value[0] : value;
}

/** A header's value as text; bytes that are not UTF-8 are escaped (`\xNN`) rather than dropped. */
function headerText(r: RawRecord, name: string): string | undefined {
	const value = header(r, name);
	if (typeof value === 'string') return value;
	return value instanceof Uint8Array ? decodeUtf8(value) : undefined;
}

function displayText(value: unknown): string {
	if (!(value instanceof Uint8Array) || value.length === 0) return '';
	// Decode only what can be displayed, cut back to the start of a UTF-8 sequence.
	let end = value.length;
	if (end > MAX_DECODE_BYTES) {
		end = MAX_DECODE_BYTES;
		for (let k = 0; k < 3 && (value[end]! & 0xc0) === 0x80; k++) end--;
	}
	const text = sanitizeBytes(value.subarray(0, end));
	if (end < value.length && text.length <= MAX_DISPLAY_CHARS) return text + truncationNote(value.length);
	return truncateText(text, MAX_DISPLAY_CHARS, value.length);
}

/** A Kafka offset as a decimal string ('0' for anything else, so ordering never sees garbage). */
function decimal(value: unknown): string {
	const s = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
	return /^-?\d{1,20}$/.test(s) ? s : '0';
}

/** Milliseconds from a number or decimal string; undefined for anything else (NaN, '', -1 = no timestamp). */
function millis(value: unknown): number | undefined {
	const ms = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value.trim()) ? Number(value) : NaN;
	return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

const isNick = (name: string | undefined): name is string => name !== undefined && validateNick(name) === undefined;

/**
 * Whether a record is shaped as kchat writes it: every kchat header, a known type, and the key equal to
 * `kchat-user`, both a valid nick. Anything else came from another client (or a forger) and is marked.
 * Shape is all a reader can check: Kafka records no producer identity (see the README's "Who sent a message").
 */
function kchatShaped(r: RawRecord, id: string | undefined, user: string | undefined, type: string | undefined, sentAt: number | undefined): boolean {
	if (!id || !isNick(user) || textOf(r.key) !== user || sentAt === undefined) return false;
	if (!MESSAGE_TYPES.includes(type as MessageType)) return false;
	return type !== 'nick' || isNick(textOf(header(r, HEADER_NEW_NICK)));
}

/** The id of a record without a `kchat-id`: its position, unique only within one topic of that name. */
export function positionalId(room: string, partition: number, offset: string): string {
	return `${room}/${partition}/${offset}`;
}

/** A Kafka record as a chat message, every string sanitised. Never throws: one bad record must not stop a room. */
export function decodeRecord(r: RawRecord): ChatMessage {
	const partition = Number.isSafeInteger(r?.partition) ? r.partition : 0;
	const offset = decimal(r?.offset);
	const room = sanitizeRoomName(typeof r?.topic === 'string' ? r.topic : '');
	const fallbackId = positionalId(room, partition, offset);
	try {
		const rawId = headerText(r, HEADER_ID);
		const id = rawId ? sanitizeText(rawId.slice(0, MAX_ID_CHARS)).replace(/\n/g, '␊').slice(0, MAX_ID_CHARS) : '';
		const headerUser = textOf(header(r, HEADER_USER));
		const user = headerUser ?? textOf(r.key);
		const rawType = headerText(r, HEADER_TYPE);
		const type = rawType?.trim() as MessageType | undefined;
		const sentAt = millis(headerText(r, HEADER_SENT_AT));
		const nick = user === undefined ? '?' : sanitizeNick(user);
		const lineType = type && MESSAGE_TYPES.includes(type) ? type : 'message';
		const newNick = textOf(header(r, HEADER_NEW_NICK));
		const message: ChatMessage = {
			id: id || fallbackId,
			room,
			user: nick,
			type: lineType,
			// A system line's text is kchat's own wording: the record's value is whatever its writer put there.
			text: isSystemType(lineType) ? systemText(lineType, nick, room, newNick === undefined ? undefined : sanitizeNick(newNick)) : displayText(r.value),
			timestamp: millis(r.timestamp) ?? Date.now(),
			partition,
			offset,
			state: 'delivered',
			foreign: !kchatShaped(r, rawId, headerUser, rawType, sentAt),
		};
		if (sentAt !== undefined) message.sentAt = sentAt;
		return message;
	} catch {
		// Unreachable for records kafkajs produces; the last line of defence for anything else.
		return {id: fallbackId, room, user: '?', type: 'message', text: '', timestamp: Date.now(), partition, offset, state: 'delivered', foreign: true};
	}
}
