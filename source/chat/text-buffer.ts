import {sanitizeText} from './sanitize.js';
import {cellWidth, graphemes} from './wrap.js';

// The input editor's model: text, cursor, kill buffer, collapsed pastes and the input history, changed
// only by `edit` (a reducer over editing actions). No React here: the view draws what `layoutBuffer`
// says, so keys that arrive together are applied one after the other to the latest state.
//
// The cursor is a UTF-16 index that always sits on a grapheme-cluster boundary. A collapsed paste is one
// character of Unicode's private use plane 15 (an "atom") standing for its text; it moves, deletes and
// wraps as one unit and is shown as `[pasted 42 lines]`. Typed or pasted text never holds such a
// character (it becomes U+FFFD), so an atom is always ours.

/** A paste over this many lines or characters is shown collapsed. */
export const COLLAPSE_LINES = 5;
export const COLLAPSE_CHARS = 500;
/** Lines kept in each room's input history. */
export const HISTORY_SIZE = 200;

const FIRST_ATOM = 0xf0000;
const LAST_ATOM = 0xffffd;
const PLANE_15 = /[\u{F0000}-\u{FFFFF}]/gu;
const HAS_ATOM = /[\u{F0000}-\u{FFFFF}]/u;

type Snapshot = Readonly<{text: string; cursor: number}>;

export type TextBuffer = Readonly<{
	text: string;
	cursor: number;
	/** Text of each collapsed paste, by its atom. */
	pastes: Readonly<Record<string, string>>;
	nextAtom: number;
	/** What Ctrl+Y puts back: the last text killed (kills in a row add up, as in readline). */
	kill: string;
	lastWasKill: boolean;
	/** Lines sent from this input, oldest first. */
	history: readonly string[];
	/** Where Up/Down are in the history; history.length is the line being written. */
	walk: number;
	/** The line being written, kept while Up/Down show older ones. */
	draft?: Snapshot;
	/** The cell column Up/Down aim for, kept over several vertical moves. */
	goal?: number;
}>;

export type EditAction =
	| {type: 'insert'; text: string}
	| {type: 'paste'; text: string}
	| {type: 'newline'}
	| {type: 'left' | 'right' | 'line-start' | 'line-end' | 'word-left' | 'word-right' | 'text-start' | 'text-end'}
	| {type: 'backspace' | 'delete' | 'delete-word-left' | 'delete-word-right' | 'kill-to-start' | 'kill-to-end' | 'yank'}
	/** Up/Down: a row up or down, or through the history from the first or last row. `width` as for layoutBuffer. */
	| {type: 'up' | 'down'; width: number}
	| {type: 'expand-pastes' | 'clear'}
	/** The line was sent: into the history, and a fresh empty line. */
	| {type: 'submitted'}
	/** Replaces text[start, end) (Tab completion), the cursor after it. */
	| {type: 'splice'; start: number; end: number; text: string};

export function emptyBuffer(): TextBuffer {
	return {text: '', cursor: 0, pastes: {}, nextAtom: FIRST_ATOM, kill: '', lastWasKill: false, history: [], walk: 0};
}

export function isAtom(cluster: string): boolean {
	const c = cluster.codePointAt(0) ?? 0;
	return c >= FIRST_ATOM && c <= LAST_ATOM && cluster.length === 2;
}

/** The whole text, collapsed pastes expanded: what Enter sends. */
export function bufferValue(b: TextBuffer): string {
	return expand(b.text, b.pastes);
}

/** Whether the input holds nothing at all (Home/End and `?` then act on the rest of the app). */
export function isEmpty(b: TextBuffer): boolean {
	return b.text === '';
}

function expand(text: string, pastes: TextBuffer['pastes']): string {
	return text.replace(PLANE_15, c => pastes[c] ?? '\uFFFD');
}

