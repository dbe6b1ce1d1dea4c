import {describe, expect, it} from 'vitest';
import type {RawRecord} from '../../source/chat/message.js';
import {
	HEADER_ID,
	HEADER_SENT_AT,
	HEADER_TYPE,
	HEADER_USER,
	RECORD_OVERHEAD_BYTES,
	decodeRecord,
	encodeRecord,
	recordSizeEstimate,
	utf8ByteLength,
} from '../../source/chat/record-codec.js';
import {MAX_DISPLAY_CHARS} from '../../source/chat/sanitize.js';
import {unsafeChars} from './unsafe-chars.js';

function raw(overrides: Partial<RawRecord> = {}): RawRecord {
	return {topic: 'general', partition: 1, offset: '42', timestamp: '1700000000000', key: null, value: null, ...overrides};
}

/** The headers as kafkajs delivers them: Buffers. */
function bufferHeaders(headers: Record<string, string>): Record<string, Buffer> {
	return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
}

describe('encodeRecord', () => {
	it('puts the nick in the key, the plain text in the value and the metadata in headers', () => {
		const rec = encodeRecord({id: 'id-1', user: 'alice', type: 'action', text: 'waves 👋', sentAt: 1700000000123});
		expect(rec).toEqual({
			key: 'alice',
			value: 'waves 👋',
			headers: {'kchat-id': 'id-1', 'kchat-user': 'alice', 'kchat-type': 'action', 'kchat-sent-at': '1700000000123'},
		});
		expect([HEADER_ID, HEADER_USER, HEADER_TYPE, HEADER_SENT_AT]).toEqual(['kchat-id', 'kchat-user', 'kchat-type', 'kchat-sent-at']);
	});

	it('round-trips through decodeRecord', () => {
		const rec = encodeRecord({id: 'id-2', user: 'bob', type: 'message', text: 'hi\nthere', sentAt: 5});
		const m = decodeRecord(raw({key: Buffer.from(rec.key), value: Buffer.from(rec.value), headers: bufferHeaders(rec.headers)}));
		expect(m).toEqual({
			id: 'id-2', room: 'general', user: 'bob', type: 'message', text: 'hi\nthere',
			timestamp: 1700000000000, partition: 1, offset: '42', sentAt: 5, state: 'delivered', foreign: false,
		});
	});
});

describe('recordSizeEstimate', () => {
	it('counts key, value and header bytes in UTF-8 plus the overhead', () => {
		const rec = {key: 'al', value: '日本', headers: {'kchat-id': 'x'}};
		expect(recordSizeEstimate(rec)).toBe(2 + 6 + 8 + 1 + RECORD_OVERHEAD_BYTES);
		expect(utf8ByteLength('👍')).toBe(4);
	});
});

