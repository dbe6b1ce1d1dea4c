import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {runBytes} from '../hostile/support/run-cli-bytes.js';
import {CLI, cleanEnv} from '../support/run-cli.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';
import {shellCommand, Tmux} from '../support/tmux.js';

const tmux = new Tmux();
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-e2e-'));
afterAll(() => {
	tmux.kill();
	fs.rmSync(home, {recursive: true, force: true});
});

/** The built binary in a real pseudo-terminal, with a clean environment and its own home. */
function kchat(user: string, rooms: string[]): string {
	const args = ['--user', user, '--brokers', testBrokers().join(','), ...rooms.flatMap(r => ['--room', r])];
	return shellCommand(cleanEnv({KCHAT_HOME: path.join(home, user), TERM: 'xterm-256color'}), [process.execPath, CLI, ...args]);
}

/** The newest presence record of a nick in kchat.presence (what every other client reads), via kcat. */
async function lastPresence(nick: string): Promise<{status?: string} | undefined> {
	const read = await runBytes('kcat', ['-C', '-b', testBrokers().join(','), '-t', 'kchat.presence', '-o', 'beginning', '-e', '-q', '-f', '%k\t%s\n']);
	const mine = read.stdout
		.toString()
		.split('\n')
		.filter(line => line.startsWith(`${nick}\t`));
	const last = mine.at(-1);
	return last === undefined ? undefined : (JSON.parse(last.slice(nick.length + 1)) as {status?: string});
}

const inputLine = (screen: string): string => screen.split('\n').find(l => /^\[[^\]]+\] /.test(l) || /^\[[^\]]+\]$/.test(l)) ?? '';

describe('two users in real terminals', () => {
	it('alice types, bob sees it; bob switches rooms with Ctrl+N, leaves one with /leave and quits with /quit', async () => {
		const [lobby, ops] = [uniqueRoom('lobby'), uniqueRoom('ops')];
		tmux.start('alice', kchat('alice', [lobby]));
		tmux.start('bob', kchat('bob', [lobby, ops]));
		await tmux.waitFor('alice', s => s.includes('alice joined') && s.includes('online'), 'alice online in the room');
		await tmux.waitFor('bob', s => s.includes(`bob joined ${ops}`) || (s.includes('online') && s.includes(ops)), 'bob online');

		tmux.type('alice', 'hello bob, 日本語 works too');
		await tmux.waitFor('alice', s => inputLine(s).includes('日本語 works too'), 'the typed text in the input');
		tmux.keys('alice', 'Enter');
		await tmux.waitFor('bob', s => /<alice> hello bob, 日本語 works too/.test(s), 'alice\'s message on bob\'s screen');

		// Keys that arrive in one read (a busy app, a slow link) each do what they are: Backspace deletes,
		// Left moves the cursor, Enter sends.
		tmux.burst('alice', 'sorry, typo\x7f\x7f\x7f\x7fbye 12\x1b[D\x1b[D3\r');
		await tmux.waitFor('bob', s => /<alice> sorry, bye 312\s/.test(s), "alice's fast-typed message on bob's screen");

		// Bob is in the lobby (his first room): Ctrl+N moves to ops, whose name is now in his prompt.
		expect(inputLine(tmux.screen('bob'))).toContain(`[${lobby}]`);
		tmux.keys('bob', 'C-n');
		await tmux.waitFor('bob', s => inputLine(s).startsWith(`[${ops}]`), 'the ops prompt after Ctrl+N');

		tmux.type('bob', `/leave ${ops}`);
		await tmux.waitFor('bob', s => inputLine(s).includes(`/leave ${ops}`), 'the /leave command typed');
		tmux.keys('bob', 'Enter');
		await tmux.waitFor('bob', s => inputLine(s).startsWith(`[${lobby}]`), 'back in the lobby after /leave');

		tmux.type('bob', 'bye alice');
		await tmux.waitFor('bob', s => inputLine(s).includes('bye alice'), 'bob\'s reply typed');
		tmux.keys('bob', 'Enter');
		await tmux.waitFor('alice', s => s.includes('<bob> bye alice'), 'bob\'s reply on alice\'s screen');

		tmux.type('bob', '/quit');
		await tmux.waitFor('bob', s => inputLine(s).includes('/quit'), '/quit typed');
		const bobExit = tmux.waitExit('bob');
		tmux.keys('bob', 'Enter');
		expect(await bobExit).toBe(0);

		const aliceExit = tmux.waitExit('alice');
		tmux.keys('alice', 'C-c');
		expect(await aliceExit).toBe(0);
	});

	it('stops cleanly on SIGTERM: exit 0, and the others see the nick go offline at once', async () => {
		const room = uniqueRoom('term');
		tmux.start('dave', kchat('dave', [room]));
		tmux.start('erin', kchat('erin', [room]));
		await tmux.waitFor('dave', s => /● erin/.test(s) && /● dave/.test(s), 'both in dave\'s member list');
		const pid = tmux.commandPid('erin');
		const erinExit = tmux.waitExit('erin');
		process.kill(pid, 'SIGTERM');
		expect(await erinExit).toBe(0);
		// "At once": erin said offline before exiting (not the 30 s heartbeat expiry), and dave shows it.
		expect(await lastPresence('erin')).toMatchObject({status: 'offline'});
		await tmux.waitFor('dave', s => !/● erin/.test(s), 'erin gone from dave\'s member list');
	});
});