/** How a collapsed paste is shown: `[pasted 42 lines]`, or its size for one long line. */
export function pasteLabel(text: string): string {
	const lines = text.split('\n').length;
	return lines > 1 ? `[pasted ${lines} lines]` : `[pasted ${text.length} characters]`;
}

/** Own input made printable (controls as pictures, tabs as spaces), line breaks kept, no plane-15 characters. */
function clean(text: string): string {
	return sanitizeText(text.replace(/\r\n?/g, '\n')).replace(PLANE_15, '\uFFFD');
}

// --- Grapheme and word boundaries, looked up near the cursor so a long text costs no more than a short one.

const WINDOW = 256;
// Made on first use: the first Intl.Segmenter of a process costs ~16 ms (ICU loads its data).
let words: Intl.Segmenter | undefined;

/** Start of the grapheme cluster that ends at i. */
export function previousBoundary(text: string, i: number): number {
	if (i <= 0) return 0;
	for (let span = 64; ; span *= 4) {
		const from = Math.max(0, i - span);
		let last = from;
		let at = from;
		for (const g of graphemes(text.slice(from, i))) {
			last = at;
			at += g.length;
		}
		// The window may have cut the first cluster: good enough unless the whole window is one cluster.
		if (last > from || from === 0) return last;
	}
}

/** End of the grapheme cluster that starts at i. */
export function nextBoundary(text: string, i: number): number {
	if (i >= text.length) return text.length;
	for (let span = 64; ; span *= 4) {
		const to = Math.min(text.length, i + span);
		const first = graphemes(text.slice(i, to)).next().value ?? '';
		if (i + first.length < to || to === text.length) return i + Math.max(1, first.length);
	}
}

type WordSegment = {start: number; end: number; word: boolean};

/** Word segments of text[from, to): words (and pastes) are `word`; spaces, punctuation and line breaks are not. */
function wordSegments(text: string, from: number, to: number): WordSegment[] {
	const out: WordSegment[] = [];
	words ??= new Intl.Segmenter(undefined, {granularity: 'word'});
	for (const s of words.segment(text.slice(from, to))) {
		const start = from + s.index;
		// A paste is a word of its own, never glued to its neighbours.
		let run = start;
		for (let k = 0; k < s.segment.length; ) {
			const c = s.segment.codePointAt(k)!;
			const size = c > 0xffff ? 2 : 1;
			if (c >= FIRST_ATOM && c <= LAST_ATOM) {
				if (start + k > run) out.push({start: run, end: start + k, word: s.isWordLike === true});
				out.push({start: start + k, end: start + k + size, word: true});
				run = start + k + size;
			}
			k += size;
		}
		if (run < start + s.segment.length) out.push({start: run, end: start + s.segment.length, word: s.isWordLike === true});
	}
	return out;
}

/** Start of the word before i (Alt+B, Ctrl+W): back over non-word characters, then over the word. */
export function wordStartBefore(text: string, i: number): number {
	const from = Math.max(0, i - WINDOW);
	const segments = wordSegments(text, from, i);
	for (let k = segments.length - 1; k >= 0; k--) if (segments[k]!.word) return segments[k]!.start;
	return from === 0 ? 0 : wordStartBefore(text, from);
}

/** End of the word after i (Alt+F, Alt+D): forward over non-word characters, then over the word. */
export function wordEndAfter(text: string, i: number): number {
	const to = Math.min(text.length, i + WINDOW);
	const found = wordSegments(text, i, to).find(s => s.word);
	if (found) return found.end;
	return to === text.length ? to : wordEndAfter(text, to);
}

function lineStart(text: string, i: number): number {
	return text.lastIndexOf('\n', i - 1) + 1;
}

function lineEnd(text: string, i: number): number {
	const end = text.indexOf('\n', i);
	return end === -1 ? text.length : end;
}

// --- Layout: the text as rows of a given width, for the view and for Up/Down.

