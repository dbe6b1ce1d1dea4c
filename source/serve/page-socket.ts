import type {Duplex} from 'node:stream';
import {WebSocket} from 'ws';
import type {SocketLike} from './client-session.js';

// A frame the gateway sends to a thousand pages is framed once and written as one Buffer to each page's
// TCP socket. Through `ws.send` every page cost a new frame header and a two-buffer writev (cork, two
// writes, uncork): measured at 1,000 pages, writev and its header work were most of the gateway's CPU.

/** Header and payload in one Buffer, made once per payload (the hub's frame is one Buffer for every page). */
const framed = new WeakMap<Buffer, Buffer>();

/** An unmasked, final text frame (RFC 6455 5.2: a server never masks): FIN + opcode, then a 7, 16 or 64-bit length. */
export function textFrame(payload: Buffer): Buffer {
	let bytes = framed.get(payload);
	if (bytes) return bytes;
	const n = payload.length;
	const head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
	bytes = Buffer.allocUnsafe(head + n);
	bytes[0] = 0x81;
	if (head === 2) bytes[1] = n;
	else if (head === 4) {
		bytes[1] = 126;
		bytes.writeUInt16BE(n, 2);
	} else {
		bytes[1] = 127;
		bytes.writeBigUInt64BE(BigInt(n), 2);
	}
	payload.copy(bytes, head);
	framed.set(payload, bytes);
	return bytes;
}

/**
 * A page's WebSocket as a session uses it: text frames written pre-framed to the socket `ws` took over.
 * Safe beside `ws`'s own writes (pings, close) because permessage-deflate is off: `ws` then never holds a
 * frame back in a queue of its own, so frames cannot interleave. `bufferedAmount` still counts these bytes
 * (it is the socket's write queue).
 */
export function pageSocket(ws: WebSocket, raw: Duplex): SocketLike {
	return {
		send(data: Buffer): void {
			if (ws.readyState === WebSocket.OPEN) raw.write(textFrame(data));
		},
		get bufferedAmount() {
			return ws.bufferedAmount;
		},
		close: (code, reason) => ws.close(code, reason),
		terminate: () => ws.terminate(),
	};
}
