// The esbuild plugins of scripts/bundle.mjs: each rewrites a dependency's file as it goes into the bundle,
// for start-up time or drawing time measured in kchat's bench. Each checks the file's shape first and,
// when it changed, bundles the file as it is (with a warning): the rewrite is lost, never the program.
// Replacements go through a function, so that `$'` and the like in the new code are not patterns.
import {readFile} from 'node:fs/promises';

/**
 * meow bundles its dependencies into one module that, on import, builds normalize-package-data (with
 * its SPDX licence tables) and Babel's code frame: ~20-40 ms of every command's start, though kchat
 * hands meow its flags and never asks it for package data or a JSON error frame. This makes both
 * load on first use instead. It also imports Node's child_process for a promisified execFile it never
 * keeps (a statement whose value is dropped): loading child_process is ~4 ms of every start, so both go.
 * If meow's file changes shape, the bundle is built as it is.
 */
export const lazyMeowDependencies = {
	name: 'lazy-meow-dependencies',
	setup(bundle) {
		bundle.onLoad({filter: /[\\/]meow[\\/]build[\\/]dependencies\.js$/}, async args => {
			let contents = await readFile(args.path, 'utf8');
			const rewrites = [
				['var libExports = requireLib$1();', 'var libExports = {codeFrameColumns: (...args) => requireLib$1().codeFrameColumns(...args)};'],
				[
					'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);',
					'const normalizePackageData = (...args) => getDefaultExportFromCjs(requireNormalize())(...args);',
				],
				["import { execFile } from 'node:child_process';\n", ''],
				['\npromisify(execFile);\n', '\n'],
			];
			for (const [from, to] of rewrites) {
				if (contents.includes(from)) contents = contents.replace(from, () => to);
				else console.warn(`bundle: meow's dependencies changed; "${from.split('\n')[0]}" is loaded eagerly`);
			}
			return {contents, loader: 'js'};
		});
	},
};

/**
 * Yoga (Ink's layout engine) carries its WebAssembly as a base64 data: URL and, where `fetch` exists (Node
 * 18+), reads it with fetch(): that loads Node's whole fetch implementation (undici) first, 80-90 ms of the
 * chat's first frame here (import('yoga-layout'): 125 ms with fetch, 35-48 ms without). Its own fallback
 * decodes the same base64 at once; this makes it take that path. Shape changed: bundled as it is.
 */
export const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(bundle) {
		bundle.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, async args => {
			let contents = await readFile(args.path, 'utf8');
			const from = 'function ya(){return w||"function"!=typeof fetch?';
			if (contents.includes(from)) contents = contents.replace(from, 'function ya(){return true?');
			else console.warn('bundle: yoga-layout changed; its WebAssembly is read with fetch()');
			return {contents, loader: 'js'};
		});
	},
};

/**
 * Ink (6.8) draws each frame into a fresh grid of styled characters: it tokenises the ANSI codes of every
 * line, cuts the lines of clipped boxes with slice-ansi, makes a new object for each of the 4,800 blank
 * cells of a 120x40 screen and turns each row back into a string, with caches that live for one frame.
 * A key typed redid all of it for the whole screen: most of Ink's ~10 ms a frame (CPU profile of the
 * render bench). All of it depends only on the lines, so here the caches outlive the frame (renewed past
 * a bound, so memory stays flat), slices are cached, blank and wide-character filler cells are shared
 * objects (nothing changes a cell once made), a row made of the very same cells as in the frame
 * before gives the string it gave then, and a row's string is made without building sets of style codes
 * between characters of the same style. Shape changed: bundled as it is.
 */
const inkOutputRewrites = [
	['    caches = new OutputCaches();', '    caches = sharedOutputCaches();'],
	['return sliceAnsi(line, from, to);', 'return this.caches.getSlice(line, from, to);'],
	[
		`                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });`,
		'                row.push(BLANK_CHAR);',
	],
	[
		`                                currentLine[offsetX + index] = {
                                    type: 'char',
                                    value: '',
                                    fullWidth: false,
                                    styles: character.styles,
                                };`,
		'                                currentLine[offsetX + index] = this.caches.getFiller(character);',
	],
	[
		`            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })`,
		'            .map((line, y) => this.caches.getRowString(y, line))',
	],
];

const inkOutputAddition = `
import {ansiCodesToString, diffAnsiCodes} from '@alcalzone/ansi-tokenize';
const BLANK_CHAR = {type: 'char', value: ' ', fullWidth: false, styles: []};
const slices = new Map();
const fillers = new WeakMap();
let rowsBefore = [];
OutputCaches.prototype.getSlice = function (line, from, to) {
    // A line inside the clip (every row kchat writes: it cuts its lines to the pane itself) is the line:
    // slice-ansi would segment it into graphemes to cut nothing (most of the first frame's work).
    if (from === 0 && to >= this.getStringWidth(line)) return line;
    const key = from + ':' + to + ':' + line;
    let cached = slices.get(key);
    if (cached === undefined) {
        cached = sliceAnsi(line, from, to);
        slices.set(key, cached);
    }
    return cached;
};
OutputCaches.prototype.getFiller = function (character) {
    let filler = fillers.get(character);
    if (filler === undefined) {
        filler = {type: 'char', value: '', fullWidth: false, styles: character.styles};
        fillers.set(character, filler);
    }
    return filler;
};
OutputCaches.prototype.getRowString = function (y, line) {
    const before = rowsBefore[y];
    if (before !== undefined && sameCells(before.line, line)) return before.text;
    // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
    const text = charsToString(line.filter(item => item !== undefined)).trimEnd();
    rowsBefore[y] = {line, text};
    return text;
};
// styledCharsToString, less its garbage: the codes between two characters of the same style are none,
// which it finds by building sets for each character (most of a frame's allocations). The same string.
function charsToString(chars) {
    let ret = '';
    for (let i = 0; i < chars.length; i++) {
        const char = chars[i];
        if (i === 0) ret += ansiCodesToString(char.styles);
        else if (!sameStyles(chars[i - 1].styles, char.styles)) ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        ret += char.value;
        if (i === chars.length - 1) ret += ansiCodesToString(diffAnsiCodes(char.styles, []));
    }
    return ret;
}
function sameStyles(a, b) {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
    return true;
}
function sameCells(a, b) {
    if (a.length !== b.length) return false;
    for (let x = 0; x < a.length; x++) if (a[x] !== b[x]) return false;
    return true;
}
let shared;
function sharedOutputCaches() {
    if (shared === undefined || shared.styledChars.size > 1000 || shared.widths.size > 5000 || shared.blockWidths.size > 2000 || slices.size > 2000) {
        shared = new OutputCaches();
        slices.clear();
        rowsBefore = [];
    }
    return shared;
}
`;

