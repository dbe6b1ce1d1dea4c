import WebSocket from 'ws';
import {E2E_TEXT, wallClock} from './e2e-receiver.js';
import {answer, commands} from './child.js';
import {percentile, round, type Summary} from './stats.js';

// The load generator of `kchat bench --serve`, a process of its own (`kchat bench --internal
// serve-clients`): N WebSocket clients that behave as pages do (the page's Origin, the kchat.v1
// subprotocol, hello, join), each timing every message from the sender's clock reading (carried in the
// text) to the moment its socket delivers the frame.

export type ServeClientsResult = Summary & {
	clients: number;
	/** Messages each client should have had. */
	expected: number;
	/** Messages short of clients × expected, and messages a client got twice. */
	lost: number;
	duplicates: number;
	/** From the first connection to every client live in the room. */
	connectMs: number;
};

/** Where an e2e text starts in a frame: `"text":"e2e `. */
const TEXT_MARK = Buffer.from('"text":"e2e ');
/** Connections opened at once (each a TCP and WebSocket handshake). */
const WAVE = 50;

export async function runServeClients(options: {url: string; clients: number; room: string; total: number; warmup: number}): Promise<void> {
	const {clients, total, warmup, room} = options;
	const measured = total - warmup;
	const samples = new Float64Array(clients * measured);
	const seen = new Uint8Array(clients * total);
	let count = 0;
	let received = 0;
	let duplicates = 0;
	const origin = `http://${new URL(options.url).host}`;
	const sockets: WebSocket[] = [];
	const started = performance.now();
	let finished = false;

	const finish = (): void => {
		if (finished) return;
		finished = true;
		const sorted = samples.subarray(0, count).sort();
		let sum = 0;
		for (const x of sorted) sum += x;
		const result: ServeClientsResult = {
			p50: round(percentile(sorted, 0.5)),
			p95: round(percentile(sorted, 0.95)),
			p99: round(percentile(sorted, 0.99)),
			max: round(sorted[sorted.length - 1] ?? 0),
			mean: round(count > 0 ? sum / count : 0),
			count,
			clients,
			expected: total,
			lost: clients * total - received,
			duplicates,
			connectMs: round(connectMs),
		};
		answer(result);
		for (const s of sockets) s.terminate();
	};

	const onFrame = (client: number, frame: Buffer): void => {
		const now = wallClock();
		// The texts alone, found in the raw bytes: decoding and parsing 100,000 frames a second as JSON
		// would measure this process more than the gateway.
		for (let at = frame.indexOf(TEXT_MARK); at >= 0; at = frame.indexOf(TEXT_MARK, at + TEXT_MARK.length)) {
			const parsed = E2E_TEXT.exec(frame.toString('latin1', at + TEXT_MARK.length - 4, at + TEXT_MARK.length + 40));
			if (!parsed) continue;
			const seq = Number(parsed[1]);
			if (seq >= total) continue;
			if (seen[client * total + seq]) {
				duplicates++;
				continue;
			}
			seen[client * total + seq] = 1;
			received++;
			if (seq >= warmup) samples[count++] = now - Number(parsed[2]);
		}
		if (received === clients * total) finish();
	};

	const connect = (client: number): Promise<void> =>
		new Promise((resolve, reject) => {
			// No UTF-8 check of every frame: the measurement needs the texts' ASCII digits only.
			const socket = new WebSocket(options.url, ['kchat.v1'], {headers: {Origin: origin}, perMessageDeflate: false, skipUTF8Validation: true});
			sockets.push(socket);
			socket.on('open', () => socket.send(JSON.stringify({t: 'hello', nick: `bench-web-${client}`, instance: `benchweb${client.toString().padStart(6, '0')}`})));
			socket.on('message', (data: Buffer) => {
				const head = data.toString('latin1', 0, 16);
				if (head.startsWith('{"t":"msgs"')) onFrame(client, data);
				else if (head.startsWith('{"t":"welcome"')) socket.send(JSON.stringify({t: 'join', room, history: 0}));
				else if (head.startsWith('{"t":"live"')) resolve();
			});
			socket.on('close', code => reject(new Error(`client ${client} closed (${code})`)));
			socket.on('error', reject);
		});

	for (let first = 0; first < clients; first += WAVE) {
		await Promise.all(Array.from({length: Math.min(WAVE, clients - first)}, (_, i) => connect(first + i)));
	}
	const connectMs = performance.now() - started;
	answer({ready: true});
	await commands(command => {
		if (command === 'end') finish();
	});
}