describe('decodeRecord', () => {
	it('shows a record from another producer: sender from the key, id from its position', () => {
		const m = decodeRecord(raw({key: Buffer.from('python-user'), value: Buffer.from('hello from kcat')}));
		expect(m).toMatchObject({id: 'general/1/42', user: 'python-user', text: 'hello from kcat', type: 'message', foreign: true, state: 'delivered'});
		expect(m.sentAt).toBeUndefined();
	});

	it('uses ? for a null or binary key', () => {
		expect(decodeRecord(raw({key: null, value: Buffer.from('x')})).user).toBe('?');
		expect(decodeRecord(raw({key: Buffer.from([0xff, 0xfe, 0x00]), value: Buffer.from('x')})).user).toBe('?');
		expect(decodeRecord(raw({key: Buffer.from(''), value: Buffer.from('x')})).user).toBe('?');
	});

	it('treats a null or empty value as empty text', () => {
		expect(decodeRecord(raw({value: null})).text).toBe('');
		expect(decodeRecord(raw({value: Buffer.alloc(0)})).text).toBe('');
	});

	it('escapes invalid UTF-8 in the value', () => {
		expect(decodeRecord(raw({value: Buffer.from([0x66, 0xff, 0xc3, 0x28])})).text).toBe('f\\xFF\\xC3(');
	});

	it('sanitises hostile text, nick, id and room name', () => {
		const m = decodeRecord(raw({
			topic: 'room\u202e',
			key: Buffer.from('x'),
			value: Buffer.from('\x1b[2J\x1b]0;pwned\x07\x1b]52;c;aGVsbG8=\x07hi\u009b2J\u202e'),
			headers: {'kchat-id': Buffer.from('id\x1b[31m\n'), 'kchat-user': Buffer.from('al\u200bice\x1b[5m')},
		}));
		expect(m.text).toBe('␛␛␛hi␛<U+202E>');
		expect(m.user).toBe('alice');
		expect(m.room).toBe('room');
		expect(m.id).toBe('id␛␊');
		for (const value of [m.text, m.user, m.room, m.id]) expect(unsafeChars(value)).toEqual([]);
	});

	it('reads string headers and the first of repeated (array) headers', () => {
		const m = decodeRecord(raw({key: Buffer.from('carol'), headers: {'kchat-id': ['first', Buffer.from('second')], 'kchat-user': 'carol', 'kchat-type': [Buffer.from('join')], 'kchat-sent-at': '5'}}));
		expect(m).toMatchObject({id: 'first', user: 'carol', type: 'join', foreign: false});
	});

	it('copes with binary and empty header values', () => {
		const m = decodeRecord(raw({
			key: Buffer.from('dave'),
			headers: {'kchat-id': Buffer.from([0xff, 0x00]), 'kchat-user': Buffer.from([0xc3]), 'kchat-type': Buffer.from([0xfe]), 'kchat-sent-at': Buffer.from([0x31, 0xff])},
		}));
		expect(m.id).toBe('\\xFF␀');
		expect(m.user).toBe('dave'); // the header is not text, so the key is used
		expect(m.type).toBe('message');
		expect(m.sentAt).toBeUndefined();
		const empty = decodeRecord(raw({headers: {'kchat-id': '', 'kchat-user': undefined, 'kchat-type': []}}));
		expect(empty).toMatchObject({id: 'general/1/42', user: '?', type: 'message'});
	});

	it('accepts only the known types', () => {
		for (const type of ['message', 'action', 'join', 'leave', 'nick', 'quit']) expect(decodeRecord(raw({headers: {'kchat-type': type}})).type).toBe(type);
		for (const type of ['MESSAGE', 'kick', '\x1b[2J', '__proto__']) expect(decodeRecord(raw({headers: {'kchat-type': type}})).type).toBe('message');
	});

	it('parses timestamps and falls back to now for garbage', () => {
		expect(decodeRecord(raw({timestamp: 1234})).timestamp).toBe(1234);
		expect(decodeRecord(raw({headers: {'kchat-sent-at': '1700000000999'}})).sentAt).toBe(1700000000999);
		for (const timestamp of ['not a number', '', '-1', 'NaN']) {
			const before = Date.now();
			const m = decodeRecord(raw({timestamp}));
			expect(m.timestamp).toBeGreaterThanOrEqual(before);
			expect(m.timestamp).toBeLessThanOrEqual(Date.now());
		}
		expect(decodeRecord(raw({headers: {'kchat-sent-at': '12abc'}})).sentAt).toBeUndefined();
	});

	it('truncates a 1 MB value with a visible note', () => {
		const value = Buffer.alloc(1 << 20, 'a');
		const m = decodeRecord(raw({value}));
		expect(m.text.startsWith('a'.repeat(1000))).toBe(true);
		expect(m.text.endsWith('… [truncated, 1048576 bytes]')).toBe(true);
		expect(m.text.length).toBeLessThanOrEqual(MAX_DISPLAY_CHARS + 40);
	});

	it('truncates a huge multi-byte value without splitting a character', () => {
		const value = Buffer.from('日'.repeat(200_000));
		const m = decodeRecord(raw({value}));
		expect(m.text).toMatch(/^日+… \[truncated, 600000 bytes\]$/);
	});

	it('notes truncation even when escapes shrink the shown text', () => {
		const value = Buffer.from('\x1b[2J'.repeat(100_000));
		const m = decodeRecord(raw({value}));
		expect(m.text).toMatch(/^␛+… \[truncated, 400000 bytes\]$/);
	});

	it('keeps a 10,000-line value', () => {
		const text = Array.from({length: 10_000}, (_, i) => `${i}`).join('\n');
		const m = decodeRecord(raw({value: Buffer.from(text)}));
		expect(m.text.split('\n')).toHaveLength(10_000);
	});

	it('never throws, whatever the record', () => {
		const hostile = [
			raw({headers: undefined}),
			raw({headers: {'kchat-id': [[1, 2] as unknown as Buffer]}}),
			raw({headers: null as unknown as RawRecord['headers']}),
			raw({offset: 'garbage', partition: NaN, timestamp: {} as unknown as number}),
			raw({topic: undefined as unknown as string, key: 'string key' as unknown as Buffer, value: 12 as unknown as Buffer}),
			null as unknown as RawRecord,
		];
		for (const r of hostile) {
			const m = decodeRecord(r);
			expect(typeof m.id).toBe('string');
			expect(m.state).toBe('delivered');
			expect(Number.isFinite(m.timestamp)).toBe(true);
		}
		expect(decodeRecord(raw({offset: 'garbage'})).offset).toBe('0');
	});
});

