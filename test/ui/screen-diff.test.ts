import {describe, expect, it} from 'vitest';
import {TerminalScreen} from '../../source/bench/headless-terminal.js';
import {OWN_CLUSTERS, blankScreen, diffScreens, findScroll, parseFrame, rowCache} from '../../source/ui/screen-diff.js';

const COLUMNS = 100;
const ROWS = 12;

/** A frame like the app's: a room list, a message pane with `lines` (the last ones), a member list, status. */
function frame(lines: string[]): string {
	const rows: string[] = [];
	const rooms = ['1 lobby', '2 ops', '3 日本'];
	for (let r = 0; r < ROWS - 1; r++) {
		const left = (rooms[r] ?? '').padEnd(12 - (rooms[r]?.includes('日') ? 2 : 0));
		// Cut to the pane (Ink never writes a row wider than the terminal).
		const text = [...(lines[lines.length - (ROWS - 1) + r] ?? '')].slice(0, 60).join('');
		rows.push(`\u001B[2m${left}\u001B[22m│ ${text}${' '.repeat(Math.max(0, 66 - [...text].length - (text.match(/[\u3000-\u9fff]/g)?.length ?? 0)))}│ \u001B[32m●\u001B[39m bob`);
	}
	rows.push('\u001B[1mme\u001B[22m @ localhost:9092 · online');
	return rows.join('\n');
}

/** What a terminal shows after the first frame, then after the diff to the next. */
function show(frames: string[]): {screens: string[][]; bytes: number[]} {
	const terminal = new TerminalScreen(COLUMNS, ROWS);
	let before = blankScreen(ROWS, COLUMNS);
	const screens: string[][] = [];
	const bytes: number[] = [];
	for (const f of frames) {
		const next = parseFrame(f, ROWS, COLUMNS);
		const out = diffScreens(before, next);
		bytes.push(Buffer.byteLength(out));
		terminal.write(out);
		screens.push(terminal.text().map(r => r.trimEnd()));
		before = next;
	}
	return {screens, bytes};
}

const plain = (f: string): string[] =>
	f
		.replace(/\u001B\[[0-9;]*m/g, '')
		.split('\n')
		.map(r => r.trimEnd());

describe('screen diff', () => {
	const words = ['kafka', 'lag', 'deploy', 'partition', 'coffee', 'rebalance', 'broker', 'yes', 'on it', 'thanks!'];
	const messages = Array.from({length: 40}, (_, i) => {
		const text = Array.from({length: 3 + (i % 5)}, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
		return `12:00:${String(i).padStart(2, '0')} <${['alice', 'bob', 'carol'][i % 3]}> ${text}${i % 5 === 0 ? ' 日本語' : ''}`;
	});

	it('turns what the terminal shows into the next frame, wide characters included', () => {
		const frames = [10, 11, 14, 14, 20, 21, 40, 12].map(n => frame(messages.slice(0, n)));
		const {screens} = show(frames);
		for (const [i, f] of frames.entries()) expect(screens[i]).toEqual(plain(f));
	});

	it('writes nothing for an unchanged frame, a few bytes for a changed cell, and scrolls the terminal when the pane moved up', () => {
		const a = frame(messages.slice(0, 20));
		const b = frame(messages.slice(0, 23));
		const {bytes} = show([a, a, b]);
		expect(bytes[1]).toBe(0);
		const full = bytes[0]!;
		// Three new lines: the pane moved up by three rows; the terminal scrolls it, the side columns are repaired.
		expect(findScroll(parseFrame(a, ROWS, COLUMNS), parseFrame(b, ROWS, COLUMNS))).toMatchObject({by: 3});
		expect(bytes[2]).toBeLessThan(full / 2);
		const c = a.replace('12:00:19', '12:00:X9');
		expect(show([a, c]).bytes[1]).toBeLessThan(20);
	});

	it('parses a row again only when its line changed, with the very same result', () => {
		const cache = rowCache();
		const frames = [10, 11, 11, 14, 40, 12].map(n => frame(messages.slice(0, n)));
		// A key typed: only the status row changes.
		frames.splice(3, 0, frames[2]!.replace('· online', '· online x'));
		let before = blankScreen(ROWS, COLUMNS);
		let cachedBefore = blankScreen(ROWS, COLUMNS);
		let linesBefore: string[] = [];
		let kept = 0;
		for (const f of frames) {
			const fresh = parseFrame(f, ROWS, COLUMNS);
			const cached = parseFrame(f, ROWS, COLUMNS, cache);
			expect(cached).toEqual(fresh);
			expect(diffScreens(cachedBefore, cached)).toBe(diffScreens(before, fresh));
			// A row whose line is what it was in the frame before is that frame's row, not parsed again.
			const lines = f.split('\n');
			for (const [r, line] of lines.entries()) {
				if (linesBefore[r] !== line) continue;
				expect(cached[r]).toBe(cachedBefore[r]);
				kept++;
			}
			linesBefore = lines;
			before = fresh;
			cachedBefore = cached;
		}
		expect(kept).toBeGreaterThan(ROWS * 2);
	});

	it('takes each character of a string of OWN_CLUSTERS as a cluster of its own, as the segmenter does', () => {
		const segmenter = new Intl.Segmenter();
		const members: string[] = [];
		for (let cp = 0x20; cp <= 0xffff; cp++) if (OWN_CLUSTERS.test(String.fromCharCode(cp))) members.push(String.fromCharCode(cp));
		expect(members.length).toBeGreaterThan(30_000);
		const neighbours = ['a', 'é', '│', 'カ', '中', '각'];
		const joined: string[] = [];
		for (const c of members) {
			for (const n of [...neighbours, c]) {
				if ([...segmenter.segment(c + n)].length !== 2 || [...segmenter.segment(n + c)].length !== 2) joined.push(`${c.codePointAt(0)!.toString(16)}+${n}`);
			}
		}
		expect(joined).toEqual([]);
		// Left out: the combining sound marks of kana, the soft hyphen (a control for segmentation).
		expect(OWN_CLUSTERS.test('か\u3099')).toBe(false);
		expect(OWN_CLUSTERS.test('a\u00AD')).toBe(false);
	});
});
