import {CLOSE_CODES, parseClientMessage, type ClientMessage, type ServerMessage} from '../chat/web-protocol.js';
import {RateLimit} from './rate-limit.js';
import {encodeFrame, type Subscriber} from './room-hub.js';

/** The part of a `ws` WebSocket a session uses (tests pass their own). */
export type SocketLike = {
	send(data: Buffer, options: {binary: boolean}): void;
	readonly bufferedAmount: number;
	close(code: number, reason: string): void;
	terminate(): void;
};

/** What a session asks of the gateway (the Gateway class). */
export type SessionHost = {
	hello(session: ClientSession): Promise<void>;
	handle(session: ClientSession, message: Exclude<ClientMessage, {t: 'hello'}>): void;
	closed(session: ClientSession): void;
};

export type SessionLimits = {
	/** Bytes queued for the page past which it is cut off (close code tooSlow). */
	sendQueueBytes: number;
	/** Frames a second from the page, and a burst. */
	frameRate: number;
	frameBurst: number;
};

/** Frames go out as text (JSON), from Buffers serialised once for every page. */
const TEXT_FRAME = {binary: false} as const;
/** Refused frames in a row after which the page is disconnected (close code policy). */
const MAX_REFUSED = 50;

/**
 * One page's WebSocket: checks every frame (hello first, then the rest), limits its rate, and keeps its
 * send queue bounded: a page that falls too far behind is closed with `tooSlow` and reconnects with
 * the positions it has, so it loses nothing.
 */
export class ClientSession {
	nick = '';
	instance = '';
	/** The rooms this page has open, with the subscription each has in its room's hub. */
	readonly rooms = new Map<string, Subscriber>();
	private ready = false;
	private closing = false;
	private refused = 0;
	private readonly frames: RateLimit;

	constructor(
		private readonly socket: SocketLike,
		private readonly host: SessionHost,
		private readonly limits: SessionLimits,
	) {
		this.frames = new RateLimit(limits.frameRate, limits.frameBurst);
	}

	get isReady(): boolean {
		return this.ready && !this.closing;
	}

	/** A frame from the page. */
	receive(data: Buffer | string): void {
		if (this.closing) return;
		if (!this.frames.take()) return this.refuse(`too many frames: at most ${this.limits.frameRate} a second`);
		const parsed = parseClientMessage(typeof data === 'string' ? data : data.toString('utf8'));
		if (!parsed.ok) {
			if (!this.ready) return this.close(CLOSE_CODES.badHello, `first frame must be a valid hello: ${parsed.error}`);
			// The page shows that line as failed, with the reason, instead of pending for ever.
			if (parsed.send) this.send({t: 'failed', ...parsed.send, error: parsed.error});
			return this.refuse(parsed.error);
		}
		const message = parsed.message;
		if (message.t === 'hello') {
			if (this.ready || this.nick) return this.refuse('hello was already said');
			this.nick = message.nick;
			this.instance = message.instance;
			this.host.hello(this).then(
				() => (this.ready = true),
				(error: unknown) => this.close(CLOSE_CODES.goingAway, `gateway not ready: ${String((error as Error).message ?? error)}`),
			);
			return;
		}
		if (!this.ready) return this.close(CLOSE_CODES.badHello, 'first frame must be a hello');
		this.refused = 0;
		this.host.handle(this, message);
	}

	/** A message for this page alone. */
	send(message: ServerMessage): void {
		this.deliver(encodeFrame(message));
	}

	/** A serialised frame (possibly shared with other pages). */
	deliver(frame: Buffer): void {
		if (this.closing) return;
		// Bytes still queued for the page (in ws and Node, not yet taken by the kernel): past the limit, the
		// page is not reading fast enough. One large frame (a catch-up) alone never counts as behind.
		if (this.socket.bufferedAmount > this.limits.sendQueueBytes) {
			this.close(CLOSE_CODES.tooSlow, `too slow: more than ${Math.round(this.limits.sendQueueBytes / 1024)} KiB waiting to be sent; reconnect to resume`);
			return;
		}
		this.socket.send(frame, TEXT_FRAME);
	}

	/** Says why a frame was refused; a page that keeps sending refused frames is disconnected. */
	refuse(error: string): void {
		if (++this.refused > MAX_REFUSED) return this.close(CLOSE_CODES.policy, `too many refused frames; last: ${error}`.slice(0, 120));
		this.send({t: 'error', error});
	}

	close(code: number, reason: string): void {
		if (this.closing) return;
		this.closing = true;
		// Close reasons are at most 123 bytes.
		this.socket.close(code, Buffer.from(reason).subarray(0, 123).toString('utf8').replace(/\uFFFD$/, ''));
		// A page that does not read does not answer the close either.
		setTimeout(() => this.socket.terminate(), 5000).unref();
		this.host.closed(this);
	}

	/** The socket is gone (closed by either side). */
	ended(): void {
		if (!this.closing) {
			this.closing = true;
			this.host.closed(this);
		}
	}
}
