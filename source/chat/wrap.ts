import stringWidth from 'string-width';

// Width is measured in terminal cells with string-width, one grapheme cluster at a time.
// Not wrap-ansi: on one 64K-char line it takes seconds (CJK: ~9 s here), and it emits lines of lone spaces.

// Made on first use: the first Intl.Segmenter of a process costs ~16 ms (ICU loads its data), and
// commands that print only ASCII (`kchat tail` of most rooms) never need one.
let segmenter: Intl.Segmenter | undefined;
/** V8's Intl.Segmenter is super-linear on long strings (64K CJK chars: ~9 s whole, ~30 ms in 512-char pieces). */
const SEGMENT_CHUNK = 512;
const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;

/** Grapheme clusters of s, segmented in bounded pieces so that long strings stay linear. */
export function* graphemes(s: string): Generator<string> {
	let start = 0;
	while (start < s.length) {
		const end = Math.min(s.length, start + SEGMENT_CHUNK);
		let pending = '';
		let pendingAt = start;
		segmenter ??= new Intl.Segmenter();
		for (const {segment, index} of segmenter.segment(s.slice(start, end))) {
			if (pending) yield pending;
			pending = segment;
			pendingAt = start + index;
		}
		// The piece's last cluster may continue past the cut: segment it again with the next piece,
		// unless the whole piece is one (pathological) cluster.
		if (end === s.length || pendingAt === start) {
			yield pending;
			start = end;
		} else {
			start = pendingAt;
		}
	}
}

const widthCache = new Map<string, number>();

/** Width of one grapheme cluster in cells (cellWidth of it), remembered for the clusters seen last. */
export function graphemeWidth(g: string): number {
	if (g.length === 1) {
		const c = g.charCodeAt(0);
		if (c >= 0x20 && c < 0x7f) return 1;
	}
	let w = widthCache.get(g);
	if (w === undefined) {
		// string-width costs a few µs per call; chat text repeats its clusters.
		if (widthCache.size >= 4096) widthCache.clear();
		w = stringWidth(g);
		widthCache.set(g, w);
	}
	return w;
}

/** Width of s in terminal cells (string-width), linear on long strings. */
export function cellWidth(s: string): number {
	if (PRINTABLE_ASCII.test(s)) return s.length;
	if (s.length <= SEGMENT_CHUNK) return stringWidth(s);
	let w = 0;
	for (const g of graphemes(s)) w += graphemeWidth(g);
	return w;
}

/** s cut to at most width cells, ending in `…` when something was cut. */
export function truncateToWidth(s: string, width: number): string {
	const w = Number.isFinite(width) ? Math.max(0, Math.floor(width)) : 0;
	if (PRINTABLE_ASCII.test(s)) return s.length <= w ? s : w === 0 ? '' : s.slice(0, w - 1) + '…';
	let out = '';
	let used = 0;
	let fitted = ''; // the longest prefix that leaves a cell for the ellipsis
	for (const g of graphemes(s)) {
		used += graphemeWidth(g);
		if (used > w) return w === 0 ? '' : fitted + '…';
		out += g;
		if (used <= w - 1) fitted = out;
	}
	return s;
}

/**
 * Sanitised text as lines of at most width cells: explicit newlines kept, breaks at spaces where
 * possible, words longer than a line hard-broken. Only a single cluster wider than width (a wide
 * character at width 1) can exceed it. Width < 1 counts as 1; empty text gives [''].
 */
export function wrapText(text: string, width: number): string[] {
	const w = Number.isFinite(width) ? Math.max(1, Math.floor(width)) : 1;
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) wrapParagraph(paragraph, w, lines);
	return lines;
}

function wrapParagraph(p: string, w: number, lines: string[]): void {
	const ascii = PRINTABLE_ASCII.test(p);
	if (ascii && p.length <= w) {
		lines.push(p);
		return;
	}
	const gs = ascii ? p.split('') : Array.from(graphemes(p));
	const widths = gs.map(g => (ascii ? 1 : graphemeWidth(g)));
	const first = lines.length;
	let line = '';
	let lineW = 0;
	const flush = () => {
		const trimmed = line.replace(/ +$/, '');
		if (trimmed) lines.push(trimmed);
		line = '';
		lineW = 0;
	};
	let i = 0;
	while (i < gs.length) {
		// One token: a run of spaces or a run of anything else.
		const space = gs[i] === ' ';
		let j = i;
		let tokenW = 0;
		while (j < gs.length && (gs[j] === ' ') === space) tokenW += widths[j++]!;
		if (lineW + tokenW <= w) {
			line += gs.slice(i, j).join('');
			lineW += tokenW;
		} else if (space) {
			// Spaces that do not fit become the line break; indentation wider than the line is dropped.
			flush();
		} else {
			if (lineW > 0) flush();
			for (let k = i; k < j; k++) {
				if (lineW > 0 && lineW + widths[k]! > w) flush();
				line += gs[k]!;
				lineW += widths[k]!;
			}
		}
		i = j;
	}
	// A paragraph ending in spaces that broke the line leaves nothing to push.
	if (line || lines.length === first) lines.push(line);
}
