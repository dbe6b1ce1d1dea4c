import type {Duplex} from 'node:stream';
import {Sender, WebSocket} from 'ws';
import type {SocketLike} from './client-session.js';

// A frame the gateway sends to a thousand pages is framed once and written as one Buffer to each page's
// TCP socket. Through `ws.send` every page cost a new frame header and a two-buffer writev (cork, two
// writes, uncork): measured at 1,000 pages, writev and its header work were most of the gateway's CPU.

/** Header and payload in one Buffer, made once per payload (the hub's frame is one Buffer for every page). */
const framed = new WeakMap<Buffer, Buffer>();

/** A final, unmasked text frame (a server never masks), framed by `ws`'s own Sender. */
export function textFrame(payload: Buffer): Buffer {
	let bytes = framed.get(payload);
	if (!bytes) {
		bytes = Buffer.concat(Sender.frame(payload, {fin: true, rsv1: false, opcode: 1, mask: false, readOnly: true}));
		framed.set(payload, bytes);
	}
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