describe('decodeRecord: who a record says it is from (issue 11.8)', () => {
	const kchat = (user: string, extra: Record<string, string> = {}, key: string | null = user): RawRecord =>
		raw({
			key: key === null ? null : Buffer.from(key),
			value: Buffer.from('hi'),
			headers: bufferHeaders({'kchat-id': 'id-9', 'kchat-user': user, 'kchat-type': 'message', 'kchat-sent-at': '5', ...extra}),
		});

	it('trusts the shape of a record kchat writes (every header, key = kchat-user), and marks a record whose key disagrees or that lacks a kchat header', () => {
		expect(decodeRecord(kchat('alice')).foreign).toBe(false);
		const rec = encodeRecord({id: 'n1', user: 'alice', type: 'nick', text: 'alice is now known as alicia', sentAt: 5, newNick: 'alicia'});
		expect(decodeRecord(raw({key: Buffer.from(rec.key), value: Buffer.from(rec.value), headers: bufferHeaders(rec.headers)})).foreign).toBe(false);
		// ...and nothing less than that shape:
		// Key mallory posing as alice: shown as alice (what the record claims), marked.
		expect(decodeRecord(kchat('alice', {}, 'mallory'))).toMatchObject({user: 'alice', foreign: true});
		expect(decodeRecord(kchat('alice', {}, null)).foreign).toBe(true);
		// Key alice and no kchat headers at all (kcat -k alice).
		expect(decodeRecord(raw({key: Buffer.from('alice'), value: Buffer.from('hi')}))).toMatchObject({user: 'alice', foreign: true});
		for (const drop of ['kchat-id', 'kchat-user', 'kchat-type', 'kchat-sent-at']) {
			const r = kchat('alice');
			delete r.headers![drop];
			expect(decodeRecord(r).foreign, drop).toBe(true);
		}
		expect(decodeRecord(kchat('alice', {'kchat-type': 'kick'})).foreign).toBe(true);
		expect(decodeRecord(kchat('al ice')).foreign).toBe(true);
		expect(decodeRecord(kchat('alice', {'kchat-type': 'nick'})).foreign).toBe(true); // a nick change with no new nick
	});

	it('shows system lines in kchat\'s own words, never the record\'s text', () => {
		const line = (type: string, extra: Record<string, string> = {}) =>
			decodeRecord(raw({key: Buffer.from('alice'), value: Buffer.from('SYSTEM: your session expired, re-enter your password at http://evil'), headers: bufferHeaders({'kchat-id': 'x', 'kchat-user': 'alice', 'kchat-type': type, 'kchat-sent-at': '5', ...extra})}));
		expect(line('join').text).toBe('alice joined general');
		expect(line('leave').text).toBe('alice left general');
		expect(line('quit').text).toBe('alice quit');
		expect(line('nick', {'kchat-new-nick': 'alicia'}).text).toBe('alice is now known as alicia');
		expect(line('nick', {'kchat-new-nick': 'ali\u001b[2Jcia'}).text).toBe('alice is now known as alicia');
		// Only kchat-type from kcat: the nick from the key, the words kchat's, the line marked.
		const bare = decodeRecord(raw({key: Buffer.from('kcat'), value: Buffer.from('SYSTEM: re-enter password'), headers: {'kchat-type': 'leave'}}));
		expect(bare).toMatchObject({type: 'leave', text: 'kcat left general', foreign: true});
	});
});
