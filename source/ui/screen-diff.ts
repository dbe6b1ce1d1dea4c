import {graphemeWidth, graphemes} from '../chat/wrap.js';

// The cells of a frame and the bytes that turn one frame into the next on a terminal: only the cells
// that changed, styles set only when they change, the rest of a row erased at once, and when the
// message pane moved up by some rows (new lines arrived), the rows scrolled by the terminal itself
// (a scroll region, as curses does) so that only the new rows and the panes beside it are written.
// Positions are absolute: this is for a frame drawn from the top left of the alternate screen.

const ESC = '\u001B';

/** One cell: a grapheme cluster ('' for the right half of a wide one) and the SGR parameters in effect. */
export type Cell = {ch: string; sgr: string};
export type Screen = Cell[][];

const BLANK: Cell = {ch: ' ', sgr: ''};

/** Ink's SGR codes as a canonical parameter list ('' for none): what a cell looks like. */
class Style {
	private attrs = new Map<string, string>();

	apply(params: string): void {
		const codes = params === '' ? ['0'] : params.split(';');
		for (let i = 0; i < codes.length; i++) {
			const code = Number(codes[i]);
			if (code === 0) this.attrs.clear();
			else if (code === 38 || code === 48) {
				// 38;5;n and 38;2;r;g;b (and the same for the background).
				const take = codes[i + 1] === '5' ? 2 : codes[i + 1] === '2' ? 4 : 0;
				this.attrs.set(code === 38 ? 'fg' : 'bg', codes.slice(i, i + 1 + take).join(';'));
				i += take;
			} else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) this.attrs.set('fg', String(code));
			else if (code === 39) this.attrs.delete('fg');
			else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) this.attrs.set('bg', String(code));
			else if (code === 49) this.attrs.delete('bg');
			else if (code === 22) {
				this.attrs.delete('1');
				this.attrs.delete('2');
			} else if (code === 23 || code === 24 || code === 27 || code === 28 || code === 29) this.attrs.delete(String(code === 23 ? 3 : code === 24 ? 4 : code - 20));
			else this.attrs.set(String(code), String(code));
		}
	}

	get params(): string {
		return [...this.attrs.entries()]
			.sort(([a], [b]) => (a < b ? -1 : 1))
			.map(([, v]) => v)
			.join(';');
	}
}

const SGR = /\u001B\[([0-9;]*)m/g;
const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;
/**
 * Strings of characters whose Grapheme_Cluster_Break is Other (or Hangul LV/LVT syllables), so that any
 * two of them side by side are two clusters (UAX #29, GB999): ASCII, Latin-1 less the soft hyphen, box
 * drawing, kana less the combining sound marks, CJK ideographs, Hangul syllables.
 */
export const OWN_CLUSTERS = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF\u2500-\u257F\u3041-\u3096\u30A1-\u30FA\u4E00-\u9FFF\uAC00-\uD7A3]*$/;

/**
 * The rows of the frame before, by the line Ink wrote for each: Ink rewrites every line of a frame for any
 * change, and most of them are what they were (a key changes the input row), so those are not parsed again.
 */
export type RowCache = {columns: number; rows: Map<string, Cell[]>};

export function rowCache(): RowCache {
	return {columns: 0, rows: new Map()};
}

/**
 * A frame as Ink writes it (lines of text and SGR codes) as rows × columns of cells. With a cache, rows
 * whose line is unchanged are the very same arrays as before (rows are never changed once made).
 */
export function parseFrame(frame: string, rows: number, columns: number, cache?: RowCache): Screen {
	const lines = frame.split('\n');
	const known = cache?.columns === columns ? cache.rows : undefined;
	const parsed = new Map<string, Cell[]>();
	const screen: Screen = [];
	for (let r = 0; r < rows; r++) {
		const line = lines[r] ?? '';
		let row = parsed.get(line) ?? known?.get(line);
		if (!row) row = parseRow(line, columns);
		parsed.set(line, row);
		screen.push(row);
	}
	if (cache) {
		cache.columns = columns;
		cache.rows = parsed;
	}
	return screen;
}

function parseRow(line: string, columns: number): Cell[] {
	const row: Cell[] = [];
	const style = new Style();
	let at = 0;
	const text = (s: string): void => {
		const sgr = style.params;
		if (PRINTABLE_ASCII.test(s)) {
			// One cell a character: no need to segment.
			for (let i = 0; i < s.length && row.length < columns; i++) row.push({ch: s[i]!, sgr});
			return;
		}
		// Characters that are each a cluster of their own (borders, most CJK and Latin-1): no need to segment either.
		for (const g of s.length === 1 || OWN_CLUSTERS.test(s) ? s : graphemes(s)) {
			const w = graphemeWidth(g);
			if (w === 0) continue;
			if (row.length + w > columns) return;
			row.push({ch: g, sgr});
			if (w === 2) row.push({ch: '', sgr});
		}
	};
	for (const match of line.matchAll(SGR)) {
		if (match.index > at) text(line.slice(at, match.index));
		style.apply(match[1]!);
		at = match.index + match[0].length;
	}
	if (at < line.length) text(line.slice(at));
	while (row.length < columns) row.push(BLANK);
	return row;
}

export function blankScreen(rows: number, columns: number): Screen {
	return Array.from({length: rows}, () => Array.from({length: columns}, () => BLANK));
}

const same = (a: Cell, b: Cell): boolean => a.ch === b.ch && a.sgr === b.sgr;

function sameCells(a: Cell[] | undefined, b: Cell[] | undefined): number {
	if (!a || !b) return 0;
	if (a === b) return a.length;
	let n = 0;
	for (let c = 0; c < a.length; c++) if (same(a[c]!, b[c]!)) n++;
	return n;
}

