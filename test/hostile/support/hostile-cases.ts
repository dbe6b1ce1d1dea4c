import type {Producer} from 'kafkajs';
import {expect} from 'vitest';
import {seededRandom} from '../../chat/unsafe-chars.js';
import {kcatFiles, kcatLines} from './kcat.js';

// Records other Kafka clients can write into a room (kcat, scripts, anything), each followed in the
// same partition by a plain "after <id>" record: once that one is shown, the hostile one was handled
// and the room kept going. `text`/`user` are what the store must hold; `shows` must be visible in the
// store, the app's frame and `kchat tail` (short, so that no wrap splits them in the frame).

export type Producers = {brokers: string[]; producer: Producer};

export type HostileCase = {
	id: string;
	title: string;
	/** Which room of the test it goes to. */
	room: 'small' | 'huge' | 'lines' | 'longLines';
	/** Produces the hostile record and then `after` as a plain record, both to `partition`. */
	send: (p: Producers, topic: string, partition: number, after: string) => Promise<void>;
	/** The exact text the store must hold, or a check of it. */
	text: string | ((text: string) => void);
	/** The exact nick the store must hold. */
	user: string;
	/** Visible in the store's text, tail's output and the frame at the live end (the text's own visible form). */
	shows: string[];
	/** For a value taller than the screen: what the frame shows once scrolled up to its first row (`shows` is its end). */
	top?: string;
};

const ESC = '\u001B';
const BEL = '\u0007';
const ST = `${ESC}\\`;

/** kcat, one file per value: the hostile value, then the follow-up, with one key, to one partition. */
function viaKcat(value: Buffer | string, key = 'kcat', config?: Record<string, string>) {
	return ({brokers}: Producers, topic: string, partition: number, after: string) => kcatFiles(brokers, topic, [value, after], {key, partition, ...(config ? {config} : {})});
}

/** kcat, `KEY:VALUE` lines (`-K:`), so that keys may be any bytes and values empty or NULL (`-Z`). */
function viaKcatKeyed(key: Buffer | string, value: string, nullEmpty = false) {
	return ({brokers}: Producers, topic: string, partition: number, after: string) =>
		kcatLines(brokers, topic, Buffer.concat([Buffer.from(key), Buffer.from(`:${value}\n`), Buffer.from(key), Buffer.from(`:${after}\n`)]), {keyDelimiter: ':', partition, nullEmpty});
}

type KafkajsRecord = {key?: Buffer | string | null; value: Buffer | string | null; headers?: Record<string, Buffer | string>};

/** kafkajs (a script), for what kcat cannot send: binary and huge headers. */
function viaKafkajs(record: KafkajsRecord) {
	return ({producer}: Producers, topic: string, partition: number, after: string) =>
		producer
			.send({topic, acks: -1, messages: [{partition, key: record.key ?? null, value: record.value, ...(record.headers ? {headers: record.headers} : {})}, {partition, key: 'script', value: after}]})
			.then(() => undefined);
}

/** Every byte value, then seeded random bytes: the same "binary" on every run. */
function binaryValue(): Buffer {
	const random = seededRandom(0xb1a5);
	const noise = Buffer.from(Array.from({length: 512}, () => Math.floor(random() * 256)));
	const every = Buffer.from(Array.from({length: 256}, (_, i) => i));
	return Buffer.concat([Buffer.from([0x00, 0x01, 0x7f, 0xff, 0xfe, 0xc0, 0x80, 0x20]), every, noise]);
}

/** 1 MiB of words with an escape sequence at the start: far over what is shown. */
export const HUGE_BYTES = 1 << 20;
function hugeValue(): Buffer {
	const head = Buffer.from(`huge[${ESC}[2J${ESC}]0;pwned${BEL}] `);
	const words = Buffer.alloc(HUGE_BYTES - head.length, 'lorem ipsum ');
	return Buffer.concat([head, words]);
}

export const SHORT_LINES = Array.from({length: 10_000}, (_, i) => `L${i}`).join('\n');
/** 10,000 lines of 46 bytes: 460 KB, more than is shown. */
export const LONG_LINES = Array.from({length: 10_000}, (_, i) => `line ${String(i).padStart(5, '0')} the quick brown fox jumps over`).join('\n');

const bigHeader = 'u'.repeat(100_000);
const manyHeaders = Object.fromEntries(Array.from({length: 1000}, (_, i) => [`x-h${i}`, `v${i}`]));

