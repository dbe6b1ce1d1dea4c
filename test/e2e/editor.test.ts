import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {CLI, runCli} from '../support/run-cli.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';
import {Tmux} from '../support/tmux.js';

// The input editor in a real terminal: a message of two lines, keys that arrive in one read, search in
// history older than what was loaded, and the terminal modes turned on and off again.

const tmux = new Tmux();
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-editor-e2e-'));
afterAll(() => {
	tmux.kill();
	fs.rmSync(home, {recursive: true, force: true});
});

const env = {KCHAT_HOME: path.join(home, 'cli'), KCHAT_BROKERS: testBrokers().join(',')};

function kchat(user: string, rooms: string[], extra = ''): string {
	const args = ['--user', user, '--brokers', testBrokers().join(','), ...rooms.flatMap(r => ['--room', r])];
	return `env KCHAT_HOME=${path.join(home, user)} TERM=xterm-256color ${extra}${process.execPath} ${CLI} ${args.join(' ')}`;
}

const inputLine = (screen: string): string => screen.split('\n').find(l => /^\[[^\]]+\]( |$)/.test(l)) ?? '';

type JsonLine = {text: string; user: string; type: string};

async function roomRecords(room: string): Promise<JsonLine[]> {
	const result = await runCli(['tail', '--room', room, '--from-beginning', '--exit-at-end', '--json'], {env});
	expect(result.code, result.stderr).toBe(0);
	return result.stdout
		.trim()
		.split('\n')
		.filter(Boolean)
		.map(l => JSON.parse(l) as JsonLine);
}

describe('the input editor in a real terminal', () => {
	it('sends a message of two lines (Alt+Enter) as one record; bob sees two lines under one header, tail --json one text with \\n', async () => {
		const room = uniqueRoom('lines');
		tmux.start('alice', kchat('alice', [room]));
		tmux.start('bob', kchat('bob', [room]));
		await tmux.waitFor('alice', s => s.includes(`alice joined ${room}`), 'alice in the room');
		await tmux.waitFor('bob', s => s.includes(`bob joined ${room}`), 'bob in the room');

		tmux.type('alice', 'first line of two');
		tmux.keys('alice', 'M-Enter');
		tmux.type('alice', 'and the second');
		await tmux.waitFor('alice', s => s.includes('and the second'), 'both lines in the input');
		tmux.keys('alice', 'Enter');
		const screen = await tmux.waitFor('bob', s => /<alice> first line of two/.test(s) && s.includes('and the second'), "alice's message on bob's screen");
		const rows = screen.split('\n');
		const first = rows.findIndex(r => r.includes('<alice> first line of two'));
		// The second line hangs under the text of the first, with no header of its own.
		expect(rows[first + 1]).toMatch(/│ {8,}and the second\s+│/);

		const records = (await roomRecords(room)).filter(r => r.type === 'message');
		expect(records).toEqual([expect.objectContaining({user: 'alice', text: 'first line of two\nand the second'})]);
	});

	it('sends one⏎two⏎three⏎ arriving in one read as three messages', async () => {
		const room = uniqueRoom('burst');
		tmux.start('carol', kchat('carol', [room]));
		await tmux.waitFor('carol', s => s.includes(`carol joined ${room}`), 'carol in the room');
		// One write to the terminal: the app reads it at once.
		tmux.burst('carol', 'one\rtwo\rthree\r');
		await tmux.waitFor('carol', s => /<carol> one\s/.test(s) && /<carol> two\s/.test(s) && /<carol> three\s/.test(s), 'three messages');
		const texts = async (): Promise<string[]> => (await roomRecords(room)).filter(r => r.type === 'message').map(r => r.text);
		let sent = await texts();
		for (let i = 0; i < 20 && sent.length < 3; i++) sent = await texts();
		expect(sent).toEqual(['one', 'two', 'three']);
	});

	it('Ctrl+R finds a word in a message older than the 50 lines loaded, reading history from Kafka', async () => {
		const room = uniqueRoom('search');
		const lines = Array.from({length: 150}, (_, i) => (i === 20 ? 'the needle-qz7 is here' : `filler line ${i}`));
		const sent = await runCli(['send', '--room', room, '--user', 'dave'], {env, input: lines.join('\n') + '\n'});
		expect(sent.code, sent.stderr).toBe(0);
		tmux.start('erin', kchat('erin', [room]));
		await tmux.waitFor('erin', s => s.includes('filler line 149'), 'the last lines loaded');
		expect(tmux.screen('erin')).not.toContain('needle-qz7');
		tmux.keys('erin', 'C-r');
		await tmux.waitFor('erin', s => s.includes('search:'), 'the search prompt');
		tmux.type('erin', 'NEEDLE-qz7');
		tmux.keys('erin', 'Enter');
		const found = await tmux.waitFor('erin', s => s.includes('<dave> the needle-qz7 is here'), 'the match on screen');
		expect(found).toMatch(/search "NEEDLE-qz7": match 1 of 1/);
		// Esc: back to live.
		tmux.keys('erin', 'Escape');
		await tmux.waitFor('erin', s => s.includes('filler line 149') && !s.includes('search "'), 'back at the live end');
	});

	it('turns on the alternate screen and bracketed paste in a real terminal, and off again on /quit', async () => {
		const room = uniqueRoom('modes');
		const raw = path.join(home, 'frank.raw');
		// script(1) records every byte the app writes to its terminal.
		tmux.start('frank', `script -qfec ${JSON.stringify(kchat('frank', [room]))} ${raw}`);
		await tmux.waitFor('frank', s => s.includes(`frank joined ${room}`), 'frank in the room');
		tmux.type('frank', '/quit');
		await tmux.waitFor('frank', s => inputLine(s).includes('/quit'), '/quit typed');
		const exit = tmux.waitExit('frank');
		tmux.keys('frank', 'Enter');
		expect(await exit).toBe(0);
		// (script(1) adds its own header and trailer lines around what it recorded.)
		const bytes = fs.readFileSync(raw, 'utf8').replace(/^Script (started|done) on [^\n]*\n?/gm, '');
		const on = Math.min(bytes.indexOf('\u001B[?1049h'), bytes.indexOf('\u001B[?2004h'));
		const off = Math.max(bytes.lastIndexOf('\u001B[?1049l'), bytes.lastIndexOf('\u001B[?2004l'));
		expect(bytes.indexOf('\u001B[?1049h')).toBeGreaterThanOrEqual(0);
		expect(bytes.indexOf('\u001B[?2004h')).toBeGreaterThanOrEqual(0);
		expect(bytes.lastIndexOf('\u001B[?2004l')).toBeGreaterThan(on);
		expect(bytes.lastIndexOf('\u001B[?1049l')).toBeGreaterThan(on);
		// Nothing drawn after the modes were turned off: the shell has its screen back.
		expect(bytes.slice(off).replace(/\u001B\[\?(1049l|2004l|25h)/g, '').replace(/\s/g, '')).toBe('');
		// And the main screen is left as it was: the chat is not on it.
		expect(tmux.screen('frank')).not.toContain(`frank joined ${room}`);
	});
});
