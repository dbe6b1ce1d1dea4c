import {EventEmitter} from 'node:events';
import {graphemeWidth, graphemes} from '../chat/wrap.js';

// A terminal without a screen, for rendering the real Ink app in a benchmark: a stdout that records
// when frames are written, and a stdin that takes keys (the shape of ink-testing-library's, which Ink
// reads through 'readable' and read()).

export type Write = {at: number; data: string};

const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;

/**
 * The characters a terminal would show after the writes it was given: enough of a VT100 for what Ink and
 * kchat write (text, line feeds, cursor moves, erasing, scroll regions); colours are not kept.
 */
export class TerminalScreen {
	private cells: string[][];
	private row = 0;
	private column = 0;
	private top = 0;
	private bottom: number;

	constructor(
		readonly columns: number,
		readonly rows: number,
	) {
		this.cells = Array.from({length: rows}, () => Array<string>(columns).fill(' '));
		this.bottom = rows - 1;
	}

	/** The screen's rows as text, wide characters once, trailing spaces kept. */
	text(): string[] {
		return this.cells.map(row => row.join(''));
	}

	write(data: string): void {
		const tokens = data.match(/\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007|\u001B[@-_]|[\r\n\u0007\u0008]|[^\u001B\r\n\u0007\u0008]+/g) ?? [];
		for (const token of tokens) this.token(token);
	}

	private scrollUp(count: number): void {
		for (let i = 0; i < count; i++) {
			this.cells.splice(this.top, 1);
			this.cells.splice(this.bottom, 0, Array<string>(this.columns).fill(' '));
		}
	}

	private token(t: string): void {
		if (t === '\r') this.column = 0;
		else if (t === '\n') {
			// The terminal's output processing turns a line feed into CR LF (ONLCR).
			this.column = 0;
			if (this.row === this.bottom) this.scrollUp(1);
			else this.row = Math.min(this.rows - 1, this.row + 1);
		} else if (t === '\u0008') this.column = Math.max(0, this.column - 1);
		else if (t.startsWith('\u001B[')) this.csi(t);
		else if (!t.startsWith('\u001B') && t !== '\u0007') this.print(t);
	}

	private print(text: string): void {
		// Printable ASCII is one cell a character: no need to segment (most of what the app writes).
		for (const g of PRINTABLE_ASCII.test(text) ? text : graphemes(text)) {
			const w = graphemeWidth(g);
			if (w === 0) continue;
			if (this.column + w > this.columns) {
				this.column = 0;
				if (this.row === this.bottom) this.scrollUp(1);
				else this.row = Math.min(this.rows - 1, this.row + 1);
			}
			const line = this.cells[this.row]!;
			line[this.column] = g;
			if (w === 2 && this.column + 1 < this.columns) line[this.column + 1] = '';
			this.column += w;
		}
	}

	private csi(t: string): void {
		const final = t.at(-1)!;
		if (t.includes('?')) return; // private modes: cursor, bracketed paste, synchronized output
		const params = t.slice(2, -1).split(';').map(p => (p === '' ? undefined : Number(p)));
		const n = params[0] ?? 1;
		const clampRow = (r: number): number => Math.max(0, Math.min(this.rows - 1, r));
		switch (final) {
			case 'A':
				this.row = clampRow(this.row - n);
				break;
			case 'B':
				this.row = clampRow(this.row + n);
				break;
			case 'C':
				this.column = Math.min(this.columns - 1, this.column + n);
				break;
			case 'D':
				this.column = Math.max(0, this.column - n);
				break;
			case 'E':
				this.row = clampRow(this.row + n);
				this.column = 0;
				break;
			case 'F':
				this.row = clampRow(this.row - n);
				this.column = 0;
				break;
			case 'G':
				this.column = Math.max(0, Math.min(this.columns - 1, n - 1));
				break;
			case 'H':
				this.row = clampRow((params[0] ?? 1) - 1);
				this.column = Math.max(0, Math.min(this.columns - 1, (params[1] ?? 1) - 1));
				break;
			case 'K': {
				const line = this.cells[this.row]!;
				const mode = params[0] ?? 0;
				const [from, to] = mode === 0 ? [this.column, this.columns] : mode === 1 ? [0, this.column + 1] : [0, this.columns];
				for (let c = from; c < to; c++) line[c] = ' ';
				break;
			}
			case 'J':
				if ((params[0] ?? 0) >= 2) this.cells = Array.from({length: this.rows}, () => Array<string>(this.columns).fill(' '));
				break;
			case 'r':
				this.top = (params[0] ?? 1) - 1;
				this.bottom = (params[1] ?? this.rows) - 1;
				this.row = 0;
				this.column = 0;
				break;
			case 'S':
				this.scrollUp(n);
				break;
		}
	}
}

export class HeadlessStdout extends EventEmitter {
	readonly isTTY = true;
	frames = 0;
	bytes = 0;
	/** performance.now() of the first write. */
	firstWriteAt: number | undefined;
	/** What a terminal would show now. */
	readonly screen: TerminalScreen;
	private listeners_: ((write: Write) => void)[] = [];

	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
		this.screen = new TerminalScreen(columns, rows);
	}

	write = (data: string | Uint8Array, ...rest: unknown[]): boolean => {
		const at = performance.now();
		const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
		this.firstWriteAt ??= at;
		this.frames++;
		this.bytes += Buffer.byteLength(text);
		this.screen.write(text);
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