export type RowPart = {text: string; start: number; end: number; atom: boolean};
/** One screen row of the input: a slice text[start, end) of one line, as parts to draw. */
export type BufferRow = {start: number; end: number; parts: RowPart[]; width: number};
export type BufferLayout = {rows: BufferRow[]; cursorRow: number; cursorColumn: number};

function clusterWidth(cluster: string, pastes: TextBuffer['pastes']): number {
	return isAtom(cluster) ? cellWidth(pasteLabel(pastes[cluster] ?? '')) : cellWidth(cluster);
}

/**
 * The text wrapped at `width` cells less one (the cursor needs a cell after the last character): lines
 * break at their line breaks, and long lines at the last space that fits, else anywhere.
 */
export function layoutBuffer(b: Pick<TextBuffer, 'text' | 'cursor' | 'pastes'>, width: number): BufferLayout {
	const w = Math.max(1, Math.floor(width) - 1);
	const rows: BufferRow[] = [];
	let start = 0;
	for (const line of b.text.split('\n')) {
		for (const row of wrapLine(line, start, w, b.pastes)) rows.push(row);
		start += line.length + 1;
	}
	let cursorRow = rows.length - 1;
	for (let r = 0; r < rows.length; r++) {
		const row = rows[r]!;
		const lastOfLine = r === rows.length - 1 || rows[r + 1]!.start !== row.end;
		if (b.cursor >= row.start && (b.cursor < row.end || (b.cursor === row.end && lastOfLine))) {
			cursorRow = r;
			break;
		}
	}
	const row = rows[cursorRow]!;
	return {rows, cursorRow, cursorColumn: columnOf(b.text.slice(row.start, b.cursor), b.pastes)};
}

function columnOf(text: string, pastes: TextBuffer['pastes']): number {
	let w = 0;
	for (const g of graphemes(text)) w += clusterWidth(g, pastes);
	return w;
}

function wrapLine(line: string, offset: number, w: number, pastes: TextBuffer['pastes']): BufferRow[] {
	const rows: BufferRow[] = [];
	const clusters = line === '' ? [] : [...graphemes(line)];
	let rowStart = 0; // index into clusters
	let rowWidth = 0;
	let breakAt = -1; // cluster index just after the last space in the row
	let at = 0; // UTF-16 index of clusters[i]
	const starts: number[] = [];
	for (const g of clusters) {
		starts.push(at);
		at += g.length;
	}
	starts.push(at);
	const push = (from: number, to: number): void => {
		const parts: RowPart[] = [];
		let text = '';
		let textStart = starts[from]!;
		let width = 0;
		for (let i = from; i < to; i++) {
			const g = clusters[i]!;
			width += clusterWidth(g, pastes);
			if (isAtom(g)) {
				if (text) parts.push({text, start: offset + textStart, end: offset + starts[i]!, atom: false});
				parts.push({text: pasteLabel(pastes[g] ?? ''), start: offset + starts[i]!, end: offset + starts[i + 1]!, atom: true});
				text = '';
				textStart = starts[i + 1]!;
			} else text += g;
		}
		if (text) parts.push({text, start: offset + textStart, end: offset + starts[to]!, atom: false});
		rows.push({start: offset + starts[from]!, end: offset + starts[to]!, parts, width});
	};
	const wordWidth = (from: number): number => {
		let width = 0;
		for (let k = from; k < clusters.length && clusters[k] !== ' '; k++) width += clusterWidth(clusters[k]!, pastes);
		return width;
	};
	for (let i = 0; i < clusters.length; i++) {
		const cw = clusterWidth(clusters[i]!, pastes);
		// A space that does not fit ends the row in the cell kept for the cursor, rather than starting the next.
		if (clusters[i] === ' ' && rowWidth + cw === w + 1 && i > rowStart) {
			push(rowStart, i + 1);
			rowStart = i + 1;
			rowWidth = 0;
			breakAt = -1;
			continue;
		}
		if (rowWidth + cw > w && i > rowStart) {
			// Break at the last space, unless the word is longer than a row anyway: that one breaks where it is.
			const cut = breakAt > rowStart && clusters[i] !== ' ' && wordWidth(breakAt) <= w ? breakAt : i;
			push(rowStart, cut);
			rowStart = cut;
			rowWidth = 0;
			for (let k = cut; k < i; k++) rowWidth += clusterWidth(clusters[k]!, pastes);
			breakAt = -1;
		}
		rowWidth += cw;
		if (clusters[i] === ' ') breakAt = i + 1;
	}
	push(rowStart, clusters.length);
	return rows;
}

