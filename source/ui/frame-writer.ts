import {EventEmitter} from 'node:events';
import {blankScreen, diffScreens, parseFrame, rowCache, type Screen} from './screen-diff.js';

// The stdout Ink writes to on the alternate screen. Ink (6.8) rewrites its whole frame for any change:
// it erases its previous lines and writes every line again. This stream takes each frame Ink writes,
// keeps the cells the terminal shows, and writes only what changed (see screen-diff.ts), so a new
// message costs the rows that changed. Anything else Ink or the app writes (the bell, cursor on and off,
// synchronized-update markers, a redraw's clear screen) goes through as it is.

const ESC = '\u001B';
/** ansi-escapes' eraseLines(n): erase the line, then (up one, erase) n-1 times, then column 1. */
const ERASE_LINES = /^(?:\u001B\[2K(?:\u001B\[1A\u001B\[2K)*\u001B\[G)?/;
/** ansi-escapes' clearTerminal, which Ink writes when a frame is as tall as the terminal. */
const CLEAR_TERMINAL = `${ESC}[2J${ESC}[3J${ESC}[H`;
const CLEAR_SCREEN = `${ESC}[2J`;
/** Writes that are only escape sequences and controls: nothing of a frame. */
const ONLY_CONTROLS = /^(?:\u001B\[[0-9;?]*[ -/]*[@-~]|[\u0000-\u001F])*$/;

export class FrameWriter extends EventEmitter {
	/** What the terminal shows, as far as this writer knows. */
	private shown: Screen | undefined;
	private readonly parsed = rowCache();
	private readonly onResize = (): void => {
		// Ink draws its next frame for the new size: draw it whole, on a clean screen.
		this.terminal.write(CLEAR_SCREEN);
		this.shown = undefined;
		this.emit('resize');
	};

	constructor(private readonly terminal: NodeJS.WriteStream) {
		super();
		terminal.on('resize', this.onResize);
	}

	get isTTY(): boolean {
		return this.terminal.isTTY === true;
	}

	get columns(): number {
		return this.terminal.columns;
	}

	get rows(): number {
		return this.terminal.rows;
	}

	/** Bytes written to the terminal (for the benchmark). */
	bytes = 0;

	write = (data: string | Uint8Array, ...rest: unknown[]): boolean => {
		const callback = rest.find(r => typeof r === 'function') as (() => void) | undefined;
		let text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
		let out: string;
		if (text.startsWith(CLEAR_TERMINAL)) {
			this.shown = undefined;
			text = text.slice(CLEAR_TERMINAL.length);
		}
		const body = text.replace(ERASE_LINES, '');
		if (ONLY_CONTROLS.test(body)) {
			// Ink erasing its lines before it writes them again: the frame that follows says what to show.
			if (body !== text && body === '') {
				callback?.();
				return true;
			}
			if (body.includes(CLEAR_SCREEN)) this.shown = undefined;
			out = body;
		} else {
			out = this.frame(body);
		}
		this.bytes += Buffer.byteLength(out);
		return out === '' ? (callback?.(), true) : this.terminal.write(out, callback as never);
	};

	private frame(body: string): string {
		const rows = Math.max(1, this.terminal.rows || 24);
		const columns = Math.max(1, this.terminal.columns || 80);
		const next = parseFrame(body.replace(/\n$/, ''), rows, columns, this.parsed);
		const before = this.shown && this.shown.length === rows && this.shown[0]?.length === columns ? this.shown : undefined;
		this.shown = next;
		// Unknown screen: clear it and paint the frame over blank cells.
		return before ? diffScreens(before, next) : `${CLEAR_SCREEN}${diffScreens(blankScreen(rows, columns), next)}`;
	}

	/** Stops following the terminal's size. */
	dispose(): void {
		this.terminal.off('resize', this.onResize);
	}

	// What Ink and its dependencies may call on a stream.
	cork(): void {}
	uncork(): void {}
	end(): void {}
	get writable(): boolean {
		return this.terminal.writable;
	}
	getColorDepth(): number {
		return this.terminal.getColorDepth?.() ?? 8;
	}
	hasColors(count?: number): boolean {
		return this.terminal.hasColors?.(count) ?? true;
	}
}