/** Cells of the row that are blank (what sameCells gives against a blank row). */
function blankCells(row: Cell[]): number {
	let n = 0;
	for (const c of row) if (same(c, BLANK)) n++;
	return n;
}

function isBlankRow(row: Cell[]): boolean {
	return row.every(c => c.ch === ' ' && c.sgr === '');
}

export type Scroll = {top: number; bottom: number; by: number};

/** Below this many cells saved, scrolling is not worth its escape sequences. */
const SCROLL_GAIN = 40;
const MAX_SCROLL = 24;

/**
 * The scroll (rows top..bottom up by `by`) that leaves the most cells right before the rows are diffed, if
 * it saves enough: for each distance, the block of rows that gains most from moving up (Kadane's maximum
 * sum over the rows' gains).
 */
export function findScroll(prev: Screen, next: Screen): Scroll | undefined {
	// Over a blank screen (the first frame) rows moved up gain nothing.
	if (prev.every(isBlankRow)) return undefined;
	const rows = Math.min(prev.length, next.length);
	const stay = next.map((row, r) => sameCells(prev[r], row));
	// No scroll can save more cells than have changed (a key typed changes a few): skip the search.
	let changed = 0;
	for (let r = 0; r < next.length; r++) changed += next[r]!.length - stay[r]!;
	if (changed <= SCROLL_GAIN) return undefined;
	let best: (Scroll & {gain: number}) | undefined;
	for (let by = 1; by <= Math.min(MAX_SCROLL, rows - 1); by++) {
		let sum = 0;
		let start = 0;
		let bestSum = 0;
		let bestStart = 0;
		let bestEnd = -1;
		for (let r = 0; r + by < rows; r++) {
			const gain = sameCells(prev[r + by], next[r]) - stay[r]!;
			if (sum <= 0) {
				sum = gain;
				start = r;
			} else sum += gain;
			if (sum > bestSum) {
				bestSum = sum;
				bestStart = start;
				bestEnd = r;
			}
		}
		if (bestEnd < 0) continue;
		// The rows scrolled in at the bottom of the region come in blank.
		let gain = bestSum;
		for (let r = bestEnd + 1; r <= Math.min(rows - 1, bestEnd + by); r++) gain += blankCells(next[r]!) - stay[r]!;
		if (gain > SCROLL_GAIN && (!best || gain > best.gain)) best = {top: bestStart, bottom: Math.min(rows - 1, bestEnd + by), by, gain};
	}
	return best ? {top: best.top, bottom: best.bottom, by: best.by} : undefined;
}

/** The screen after the terminal scrolled rows top..bottom up by `by`. */
export function applyScroll(screen: Screen, {top, bottom, by}: Scroll): Screen {
	const columns = screen[0]?.length ?? 0;
	const out = screen.slice();
	for (let r = top; r <= bottom; r++) out[r] = r + by <= bottom ? screen[r + by]! : Array.from({length: columns}, () => BLANK);
	return out;
}

/** Unchanged cells between two changed ones cheaper to write again than to move over. */
const GAP = 4;

/** The bytes that turn the terminal showing `prev` into showing `next` (same size), cursor and style tracked. */
export function diffScreens(prev: Screen, next: Screen): string {
	let out = '';
	let sgr = '';
	let cursor: {r: number; c: number} | undefined;
	const setStyle = (params: string): void => {
		if (params === sgr) return;
		out += params === '' ? `${ESC}[0m` : `${ESC}[0;${params}m`;
		sgr = params;
	};
	const scroll = findScroll(prev, next);
	let from = prev;
	if (scroll) {
		setStyle('');
		// DECSTBM, scroll up (SU), whole screen again; DECSTBM homes the cursor.
		out += `${ESC}[${scroll.top + 1};${scroll.bottom + 1}r${ESC}[${scroll.by}S${ESC}[r`;
		cursor = undefined;
		from = applyScroll(prev, scroll);
	}
	for (let r = 0; r < next.length; r++) {
		const a = from[r]!;
		const b = next[r]!;
		if (a === b) continue;
		const columns = b.length;
		let c = 0;
		while (c < columns) {
			if (same(a[c]!, b[c]!)) {
				c++;
				continue;
			}
			// A run of changed cells, through short stretches of unchanged ones; never starting or ending inside a wide character.
			let start = c;
			while (start > 0 && b[start]!.ch === '') start--;
			let end = c;
			let equal = 0;
			for (let k = c; k < columns; k++) {
				if (same(a[k]!, b[k]!)) {
					if (++equal > GAP) break;
				} else {
					equal = 0;
					end = k;
				}
			}
			while (end + 1 < columns && b[end + 1]!.ch === '') end++;
			// The rest of the row is blank in the new frame: erase it instead of writing spaces.
			const clearsRest = isBlankRow(b.slice(start));
			if (!cursor || cursor.r !== r || cursor.c !== start) out += `${ESC}[${r + 1};${start + 1}H`;
			if (clearsRest) {
				setStyle('');
				out += `${ESC}[K`;
				cursor = {r, c: start};
				break;
			}
			let tailBlank = end + 1;
			while (tailBlank > start && b[tailBlank - 1]!.ch === ' ' && b[tailBlank - 1]!.sgr === '') tailBlank--;
			const eraseTail = end >= columns - 1 && tailBlank < end + 1 && isBlankRow(b.slice(tailBlank));
			const last = eraseTail ? tailBlank - 1 : end;
			for (let k = start; k <= last; k++) {
				const cell = b[k]!;
				if (cell.ch === '') continue;
				setStyle(cell.sgr);
				out += cell.ch;
			}
			if (eraseTail) {
				setStyle('');
				out += `${ESC}[K`;
			}
			cursor = {r, c: last + 1};
			c = end + 1;
		}
	}
	setStyle('');
	return out;
}
