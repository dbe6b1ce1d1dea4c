import {wallClock} from './e2e-receiver.js';
import {answer, commands} from './child.js';
import {round} from './stats.js';
import {LoadClient} from './ws-load-client.js';

// A load generator of `kchat bench --serve`, a process of its own (`kchat bench --internal
// serve-clients`): N WebSocket clients that behave as pages do (the page's Origin, the kchat.v1
// subprotocol, hello, join), each timing every message from the sender's clock reading (carried in the
// text, `e2e <seq> <ms> `) to the moment its socket delivers the frame. The bench runs two of them, each
// with half the clients: a browser tab reads one socket, not a thousand, and one process reading them
// all would queue most clients' frames behind the others' and count that wait as latency.

/** Latencies rounded to 0.01 ms, as [ms, how many], ascending: merged over the load generators. */
export type LatencyCounts = Array<[number, number]>;

/** What one load generator answers. */
export type ServeClientsPart = {
	latencies: LatencyCounts;
	/** The same frames timed from the broker's append time (the record's LogAppendTime): the gateway's part, and the socket's. */
	fromKafka: LatencyCounts;
	clients: number;
	/** Messages each client should have had. */
	expected: number;
	/** Messages short of clients × expected, and messages a client got twice. */
	lost: number;
	duplicates: number;
	/** From the first connection to every client live in the room. */
	connectMs: number;
	/** This process (the load generator) while the messages flowed, in % of one core: it must not be what is measured. */
	loadCpuPercent: number;
};

/** Connections opened at once (each a TCP and WebSocket handshake). */
const WAVE = 50;
const TEXT_MARK = Buffer.from('"text":"e2e ');
/** The record's broker timestamp (the room's LogAppendTime), after its text. */
const TIMESTAMP_MARK = Buffer.from('"timestamp":');
const MSGS = Buffer.from('{"t":"msgs"');
const WELCOME = Buffer.from('{"t":"welcome"');
const LIVE = Buffer.from('{"t":"live"');

const startsWith = (data: Buffer, start: number, end: number, prefix: Buffer): boolean => end - start >= prefix.length && data.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;

/** Where the last numberAt stopped (a variable, not a returned pair: nothing is allocated per frame). */
let numberEnd = 0;

/** The decimal number (digits, maybe a fraction) at `at`, read from the bytes. */
function numberAt(data: Buffer, at: number): number {
	let value = 0;
	let scale = 0;
	for (; at < data.length; at++) {
		const c = data[at]!;
		if (c >= 0x30 && c <= 0x39) {
			value = value * 10 + (c - 0x30);
			if (scale > 0) scale *= 10;
		} else if (c === 0x2e && scale === 0) scale = 1;
		else break;
	}
	numberEnd = at;
	return scale > 1 ? value / scale : value;
}

/** Run lengths of ascending samples, at 0.01 ms. */
function countsOf(sorted: Float64Array): LatencyCounts {
	const out: LatencyCounts = [];
	for (const x of sorted) {
		const v = round(x);
		const last = out[out.length - 1];
		if (last && last[0] === v) last[1]++;
		else out.push([v, 1]);
	}
	return out;
}

export async function runServeClients(options: {url: string; clients: number; first: number; room: string; total: number; warmup: number}): Promise<void> {
	const {clients, total, warmup, room} = options;
	const measured = total - warmup;
	const samples = new Float64Array(clients * measured);
	const fromKafka = new Float64Array(clients * measured);
	let timed = 0;
	const seen = new Uint8Array(clients * total);
	let count = 0;
	let received = 0;
	let duplicates = 0;
	const sockets: LoadClient[] = [];
	const started = performance.now();
	let connectMs = 0;
	let cpuMark = process.cpuUsage();
	let wallMark = performance.now();
	let finished = false;

	const finish = (): void => {
		if (finished) return;
		finished = true;
		const cpu = process.cpuUsage(cpuMark);
		const result: ServeClientsPart = {
			latencies: countsOf(samples.subarray(0, count).sort()),
			fromKafka: countsOf(fromKafka.subarray(0, timed).sort()),
			clients,
			expected: total,
			lost: clients * total - received,
			duplicates,
			connectMs: round(connectMs),
			loadCpuPercent: round(((cpu.user + cpu.system) / 1000 / (performance.now() - wallMark)) * 100, 1),
		};
		answer(result);
		for (const s of sockets) s.destroy();
	};

	/** A frame of messages: each e2e text found in the bytes, timed once per client and sequence number. */
	const onMessages = (client: number, data: Buffer, start: number, end: number): void => {
		const now = wallClock();
		for (let at = data.indexOf(TEXT_MARK, start); at >= 0 && at < end; at = data.indexOf(TEXT_MARK, at + TEXT_MARK.length)) {
			const seq = numberAt(data, at + TEXT_MARK.length);
			const sentAt = numberAt(data, numberEnd + 1);
			if (seq >= total) continue;
			if (seen[client * total + seq]) {
				duplicates++;
				continue;
			}
			seen[client * total + seq] = 1;
			received++;
			if (seq < warmup) continue;
			const ts = data.indexOf(TIMESTAMP_MARK, numberEnd);
			if (ts >= 0 && ts < end) fromKafka[timed++] = now - numberAt(data, ts + TIMESTAMP_MARK.length);
			samples[count++] = now - sentAt;
		}
		if (received === clients * total) finish();
	};

	const connect = (client: number): Promise<void> =>
		new Promise((resolve, reject) => {
			let socket: LoadClient | undefined;
			const onText = (data: Buffer, start: number, end: number): void => {
				if (startsWith(data, start, end, MSGS)) onMessages(client, data, start, end);
				else if (startsWith(data, start, end, WELCOME)) socket?.send(JSON.stringify({t: 'join', room, history: 0}));
				else if (startsWith(data, start, end, LIVE)) resolve();
			};
			LoadClient.connect(options.url, onText, code => reject(new Error(`client ${client} closed (${code})`))).then(s => {
				socket = s;
				sockets.push(s);
				const n = options.first + client;
				s.send(JSON.stringify({t: 'hello', nick: `bench-web-${n}`, instance: `benchweb${n.toString().padStart(6, '0')}`}));
			}, reject);
		});

	for (let first = 0; first < clients; first += WAVE) {
		await Promise.all(Array.from({length: Math.min(WAVE, clients - first)}, (_, i) => connect(first + i)));
	}
	connectMs = performance.now() - started;
	cpuMark = process.cpuUsage();
	wallMark = performance.now();
	answer({ready: true});
	await commands(command => {
		if (command === 'end') finish();
	});
}
