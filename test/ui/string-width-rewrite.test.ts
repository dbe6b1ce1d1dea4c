import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {rewriteStringWidth} from '../../scripts/bundle-plugins.mjs';

// The bundle's string-width skips its RGI emoji expression for clusters without any emoji code point
// (scripts/bundle-plugins.mjs): it must give the very widths of the original, which the tests and the
// panes rely on. The rewritten module is loaded beside the original, with the same dependencies.

type Width = (s: string) => number;
let original: Width;
let rewritten: Width;
let dir: string;

beforeAll(async () => {
	const file = fileURLToPathOf('string-width');
	const source = fs.readFileSync(file, 'utf8');
	const changed = rewriteStringWidth(source);
	expect(changed, "string-width's shape changed: the bundle takes it as it is").toBeDefined();
	// Its own imports, resolved as from its folder.
	const resolved = changed!.replace(/from '([^'.][^']*)'/g, (_, name: string) => `from '${pathToFileURL(fileURLToPathOf(name)).href}'`);
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-string-width-'));
	fs.writeFileSync(path.join(dir, 'index.mjs'), resolved);
	original = ((await import(pathToFileURL(file).href)) as {default: Width}).default;
	rewritten = ((await import(pathToFileURL(path.join(dir, 'index.mjs')).href)) as {default: Width}).default;
});

afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

function fileURLToPathOf(name: string): string {
	return new URL(import.meta.resolve(name)).pathname;
}

/** Emoji sequences of every kind RGI lists: keycaps, flags, tags, modifiers, ZWJ, presentation selectors. */
function emojiSequences(): string[] {
	const out: string[] = [];
	for (const k of '0123456789#*') out.push(`${k}\u20E3`, `${k}\uFE0F\u20E3`, `${k}\uFE0F`);
	for (let a = 0x1f1e6; a <= 0x1f1ff; a++) for (let b = 0x1f1e6; b <= 0x1f1ff; b++) out.push(String.fromCodePoint(a, b));
	for (const tag of ['gbeng', 'gbsct', 'gbwls', 'usca']) out.push(`🏴${[...tag].map(c => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('')}\u{E007F}`);
	for (let cp = 0; cp <= 0x1faff; cp++) {
		const c = String.fromCodePoint(cp);
		if (!/\p{Emoji}/u.test(c)) continue;
		out.push(`${c}\uFE0F`, `${c}\uFE0E`);
		if (/\p{Emoji_Modifier_Base}/u.test(c)) for (let m = 0x1f3fb; m <= 0x1f3ff; m++) out.push(c + String.fromCodePoint(m));
	}
	out.push('👨‍👩‍👧‍👦', '🧑🏽‍💻', '👩‍❤️‍💋‍👨', '🏳️‍🌈', '🏴‍☠️', '❤️‍🔥', '👁️‍🗨️', '🐕‍🦺', '👨🏻‍🤝‍👨🏿', '😶‍🌫️', '🫱🏻‍🫲🏿', '☺', '☺️', '⌚', '↔', '↔️', '©', '©️', 'a\u200Db', '1\u20E3x');
	return out;
}

describe("the bundle's string-width", () => {
	it('measures every code point of the first three planes as the original does', () => {
		const differ: string[] = [];
		for (let cp = 0; cp <= 0x2ffff; cp++) {
			// The lone surrogates and the big CJK blocks measured in steps: the same property all through.
			if ((cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0x20000 && cp <= 0x2ffff) || (cp >= 0xac00 && cp <= 0xd7a3)) {
				if (cp % 64 !== 0) continue;
			}
			const s = String.fromCodePoint(cp);
			if (rewritten(s) !== original(s)) differ.push(cp.toString(16));
		}
		expect(differ).toEqual([]);
	});

	it('measures emoji sequences, mixed text and wide clusters as the original does', () => {
		const texts = [...emojiSequences(), 'héllo wörld', '你好, world', 'Привет 👋🏽 мир', 'e\u0301\u0301', 'ｶﾞ', '각', '\u0915\u094D\u0937', 'x\u200By', '\u00AD'];
		const differ = texts.filter(t => rewritten(t) !== original(t));
		expect(differ).toEqual([]);
	});
});
