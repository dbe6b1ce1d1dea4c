import {afterEach, describe, expect, it} from 'vitest';

// Colours on for this file: imported before Ink and chalk load.
import './support/force-color.js';

import {cleanup} from 'ink-testing-library';
import {joinRooms, line} from './support/messages.js';
import {renderApp} from './support/render-app.js';

afterEach(() => cleanup());

/**
 * The SGR codes in effect where `text` starts in the row of the raw frame that holds it: Ink's styling as a
 * set, e.g. {'2'} for dim, {'31'} for red, {'1', '43', '30'} for bold black on yellow.
 */
function styleAt(raw: string, text: string): Set<string> {
	for (const row of raw.split('\n')) {
		const active = new Set<string>();
		let plain = '';
		const styles: Set<string>[] = [];
		for (const token of row.split(/(\u001B\[[0-9;]*m)/)) {
			const sgr = /^\u001B\[([0-9;]*)m$/.exec(token);
			if (!sgr) {
				for (let i = 0; i < token.length; i++) styles.push(new Set(active));
				plain += token;
				continue;
			}
			for (const code of sgr[1]!.split(';')) {
				if (code === '0' || code === '') active.clear();
				else if (code === '22') ['1', '2'].forEach(c => active.delete(c));
				else if (code === '27') active.delete('7');
				else if (code === '39') [...active].filter(c => /^(3[0-7]|9[0-7])$/.test(c)).forEach(c => active.delete(c));
				else if (code === '49') [...active].filter(c => /^(4[0-7]|10[0-7])$/.test(c)).forEach(c => active.delete(c));
				else active.add(code);
			}
		}
		const at = plain.indexOf(text);
		if (at >= 0) return styles[at]!;
	}
	throw new Error(`no row with ${text}`);
}

describe('styles', () => {
	it('dims pending lines and join/leave lines, marks failed lines red, highlights mentions', async () => {
		const app = await renderApp({
			setup: s => {
				joinRooms(s, 'a', 'b');
				s.getState().actions.receive([
					line('a', 'bob', 'bob joined a', {type: 'join'}),
					line('a', 'me', 'pending line', {state: 'pending', partition: -1, offset: '-1'}),
					line('a', 'me', 'failed line', {state: 'failed', error: 'timeout', partition: -1, offset: '-1'}),
					line('a', 'bob', 'hey me, look'),
					line('b', 'carol', 'me: ping'),
				]);
			},
		});
		const raw = app.rawFrame();
		expect(styleAt(raw, '-- bob joined a')).toEqual(new Set(['2']));
		expect(styleAt(raw, ' pending line')).toContain('2');
		expect(styleAt(raw, '<me> ✗ failed line (timeout)')).toEqual(new Set(['31']));
		// The nick that mentions me: bold black on yellow; the text bold.
		expect(styleAt(raw, '<bob> hey me')).toEqual(new Set(['1', '43', '30']));
		expect(styleAt(raw, ' hey me, look')).toEqual(new Set(['1']));
		// The current room is inverse; a room with a mention has a magenta `@`.
		expect(styleAt(raw, 'a   ')).toContain('7');
		expect(styleAt(raw, 'b   ')).not.toContain('7');
		expect(styleAt(raw, '@│')).toContain('35');
	});

	it('marks lines kchat cannot vouch for with a yellow ?, and a reused id with a yellow [duplicate id] (issue 11)', async () => {
		const app = await renderApp({
			setup: s => {
				joinRooms(s, 'a');
				s.getState().actions.receive([
					line('a', 'alice', 'really alice', {id: 'same-id'}),
					line('a', 'alice', 'posing as alice', {foreign: true}),
					line('a', 'alice', 'waves', {type: 'action', foreign: true}),
					line('a', 'alice', 'alice left a', {type: 'leave', foreign: true}),
					line('a', 'mallory', 'reused an id', {id: 'same-id'}),
				]);
			},
		});
		const raw = app.rawFrame();
		const rows = app.frame().split('\n');
		expect(rows.some(r => /\d <alice> really alice/.test(r))).toBe(true);
		expect(rows.some(r => /\d \?<alice> posing as alice/.test(r))).toBe(true);
		expect(rows.some(r => /\d \* \?alice waves/.test(r))).toBe(true);
		expect(rows.some(r => /\d -- \?alice left a/.test(r))).toBe(true);
		expect(rows.some(r => /\d \?<mallory> \[duplicate id\] reused an id/.test(r))).toBe(true);
		expect(styleAt(raw, '?<alice> posing')).toEqual(new Set(['33']));
		expect(styleAt(raw, '[duplicate id]')).toEqual(new Set(['33']));
		expect(styleAt(raw, '?alice left a')).toContain('33');
	});
});
