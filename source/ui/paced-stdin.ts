import {EventEmitter} from 'node:events';
import {KeySplitter} from '../chat/key-burst.js';

/** How long a key may wait for React to be done with the one before. */
const SAFETY_MS = 500;
/** How long the rest of an escape sequence cut at the end of a read may take to come. */
const ESCAPE_WAIT_MS = 20;

/** What Ink uses of its stdin. */
export type TerminalInput = NodeJS.ReadStream;

/**
 * The terminal's input as Ink reads it: one key at a time, the next once React is done with the last.
 * Ink hands every key of one read to the same handlers before React re-renders and re-registers them
 * (ink-text-input's closes over its value and cursor), so the second key of a burst acted on stale
 * state: "ab" then Left then "c" lost the "ab". Here a chunk is cut into keys (see KeySplitter) and the
 * next key is offered when KeyPacer reports the effects of the render after the last one have run.
 */
export class PacedStdin extends EventEmitter {
	private readonly splitter = new KeySplitter();
	private readonly queue: string[] = [];
	/** The key offered to Ink and not read yet. */
	private offered: string | undefined;
	/** Ink took the offered key and has not come back for another yet. */
	private handed = false;
	/** Waiting for React to be done with the last key. */
	private waiting = false;
	private safety: NodeJS.Timeout | undefined;
	private pacing = false;
	private attached = false;
	private escapeTimer: NodeJS.Timeout | undefined;
	private readonly onData = (chunk: string | Buffer): void => {
		clearTimeout(this.escapeTimer);
		this.take(this.splitter.push(chunk.toString()));
		// A read that ends in ESC: the rest of a sequence comes at once, or it was the Esc key.
		if (this.splitter.holding) this.escapeTimer = setTimeout(() => this.take(this.splitter.flush()), ESCAPE_WAIT_MS);
	};

	constructor(private readonly terminal: TerminalInput) {
		super();
		this.on('newListener', (event: string) => {
			if (event === 'readable') queueMicrotask(() => this.attach());
		});
		this.on('removeListener', (event: string) => {
			if (event === 'readable' && this.listenerCount('readable') === 0) this.detach();
		});
	}

	get isTTY(): boolean {
		return this.terminal.isTTY === true;
	}

	setRawMode(mode: boolean): this {
		this.terminal.setRawMode?.(mode);
		return this;
	}

	/** Keys are always strings (the terminal is read as UTF-8). */
	setEncoding(): this {
		return this;
	}

	ref(): this {
		this.terminal.ref();
		return this;
	}

	unref(): this {
		this.terminal.unref();
		return this;
	}

	/** Ink reads until null: one key, then null until the next is offered. */
	read(): string | null {
		const key = this.offered;
		if (key !== undefined) {
			this.offered = undefined;
			this.handed = true;
			return key;
		}
		if (this.handed) {
			// Ink's loop is done with the key: its handlers ran and set state, but React renders later and
			// runs the effects that re-register the handlers later still. KeyPacer says when that is done.
			this.handed = false;
			if (this.afterKey) {
				this.waiting = true;
				this.afterKey();
				// Never let input stall for good, should React not render (it always does).
				this.safety = setTimeout(() => this.keyDone(), SAFETY_MS);
			} else setImmediate(() => this.offerNext());
		}
		return null;
	}

	/** Set by KeyPacer: asks React for a render after the key (KeyPacer's own). */
	afterKey: (() => void) | undefined;

	/** From KeyPacer's effect: React has rendered after the key and run every effect before its own. */
	keyDone(): void {
		if (!this.waiting) return;
		this.waiting = false;
		clearTimeout(this.safety);
		setImmediate(() => this.offerNext());
	}

	private take(keys: string[]): void {
		this.queue.push(...keys);
		if (!this.pacing) this.offerNext();
	}

	private offerNext(): void {
		const key = this.queue.shift();
		this.pacing = key !== undefined;
		if (key === undefined) return;
		this.offered = key;
		this.emit('readable');
	}

	private attach(): void {
		if (this.attached || this.listenerCount('readable') === 0) return;
		this.attached = true;
		this.terminal.setEncoding('utf8');
		this.terminal.on('data', this.onData);
		// After an earlier reader paused it (a start-up prompt, an earlier Ink instance), 'data' alone does not restart it.
		this.terminal.resume();
		// A key offered while nothing listened.
		if (this.offered !== undefined) this.emit('readable');
	}

	private detach(): void {
		if (!this.attached) return;
		this.attached = false;
		this.terminal.off('data', this.onData);
		// Stop reading: keys typed while nothing listens stay in the terminal's buffer.
		this.terminal.pause();
	}
}