/** Ink's output.js with the caches above, or undefined when its shape changed. */
export function rewriteInkOutput(contents) {
	if (!inkOutputRewrites.every(([from]) => contents.includes(from))) return undefined;
	for (const [from, to] of inkOutputRewrites) contents = contents.replace(from, () => to);
	return contents + inkOutputAddition;
}

export const inkOutputCaches = {
	name: 'ink-output-caches',
	setup(bundle) {
		bundle.onLoad({filter: /[\\/]ink[\\/]build[\\/]output\.js$/}, async args => {
			const contents = await readFile(args.path, 'utf8');
			const rewritten = rewriteInkOutput(contents);
			if (rewritten === undefined) console.warn("bundle: Ink's output.js changed; its caches last one frame");
			return {contents: rewritten ?? contents, loader: 'js'};
		});
	},
};

/**
 * string-width (8.x) tests every grapheme cluster of a string that is not plain ASCII against
 * `/^\p{RGI_Emoji}$/v`, a regular expression of several thousand emoji sequences: building it costs
 * 17-30 ms when the module loads, V8 compiles it again on first use and once more when it gets hot, and
 * each test is slow (about 0.1 ms for a short line of CJK): most of the string widths in the chat's first
 * frame. The same answer, without it, for the clusters a chat is made of:
 * - every RGI emoji sequence holds a code point of the Emoji property (digits and # * of keycaps,
 *   regional indicators and modifiers included): a cluster without one is not an emoji;
 * - one code point is an RGI emoji when it is Emoji_Presentation and not a regional indicator;
 * - a code point and VS16 (U+FE0F) are one when it is Emoji but neither Emoji_Presentation nor
 *   Emoji_Component;
 * anything else (flags, keycaps, modifiers, ZWJ sequences) is tested against the expression, built the
 * first time it is needed. Same widths, checked over the code points and emoji sequences in
 * test/ui/string-width-rewrite.test.ts (against the engine's own Unicode data).
 */
const stringWidthRewrites = [
	['const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;', `const mayBeEmoji = /\\p{Emoji}/u;
const basicEmoji = /^(?![\\u{1F1E6}-\\u{1F1FF}])\\p{Emoji_Presentation}$/u;
const textEmojiAsEmoji = /^(?!\\p{Emoji_Presentation}|\\p{Emoji_Component})\\p{Emoji}\\uFE0F$/u;
let rgiEmojiRegex;
function isRgiEmoji(segment) {
	if (!mayBeEmoji.test(segment)) return false;
	const length = segment.codePointAt(0) > 0xFFFF ? 2 : 1;
	if (segment.length === length) return basicEmoji.test(segment);
	if (segment.length === length + 1 && segment.charCodeAt(length) === 0xFE0F) return textEmojiAsEmoji.test(segment);
	rgiEmojiRegex ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v');
	return rgiEmojiRegex.test(segment);
}`],
	['if (rgiEmojiRegex.test(segment) || isDoubleWidthNonRgiEmojiSequence(segment)) {', 'if (isRgiEmoji(segment) || isDoubleWidthNonRgiEmojiSequence(segment)) {'],
	// The first Intl.Segmenter of a process costs ~16 ms (ICU loads its data): made for the first string
	// that is not printable ASCII, not when the module loads (`kchat tail` of ASCII text never needs it).
	['const segmenter = new Intl.Segmenter();', 'let segmenter;'],
	['for (const {segment} of segmenter.segment(string)) {', 'for (const {segment} of (segmenter ??= new Intl.Segmenter()).segment(string)) {'],
];

/** string-width's source with the rewrites above, or undefined when its shape changed. */
export function rewriteStringWidth(contents) {
	if (!stringWidthRewrites.every(([from]) => contents.includes(from))) return undefined;
	for (const [from, to] of stringWidthRewrites) contents = contents.replace(from, () => to);
	return contents;
}

export const stringWidthWithoutRgiRegex = {
	name: 'string-width-without-rgi-regex',
	setup(bundle) {
		bundle.onLoad({filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/}, async args => {
			const contents = await readFile(args.path, 'utf8');
			// wrap-ansi's own older string-width uses emoji-regex: left as it is.
			if (contents.includes("from 'emoji-regex'")) return undefined;
			const rewritten = rewriteStringWidth(contents);
			if (rewritten === undefined) console.warn('bundle: string-width changed; it tests every cluster against the RGI emoji expression');
			return {contents: rewritten ?? contents, loader: 'js'};
		});
	},
};