/** The cursor index on `row` closest to cell column `column` without passing it. */
function indexAtColumn(b: TextBuffer, row: BufferRow, column: number, lastOfLine: boolean): number {
	let w = 0;
	let i = row.start;
	const end = lastOfLine ? row.end : previousBoundary(b.text, row.end);
	while (i < end) {
		const next = nextBoundary(b.text, i);
		const cw = clusterWidth(b.text.slice(i, next), b.pastes);
		if (w + cw > column) break;
		w += cw;
		i = next;
	}
	return Math.min(i, Math.max(row.start, end));
}

// --- The reducer.

function at(b: TextBuffer, cursor: number): TextBuffer {
	return {...b, cursor, goal: undefined, lastWasKill: false};
}

/** An edit of the text: ends a walk through the history (the edited line is the one being written now). */
function changed(b: TextBuffer, text: string, cursor: number): TextBuffer {
	return {...b, text, cursor, goal: undefined, lastWasKill: false, walk: b.history.length, draft: undefined};
}

function insertAt(b: TextBuffer, text: string): TextBuffer {
	return changed(b, b.text.slice(0, b.cursor) + text + b.text.slice(b.cursor), b.cursor + text.length);
}

function remove(b: TextBuffer, from: number, to: number): TextBuffer {
	if (from === to) return at(b, from);
	return changed(b, b.text.slice(0, from) + b.text.slice(to), from);
}

/** Removes text[from, to) into the kill buffer; kills in a row join up (backwards ones in front). */
function killRange(b: TextBuffer, from: number, to: number, backwards: boolean): TextBuffer {
	if (from === to) return {...at(b, from), lastWasKill: b.lastWasKill};
	const cut = b.text.slice(from, to);
	const kill = b.lastWasKill ? (backwards ? cut + b.kill : b.kill + cut) : cut;
	return {...remove(b, from, to), kill, lastWasKill: true};
}

/** A line from the history or the draft as the buffer's text: a long one collapsed, as when it was pasted. */
function load(b: TextBuffer, text: string, walk: number): TextBuffer {
	const next = {...b, text: '', cursor: 0, walk, goal: undefined, lastWasKill: false};
	return collapses(text) ? withPaste(next, text) : {...next, text, cursor: text.length};
}

function collapses(text: string): boolean {
	return text.split('\n').length > COLLAPSE_LINES || text.length > COLLAPSE_CHARS;
}

function withPaste(b: TextBuffer, text: string): TextBuffer {
	const atom = String.fromCodePoint(b.nextAtom);
	const inserted = {...b, text: b.text.slice(0, b.cursor) + atom + b.text.slice(b.cursor), cursor: b.cursor + atom.length};
	return {...inserted, pastes: {...b.pastes, [atom]: text}, nextAtom: b.nextAtom >= LAST_ATOM ? FIRST_ATOM : b.nextAtom + 1};
}

function vertical(b: TextBuffer, step: 1 | -1, width: number): TextBuffer {
	const layout = layoutBuffer(b, width);
	const target = layout.cursorRow + step;
	if (target < 0 || target >= layout.rows.length) return walkHistory(b, step);
	const row = layout.rows[target]!;
	const lastOfLine = target === layout.rows.length - 1 || layout.rows[target + 1]!.start !== row.end;
	const goal = b.goal ?? layout.cursorColumn;
	return {...b, cursor: indexAtColumn(b, row, goal, lastOfLine), goal, lastWasKill: false};
}