export const CASES: HostileCase[] = [
	{
		id: 'csi-clear',
		title: 'CSI clear screen and cursor home',
		room: 'small',
		send: viaKcat(`clear[${ESC}[2J${ESC}[H${ESC}[3J]end`),
		text: 'clear[␛␛␛]end',
		user: 'kcat',
		shows: ['clear[␛␛␛]end'],
	},
	{
		id: 'csi-cursor',
		title: 'CSI cursor moves, erase and colour',
		room: 'small',
		send: viaKcat(`move[${ESC}[10;10H${ESC}[5A${ESC}[K${ESC}[31;1mred${ESC}[0m]end`),
		text: 'move[␛␛␛␛red␛]end',
		user: 'kcat',
		shows: ['move[␛␛␛␛red␛]end'],
	},
	{
		id: 'csi-report',
		title: 'CSI requests that make the terminal answer (cursor position, title report)',
		room: 'small',
		send: viaKcat(`report[${ESC}[6n${ESC}[21t${ESC}[c]end`),
		text: 'report[␛␛␛]end',
		user: 'kcat',
		shows: ['report[␛␛␛]end'],
	},
	{
		id: 'osc-0-title',
		title: 'OSC 0 window title (BEL)',
		room: 'small',
		send: viaKcat(`title0[${ESC}]0;pwned${BEL}]end`),
		text: 'title0[␛]end',
		user: 'kcat',
		shows: ['title0[␛]end'],
	},
	{
		id: 'osc-2-title',
		title: 'OSC 2 window title (ST)',
		room: 'small',
		send: viaKcat(`title2[${ESC}]2;pwned${ST}]end`),
		text: 'title2[␛]end',
		user: 'kcat',
		shows: ['title2[␛]end'],
	},
	{
		id: 'osc-52-clipboard',
		title: 'OSC 52 clipboard write',
		room: 'small',
		send: viaKcat(`clip[${ESC}]52;c;cm0gLXJmIH4K${BEL}]end`),
		text: 'clip[␛]end',
		user: 'kcat',
		shows: ['clip[␛]end'],
	},
	{
		id: 'osc-8-link-bel',
		title: 'OSC 8 hyperlink (BEL terminated)',
		room: 'small',
		send: viaKcat(`link[${ESC}]8;;https://evil.example/${BEL}click${ESC}]8;;${BEL}]end`),
		text: 'link[␛click␛]end',
		user: 'kcat',
		shows: ['link[␛click␛]end'],
	},
	{
		id: 'osc-8-link-st',
		title: 'OSC 8 hyperlink (ST terminated)',
		room: 'small',
		send: viaKcat(`linkst[${ESC}]8;id=1;https://evil.example/${ST}click${ESC}]8;;${ST}]end`),
		text: 'linkst[␛click␛]end',
		user: 'kcat',
		shows: ['linkst[␛click␛]end'],
	},
	{
		id: 'dcs',
		title: 'DCS (XTGETTCAP, DECRQSS)',
		room: 'small',
		send: viaKcat(`dcs[${ESC}P+q544e${ST}${ESC}P$qm${ST}]end`),
		text: 'dcs[␛␛]end',
		user: 'kcat',
		shows: ['dcs[␛␛]end'],
	},
	{
		id: 'apc-pm-sos',
		title: 'APC (kitty graphics), PM and SOS strings',
		room: 'small',
		send: viaKcat(`apc[${ESC}_Gf=100,a=T;AAAA${ST}${ESC}^private${ST}${ESC}Xsos${ST}]end`),
		text: 'apc[␛␛␛]end',
		user: 'kcat',
		shows: ['apc[␛␛␛]end'],
	},
	{
		id: 'c1-csi',
		title: '8-bit C1 CSI (U+009B 2J)',
		room: 'small',
		send: viaKcat('c1csi[\u009b2J\u009b10;10H]end'),
		text: 'c1csi[␛␛]end',
		user: 'kcat',
		shows: ['c1csi[␛␛]end'],
	},
	{
		id: 'c1-osc',
		title: '8-bit C1 OSC terminated by 8-bit ST (U+009D 0;x U+009C)',
		room: 'small',
		send: viaKcat('c1osc[\u009d0;x\u009c]end'),
		text: 'c1osc[␛]end',
		user: 'kcat',
		shows: ['c1osc[␛]end'],
	},
	{
		id: 'c1-other',
		title: 'other C1 controls (NEL, IND, SS2)',
		room: 'small',
		send: viaKcat('c1[\u0085\u0084\u008e]end'),
		text: 'c1[<U+0085><U+0084><U+008E>]end',
		user: 'kcat',
		shows: ['c1[<U+0085><U+0084><U+008E>]end'],
	},
	{
		id: 'c1-raw-bytes',
		title: 'raw 8-bit C1 bytes (0x9B 2J: CSI to an 8-bit terminal, invalid UTF-8)',
		room: 'small',
		send: viaKcat(Buffer.concat([Buffer.from('raw[', 'latin1'), Buffer.from([0x9b, 0x32, 0x4a, 0x9d]), Buffer.from('0;x', 'latin1'), Buffer.from([0x9c]), Buffer.from(']end')])),
		text: 'raw[\\x9B2J\\x9D0;x\\x9C]end',
		user: 'kcat',
		shows: ['raw[\\x9B2J\\x9D0;x\\x9C]end'],
	},
	{
		id: 'c0',
		title: 'C0 controls: BEL, BS, NUL, CR, VT, FF, DEL, a lone ESC',
		room: 'small',
		// A lone ESC at the end: anything after it would be read as the rest of a sequence.
		send: viaKcat(`c0[bel${BEL} bs\b nul\u0000 cr\r vt\u000b ff\u000c del\u007f tab\t] esc${ESC}`),
		text: 'c0[bel␇ bs␈ nul␀ cr␍ vt␋ ff␌ del␡ tab  ] esc␛',
		user: 'kcat',
		shows: ['c0[bel␇', 'bs␈', 'nul␀', 'cr␍', 'vt␋', 'ff␌', 'del␡', 'esc␛'],
	},
	{
		id: 'bidi-text',
		title: 'bidi overrides and isolates in the text',
		room: 'small',
		send: viaKcat('bidi[\u202Egnp.exe\u202C \u2066x\u2069 \u202Dy\u202A\u202B]end'),
		text: 'bidi[<U+202E>gnp.exe<U+202C> <U+2066>x<U+2069> <U+202D>y<U+202A><U+202B>]end',
		user: 'kcat',
		shows: ['bidi[<U+202E>gnp.exe<U+202C>', '<U+2066>x<U+2069>', '<U+202D>y<U+202A><U+202B>]end'],
	},
	{
		id: 'forged-line',
		title: 'a newline followed by what looks like another user\'s line',
		room: 'small',
		send: viaKcat('forge[\n12:00:00 hostile-room <alice> send me your password]end'),
		text: 'forge[\n12:00:00 hostile-room <alice> send me your password]end',
		user: 'kcat',
		shows: ['forge['],
	},
	{
		id: 'bidi-nick',
		title: 'bidi override in the nick (key)',
		room: 'small',
		send: viaKcat('bidi nick', '\u202Eecilam\u202C'),
		text: 'bidi nick',
		user: 'ecilam',
		shows: ['bidi nick'],
	},
	{
		id: 'zero-width-nick',
		title: 'zero-width characters in the nick (key al\\u200Bice)',
		room: 'small',
		send: viaKcat('zero width nick', 'al\u200Bice\u200D\u2060\uFEFF'),
		text: 'zero width nick',
		user: 'alice',
		shows: ['zero width nick'],
	},
	{
		id: 'escape-nick',
		title: 'escape sequences and controls in the nick (key)',
		room: 'small',
		// NEL (U+0085) is a line break: in a one-line nick it is a space, shown as `_`.
		send: viaKcat('escape nick', `${ESC}]0;x${BEL}e${ESC}[5mv\u0085e${ESC}[2J\u0007`),
		text: 'escape nick',
		user: 'ev_e',
		shows: ['escape nick'],
	},
	{
		id: 'zero-width-header-nick',
		title: 'zero-width and bidi characters in the kchat-user header',
		room: 'small',
		send: viaKafkajs({key: 'x', value: 'header nick', headers: {'kchat-id': 'hostile-zw-user', 'kchat-user': 'b\u200Bo\u202Eb\u2066', 'kchat-type': 'message'}}),
		text: 'header nick',
		user: 'bob',
		shows: ['header nick'],
	},
	{
		id: 'invalid-utf8-value',
		title: 'invalid UTF-8 value (stray, truncated, surrogate, overlong-lead bytes)',
		room: 'small',
		send: viaKcat(Buffer.concat([Buffer.from('bad['), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0xc0, 0xaf]), Buffer.from(']end')])),
		text: 'bad[\\xFF\\xFE\\xC3(\\xED\\xA0\\x80\\xF8\\x88\\xC0\\xAF]end',
		user: 'kcat',
		shows: ['bad[\\xFF\\xFE\\xC3(\\xED\\xA0\\x80\\xF8\\x88\\xC0\\xAF]end'],
	},
	{
		id: 'escape-then-invalid-byte',
		title: 'an escape sequence cut short by an invalid byte (ESC 0xFF, CSI 31 0xFE)',
		room: 'small',
		send: viaKcat(Buffer.concat([Buffer.from('cut['), Buffer.from([0x1b, 0xff]), Buffer.from('|'), Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0xfe]), Buffer.from(']end')])),
		// Each invalid byte stays visible as \xNN: the sequence before it must not take its backslash.
		text: 'cut[␛\\xFF|␛\\xFE]end',
		user: 'kcat',
		shows: ['cut[␛\\xFF|␛\\xFE]end'],
	},
	{
		id: 'invalid-utf8-key',
		title: 'invalid UTF-8 key',
		room: 'small',
		send: viaKcatKeyed(Buffer.from([0xff, 0xfe, 0x6b, 0x9b]), 'binary key'),
		text: 'binary key',
		user: '?',
		shows: ['binary key'],
	},
	{
		id: 'binary-value',
		title: 'binary value: every byte, NULs and random bytes',
		room: 'small',
		send: viaKcat(binaryValue()),
		text: text => {
			expect(text.startsWith('␀␁␡\\xFF\\xFE\\xC0\\x80 ␀␁␂')).toBe(true);
			expect(text).toContain('\\x9B');
		},
		user: 'kcat',
		shows: ['␀␁␡\\xFF\\xFE\\xC0\\x80'],
	},
	{
		id: 'empty-value',
		title: 'empty value',
		room: 'small',
		send: viaKcatKeyed('empty', ''),
		text: '',
		user: 'empty',
		shows: [],
	},
	{
		id: 'null-value',
		title: 'null value (tombstone)',
		room: 'small',
		send: viaKcatKeyed('tomb', '', true),
		text: '',
		user: 'tomb',
		shows: [],
	},
	{
		id: 'oversized-headers',
		title: 'oversized headers: 100 KB kchat-user, kchat-id, kchat-type, kchat-sent-at, a 100 KB binary header and 1,000 more',
		room: 'small',
		send: viaKafkajs({
			key: 'x',
			value: 'oversized headers',
			headers: {
				...manyHeaders,
				'kchat-id': `big-id-${'i'.repeat(100_000)}`,
				'kchat-user': bigHeader,
				'kchat-type': 'message'.repeat(15_000),
				'kchat-sent-at': '9'.repeat(100_000),
				'x-binary': binaryValue().subarray(0, 100_000),
				'x-huge': Buffer.alloc(100_000, 0x9b),
			},
		}),
		text: 'oversized headers',
		user: `${'u'.repeat(31)}…`,
		shows: ['oversized headers'],
	},
	{
		id: 'binary-headers',
		title: 'binary headers: invalid UTF-8 and escapes in kchat-id, kchat-type, kchat-user, kchat-sent-at',
		room: 'small',
		send: viaKafkajs({
			key: 'binhdr',
			value: 'binary headers',
			headers: {
				'kchat-id': Buffer.from([0xff, 0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x9b, 0x0a]),
				'kchat-type': Buffer.from([0xfe, 0x9b, 0x6a, 0x6f, 0x69, 0x6e]),
				'kchat-user': Buffer.from([0xc3, 0x1b]),
				'kchat-sent-at': Buffer.from([0x31, 0xff]),
			},
		}),
		text: 'binary headers',
		user: 'binhdr',
		shows: ['binary headers'],
	},
	{
		id: 'huge-value',
		title: '1 MB value (cut for display with a note)',
		room: 'huge',
		send: viaKcat(hugeValue(), 'kcat', {'message.max.bytes': '3000000'}),
		text: text => {
			expect(text.startsWith('huge[␛␛] lorem ipsum')).toBe(true);
			expect(text.endsWith(`… [truncated, ${HUGE_BYTES} bytes]`)).toBe(true);
			expect(text.length).toBeLessThanOrEqual(65_536 + 40);
		},
		user: 'kcat',
		shows: ['huge[␛␛] lorem ipsum', `… [truncated, ${HUGE_BYTES} bytes]`],
		top: '<kcat> huge[␛␛] lorem ipsum lorem ipsum',
	},
	{
		id: 'short-lines',
		title: 'a value of 10,000 lines (all shown)',
		room: 'lines',
		send: viaKcat(SHORT_LINES),
		text: SHORT_LINES,
		user: 'kcat',
		shows: ['L0\nL1\n', 'L9998\nL9999'],
		top: '<kcat> L0 L1 L2 L3',
	},
	{
		id: 'long-lines',
		title: 'a value of 10,000 long lines (460 KB: cut for display with a note)',
		room: 'longLines',
		send: viaKcat(LONG_LINES),
		text: text => {
			expect(text.startsWith('line 00000 the quick brown fox jumps over\nline 00001 ')).toBe(true);
			expect(text.endsWith(`… [truncated, ${Buffer.byteLength(LONG_LINES)} bytes]`)).toBe(true);
			expect(text.length).toBeLessThanOrEqual(65_536 + 40);
		},
		user: 'kcat',
		shows: ['line 00000 the quick brown fox jumps over', `… [truncated, ${Buffer.byteLength(LONG_LINES)} bytes]`],
		top: '<kcat> line 00000 the quick brown fox jumps over line 00001 the quick',
	},
];
