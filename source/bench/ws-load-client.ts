import {randomBytes} from 'node:crypto';
import net from 'node:net';

// The load generator's WebSocket client: the handshake and frames of RFC 6455 for what a kchat page
// does (text frames, ping answered with pong, close), read straight from the TCP socket. Not `ws`: a
// thousand clients in one process take 100,000 frames a second, and a general client's stream plumbing
// per frame would make the load generator, not the gateway, the thing measured on two cores.

export type FrameHandler = (data: Buffer, start: number, end: number) => void;

const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;
/** Every client's reads land here in turn (one event-loop callback at a time). */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

export class LoadClient {
	private pending: Buffer | undefined;
	private upgraded = false;
	/** Close code from the server, once closed. */
	closeCode: number | undefined;

	private constructor(
		private readonly socket: net.Socket,
		private readonly onText: FrameHandler,
		private readonly onClose: (code: number) => void,
	) {
		socket.setNoDelay(true);
		socket.on('close', () => this.closed(1006));
		socket.on('error', () => this.closed(1006));
	}

	/** Connects and upgrades as the page does (its Origin, the kchat.v1 subprotocol). */
	static connect(url: string, onText: FrameHandler, onClose: (code: number) => void): Promise<LoadClient> {
		const {hostname, port, pathname, host} = new URL(url);
		return new Promise((resolve, reject) => {
			// Read straight into one shared buffer: no stream, no 'data' event and no chunk per read. The bytes
			// are parsed before the callback returns (a partial frame is copied out), so sharing it is safe.
			const socket: net.Socket = net.connect({port: Number(port), host: hostname, onread: {buffer: READ_BUFFER, callback: (n: number, buffer: Uint8Array): boolean => (client.read(buffer as Buffer, n), true)}});
			// Reads only come after connect, so `client` is set by the time the callback runs.
			const client: LoadClient = new LoadClient(socket, onText, onClose);
			socket.once('connect', () => {
				socket.write(
					`GET ${pathname} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
						`Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: kchat.v1\r\nOrigin: http://${host}\r\n\r\n`,
				);
			});
			client.upgradeDone = error => (error ? reject(error) : resolve(client));
			socket.once('error', reject);
		});
	}

	private upgradeDone: (error?: Error) => void = () => {};

	/** A masked text frame, as clients must send. */
	send(text: string): void {
		this.frame(OP_TEXT, Buffer.from(text));
	}

	destroy(): void {
		this.socket.destroy();
	}

	private frame(opcode: number, payload: Buffer): void {
		const n = payload.length;
		const head = n < 126 ? Buffer.from([0x80 | opcode, 0x80 | n]) : Buffer.from([0x80 | opcode, 0x80 | 126, n >> 8, n & 0xff]);
		const mask = randomBytes(4);
		const body = Buffer.allocUnsafe(n);
		for (let i = 0; i < n; i++) body[i] = payload[i]! ^ mask[i & 3]!;
		this.socket.write(Buffer.concat([head, mask, body]));
	}

	private read(buffer: Buffer, n: number): void {
		const chunk = buffer.subarray(0, n);
		const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
		let at = 0;
		if (!this.upgraded) {
			const end = data.indexOf('\r\n\r\n');
			if (end < 0) {
				this.pending = Buffer.from(data);
				return;
			}
			const status = data.toString('latin1', 0, data.indexOf('\r\n'));
			if (!/^HTTP\/1\.1 101 /.test(status)) {
				this.upgradeDone(new Error(`refused: ${status}`));
				this.socket.destroy();
				return;
			}
			this.upgraded = true;
			this.upgradeDone();
			at = end + 4;
		}
		// Frames from a server are never masked: FIN/opcode, length (7, 16 or 64 bits), payload.
		while (data.length - at >= 2) {
			const opcode = data[at]! & 0x0f;
			let length = data[at + 1]! & 0x7f;
			let head = 2;
			if (length === 126) {
				if (data.length - at < 4) break;
				length = data.readUInt16BE(at + 2);
				head = 4;
			} else if (length === 127) {
				if (data.length - at < 10) break;
				length = Number(data.readBigUInt64BE(at + 2));
				head = 10;
			}
			if (data.length - at < head + length) break;
			const start = at + head;
			at = start + length;
			if (opcode === OP_TEXT || opcode === 0) this.onText(data, start, at);
			else if (opcode === OP_PING) this.frame(OP_PONG, data.subarray(start, at));
			else if (opcode === OP_CLOSE) this.closed(length >= 2 ? data.readUInt16BE(start) : 1005);
		}
		// A copy of the unread tail only: the chunk itself is not held.
		this.pending = at < data.length ? Buffer.from(data.subarray(at)) : undefined;
	}

	private closed(code: number): void {
		if (this.closeCode !== undefined) return;
		this.closeCode = code;
		this.socket.destroy();
		this.onClose(code);
	}
}
