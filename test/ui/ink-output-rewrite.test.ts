import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {rewriteInkOutput} from '../../scripts/bundle-plugins.mjs';

// The bundle's Ink keeps its output caches from one frame to the next (scripts/bundle-plugins.mjs): every
// frame must come out exactly as Ink's own makes it. Both are loaded side by side and given the same
// frames: styled text, wide characters, clipped boxes, transformers, lines that repeat and lines that move.

type Transformer = (line: string, index: number) => string;
type Clip = {x1: number | undefined; x2: number | undefined; y1: number | undefined; y2: number | undefined};
type OutputLike = {write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void; clip(c: Clip): void; unclip(): void; get(): {output: string; height: number}};
type OutputClass = new (options: {width: number; height: number}) => OutputLike;

let Original: OutputClass;
let Rewritten: OutputClass;
let dir: string;

const resolve = (name: string): string => new URL(import.meta.resolve(name)).pathname;

beforeAll(async () => {
	const file = path.join(path.dirname(resolve('ink')), 'output.js');
	const changed = rewriteInkOutput(fs.readFileSync(file, 'utf8'));
	expect(changed, "Ink's output.js changed shape: the bundle takes it as it is").toBeDefined();
	const resolved = changed!.replace(/from '([^'.][^']*)'/g, (_, name: string) => `from '${pathToFileURL(resolve(name)).href}'`).replace(/\/\/# sourceMappingURL=.*/, '');
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-ink-output-'));
	fs.writeFileSync(path.join(dir, 'output.mjs'), resolved);
	Original = ((await import(pathToFileURL(file).href)) as {default: OutputClass}).default;
	Rewritten = ((await import(pathToFileURL(path.join(dir, 'output.mjs')).href)) as {default: OutputClass}).default;
});

afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

const ESC = '\u001B';
const LINES = [
	`${ESC}[2m12:00${ESC}[22m ${ESC}[36m<alice>${ESC}[39m hello there`,
	`${ESC}[2m12:01${ESC}[22m ${ESC}[33m<bob>${ESC}[39m 你好，世界 and more`,
	`${ESC}[1mbold${ESC}[22m plain ${ESC}[7minverse${ESC}[27m 👍🏽 ok`,
	'│ border ──── line │',
	`${ESC}[41m${ESC}[30m  red background  ${ESC}[39m${ESC}[49m`,
	'ｶﾞ half and ＦＵＬＬ width',
	'',
	'a much longer line that runs past the edge of the box it is written into, to be cut',
	`${ESC}[31mred ${ESC}[1mred bold${ESC}[22m red ${ESC}[2mdim${ESC}[22m${ESC}[39m ${ESC}[38;5;208morange${ESC}[39m ${ESC}[38;2;10;20;30mtrue${ESC}[39m`,
	`${ESC}[4m${ESC}[32munder green${ESC}[39m under${ESC}[24m ${ESC}[3mitalic ${ESC}[9mstruck${ESC}[29m${ESC}[23m`,
];

/** Frame n: some rows of the pool at moving offsets, in clipped and unclipped boxes. */
function draw(Output: OutputClass, n: number): string {
	const output = new Output({width: 40, height: 10});
	const upper: Transformer = line => line.toUpperCase();
	output.write(0, 0, `frame ${n % 3}`, {transformers: []});
	output.clip({x1: 2, x2: 30, y1: 1, y2: 8});
	for (let r = 0; r < 7; r++) output.write(r % 3 === 0 ? 0 : 2, 1 + r, LINES[(n + r) % LINES.length]!, {transformers: r === 4 ? [upper] : []});
	output.unclip();
	output.clip({x1: undefined, x2: undefined, y1: 8, y2: 9});
	output.write(0, 7, `${LINES[n % LINES.length]}\n${LINES[(n + 1) % LINES.length]}\nlast`, {transformers: []});
	output.unclip();
	output.write(31, 1 + (n % 4), '日本語テキスト', {transformers: []});
	return output.get().output;
}

describe("the bundle's Ink output", () => {
	it('makes every frame exactly as Ink does, frame after frame', () => {
		for (let n = 0; n < 60; n++) expect(draw(Rewritten, n % 17)).toBe(draw(Original, n % 17));
	});
});
