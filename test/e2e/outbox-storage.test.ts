// The outbox's trouble with the disk, as a user sees it in a real terminal: a state folder kchat cannot
// write, and an outbox file with a damaged line. Both are said on stderr at start (still there after
// the chat gives the screen back) and in the app; neither stops the chat.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {randomUUID} from 'node:crypto';
import {afterAll, describe, expect, it} from 'vitest';
import {CLI, cleanEnv} from '../support/run-cli.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';
import {shellCommand, Tmux} from '../support/tmux.js';

const tmux = new Tmux();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-storage-'));
afterAll(() => {
	tmux.kill();
	fs.rmSync(root, {recursive: true, force: true});
});

/** The chat as olive in a wide pane (the status line holds a path), stderr into a file. */
function start(name: string, home: string, room: string): {stderr: () => string} {
	const errFile = path.join(root, `${name}.stderr`);
	const env = cleanEnv({KCHAT_HOME: home, TERM: 'xterm-256color'});
	tmux.start(name, `${shellCommand(env, [process.execPath, CLI, '--user', 'olive', '--room', room, '--brokers', testBrokers().join(',')])} 2>${errFile}`, 220, 24);
	return {stderr: () => fs.readFileSync(errFile, 'utf8')};
}

async function quit(name: string): Promise<number> {
	const exit = tmux.waitExit(name);
	tmux.keys(name, 'C-c');
	return exit;
}

describe('the outbox and the disk', () => {
	it('a state folder that cannot be written: said at start on stderr and on the status line; the chat still sends', async () => {
		const home = path.join(root, 'readonly');
		fs.mkdirSync(home);
		// Where the state folder should be there is a file: nothing can be made under it, also as root.
		fs.writeFileSync(path.join(home, 'state'), '');
		const room = uniqueRoom('ro');
		const app = start('ro', home, room);
		const problem = `messages typed now are kept only in memory: ${path.join(home, 'state', 'outbox', 'olive')}: ENOTDIR: not a directory`;
		await tmux.waitFor('ro', s => /· online/.test(s) && s.includes(problem), 'online, and the problem on the status line');
		expect(app.stderr()).toContain(`kchat: ${problem}\n`);
		tmux.type('ro', 'kept in memory only');
		tmux.keys('ro', 'Enter');
		await tmux.waitFor('ro', s => /<olive> kept in memory only/.test(s) && !/sending/.test(s), 'the line delivered');
		expect(await quit('ro')).toBe(0);
	});

	it('an outbox file with a damaged line: moved aside and said so; what it could read is sent', async () => {
		const home = path.join(root, 'damaged');
		const room = uniqueRoom('dmg');
		// The one outbox file per nick that earlier versions kept, with a line cut short.
		const file = path.join(home, 'state', 'outbox', 'olive.jsonl');
		fs.mkdirSync(path.dirname(file), {recursive: true});
		const entry = {id: randomUUID(), room, user: 'olive', type: 'message', text: 'saved before the damage', sentAt: Date.now()};
		fs.writeFileSync(file, `${JSON.stringify({add: entry})}\n{"add": {"id": "cut sho\n`);
		const app = start('dmg', home, room);
		await tmux.waitFor('dmg', s => /<olive> saved before the damage/.test(s) && /is damaged \(line 2\): moved aside as/.test(s), 'the saved line and the notice');
		const aside = fs.readdirSync(path.dirname(file)).filter(n => n.startsWith('olive.jsonl.damaged-'));
		expect(aside).toHaveLength(1);
		expect(fs.readFileSync(path.join(path.dirname(file), aside[0]!), 'utf8')).toContain('cut sho');
		expect(app.stderr()).toContain(`kchat: the outbox ${file} is damaged (line 2): moved aside as ${path.join(path.dirname(file), aside[0]!)}; the 1 unsent messages it could read are sent\n`);
		expect(await quit('dmg')).toBe(0);
	});
});