/** Up from the first row: the line sent before; Down from the last: the next one, then the line being written. */
function walkHistory(b: TextBuffer, step: 1 | -1): TextBuffer {
	const walk = b.walk + step;
	if (walk < 0 || walk > b.history.length) return b;
	// The line being written is kept as it is, collapsed pastes and cursor too.
	const draft = b.walk === b.history.length ? {text: b.text, cursor: b.cursor} : b.draft;
	if (walk === b.history.length) return {...b, text: draft?.text ?? '', cursor: draft?.cursor ?? 0, walk, draft: undefined, goal: undefined, lastWasKill: false};
	return {...load(b, b.history[walk]!, walk), draft};
}

/** The buffer after one editing action. */
export function edit(b: TextBuffer, action: EditAction): TextBuffer {
	const {text, cursor} = b;
	switch (action.type) {
		case 'insert':
			return action.text === '' ? b : insertAt(b, clean(action.text));
		case 'paste': {
			// A copied line usually ends in its line break: that one is not part of what was meant.
			const pasted = clean(action.text).replace(/\n$/, '');
			if (pasted === '') return b;
			if (!collapses(pasted)) return insertAt(b, pasted);
			const withAtom = withPaste(b, pasted);
			return {...changed(withAtom, withAtom.text, withAtom.cursor)};
		}
		case 'newline':
			return insertAt(b, '\n');
		case 'left':
			return at(b, previousBoundary(text, cursor));
		case 'right':
			return at(b, nextBoundary(text, cursor));
		case 'line-start':
			return at(b, lineStart(text, cursor));
		case 'line-end':
			return at(b, lineEnd(text, cursor));
		case 'text-start':
			return at(b, 0);
		case 'text-end':
			return at(b, text.length);
		case 'word-left':
			return at(b, wordStartBefore(text, cursor));
		case 'word-right':
			return at(b, wordEndAfter(text, cursor));
		case 'backspace':
			return remove(b, previousBoundary(text, cursor), cursor);
		case 'delete':
			return remove(b, cursor, nextBoundary(text, cursor));
		case 'delete-word-left':
			return killRange(b, wordStartBefore(text, cursor), cursor, true);
		case 'delete-word-right':
			return killRange(b, cursor, wordEndAfter(text, cursor), false);
		case 'kill-to-start': {
			const start = lineStart(text, cursor);
			// At the start of a line: the line break before it.
			return killRange(b, start === cursor ? Math.max(0, cursor - 1) : start, cursor, true);
		}
		case 'kill-to-end': {
			const end = lineEnd(text, cursor);
			return killRange(b, cursor, end === cursor ? Math.min(text.length, cursor + 1) : end, false);
		}
		case 'yank':
			return b.kill === '' ? b : insertAt(b, b.kill);
		case 'up':
			return vertical(b, -1, action.width);
		case 'down':
			return vertical(b, 1, action.width);
		case 'expand-pastes': {
			if (!HAS_ATOM.test(text)) return b;
			const before = expand(text.slice(0, cursor), b.pastes);
			return {...changed(b, before + expand(text.slice(cursor), b.pastes), before.length), pastes: {}};
		}
		case 'clear':
			return {...changed(b, '', 0), pastes: {}};
		case 'submitted': {
			const sent = bufferValue(b);
			const history = sent.trim() === '' || b.history.at(-1) === sent ? b.history : [...b.history, sent].slice(-HISTORY_SIZE);
			return {...emptyBuffer(), kill: b.kill, history, walk: history.length, nextAtom: b.nextAtom};
		}
		case 'splice': {
			const inserted = clean(action.text);
			return changed(b, text.slice(0, action.start) + inserted + text.slice(action.end), action.start + inserted.length);
		}
	}
}
