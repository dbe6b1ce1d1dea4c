import {EventEmitter} from 'node:events';

// A terminal without a screen, for rendering the real Ink app in a benchmark: a stdout that records
// when frames are written, and a stdin that takes keys (the shape of ink-testing-library's, which Ink
// reads through 'readable' and read()).

export type Write = {at: number; data: string};

export class HeadlessStdout extends EventEmitter {
	readonly isTTY = true;
	frames = 0;
	bytes = 0;
	/** performance.now() of the first write. */
	firstWriteAt: number | undefined;
	private listeners_: ((write: Write) => void)[] = [];

	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}

	write = (data: string | Uint8Array, ...rest: unknown[]): boolean => {
		const at = performance.now();
		const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
		this.firstWriteAt ??= at;
		this.frames++;
		this.bytes += Buffer.byteLength(text);
		for (const listener of this.listeners_) listener({at, data: text});
		const callback = rest.find(r => typeof r === 'function') as (() => void) | undefined;
		callback?.();
		return true;
	};

	/** Calls `listener` on every write until the returned function is called. */
	onWrite(listener: (write: Write) => void): () => void {
		this.listeners_.push(listener);
		return () => {
			this.listeners_ = this.listeners_.filter(l => l !== listener);
		};
	}

	// What Ink and its dependencies may call on a stream.
	cork(): void {}
	uncork(): void {}
	end(): void {}
	getColorDepth(): number {
		return 8;
	}
	hasColors(): boolean {
		return true;
	}
}

export class HeadlessStdin extends EventEmitter {
	readonly isTTY = true;
	isRaw = false;
	private buffer: string | null = null;

	/** A key as a terminal sends it (e.g. 'a', '\r', '\u001B[A'). */
	type(sequence: string): void {
		this.buffer = sequence;
		this.emit('readable');
		this.emit('data', sequence);
	}

	read = (): string | null => {
		const data = this.buffer;
		this.buffer = null;
		return data;
	};

	setEncoding(): this {
		return this;
	}
	setRawMode(mode: boolean): this {
		this.isRaw = mode;
		return this;
	}
	resume(): this {
		return this;
	}
	pause(): this {
		return this;
	}
	ref(): this {
		return this;
	}
	unref(): this {
		return this;
	}
}

/** Everything Ink wrote, without escape sequences: what a terminal would show, more or less. */
export function visibleText(data: string): string {
	return data.replace(/\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007|\u001B[@-_]/g, '');
}
