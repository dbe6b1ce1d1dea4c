// The first minute in a real terminal: the questions kchat asks before the chat opens (a nick, whether
// to start a local Kafka), each answer and Ctrl+C, --local, and which rooms open without --room. After
// every answer the chat must take keys: a readline prompt here once left the app deaf to the keyboard.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {findBrokerByPort} from '../../source/broker/find-broker.js';
import {CLI, cleanEnv} from '../support/run-cli.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';
import {shellCommand, Tmux} from '../support/tmux.js';

const tmux = new Tmux();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-start-'));
let serial = 0;

afterAll(() => {
	tmux.kill();
	fs.rmSync(root, {recursive: true, force: true});
});

/** Nothing answers at localhost:9092 (where kchat looks when no broker is configured). */
const nothingAt9092 = await new Promise<boolean>(resolve => {
	const socket = net.connect({host: 'localhost', port: 9092});
	socket.once('connect', () => (socket.destroy(), resolve(false)));
	socket.once('error', () => resolve(true));
});
/** The data directory of the test broker, to stand in for "a local broker kchat started earlier". */
const brokerDataDir = findBrokerByPort(Number(testBrokers()[0]!.split(':').pop())).dataDir;

/** A fresh home (no config file, no broker settings) and the app in a pane; returns the pane's name. */
function start(args: string[], options: {user?: string; brokerHome?: boolean; home?: string} = {}): {name: string; home: string} {
	const name = `s${++serial}`;
	const home = options.home ?? path.join(root, name);
	fs.mkdirSync(path.join(home, 'state'), {recursive: true});
	// "A local broker kchat started before": the default data dir is the test broker's.
	if (options.brokerHome && brokerDataDir && !fs.existsSync(path.join(home, 'state', 'kafka'))) fs.symlinkSync(brokerDataDir, path.join(home, 'state', 'kafka'));
	const env = cleanEnv({KCHAT_HOME: home, TERM: 'xterm-256color', USER: options.user ?? 'kchat-test'});
	tmux.start(name, shellCommand(env, [process.execPath, CLI, ...args]), 120, 30);
	return {name, home};
}

const inputLine = (screen: string): string => screen.split('\n').find(l => /^\[[^\]]+\]/.test(l)) ?? '';

/** Types a line into the chat and waits until it is in the room: proof that the app takes keys. */
async function chatTakesKeys(name: string, text: string): Promise<void> {
	await tmux.waitFor(name, s => /· online/.test(s), 'the chat online');
	tmux.type(name, text);
	await tmux.waitFor(name, s => inputLine(s).includes(text), 'the typed text in the input');
	tmux.keys(name, 'Enter');
	await tmux.waitFor(name, s => new RegExp(`<[^>]+> ${text}`).test(s), 'the line in the room');
}

async function quit(name: string): Promise<number> {
	const exit = tmux.waitExit(name);
	tmux.keys(name, 'C-c');
	return exit;
}

describe('the nick question (when $USER is not a valid nick)', () => {
	it('asks, refuses a bad answer, takes a good one, and the chat then takes keys', async () => {
		const room = uniqueRoom('nick');
		const {name} = start(['--brokers', testBrokers().join(','), '--room', room], {user: 'john doe'});
		await tmux.waitFor(name, s => /^Nick:/m.test(s), 'the nick question');
		tmux.type(name, 'john doe');
		await tmux.waitFor(name, s => s.includes('Nick: john doe'), 'the answer typed');
		tmux.keys(name, 'Enter');
		await tmux.waitFor(name, s => /nick "john doe" is not valid/.test(s), 'the refusal');
		for (let i = 0; i < 'john doe'.length; i++) tmux.keys(name, 'BSpace');
		tmux.type(name, 'johnd');
		tmux.keys(name, 'Enter');
		await chatTakesKeys(name, 'hello from johnd');
		expect(tmux.screen(name)).toMatch(/johnd @ /);
		expect(await quit(name)).toBe(0);
	});

	it('Ctrl+C at the question quits cleanly, exit 130', async () => {
		const {name} = start(['--brokers', testBrokers().join(',')], {user: 'john doe'});
		await tmux.waitFor(name, s => /^Nick:/m.test(s), 'the nick question');
		expect(await quit(name)).toBe(130);
	});
});

describe.skipIf(!nothingAt9092)('the broker question (no broker configured, none at localhost:9092)', () => {
	it('n: the chat opens without a broker and takes keys', async () => {
		const {name} = start(['--user', 'nora', '--room', uniqueRoom('no')]);
		await tmux.waitFor(name, s => /Start a local Apache Kafka now \(kchat broker start\)\? \[Y\/n\]/.test(s), 'the broker question');
		tmux.type(name, 'n');
		tmux.keys(name, 'Enter');
		await tmux.waitFor(name, s => /nora @ localhost:9092 · (offline|connecting|reconnecting)/.test(s), 'the chat, offline');
		tmux.type(name, 'typed offline');
		await tmux.waitFor(name, s => inputLine(s).includes('typed offline'), 'the typed text in the input');
		expect(await quit(name)).toBe(0);
	});

	it('Ctrl+C at the question quits cleanly, exit 130', async () => {
		const {name} = start(['--user', 'nora']);
		await tmux.waitFor(name, s => /\[Y\/n\]/.test(s), 'the broker question');
		expect(await quit(name)).toBe(130);
	});

	it.skipIf(!brokerDataDir)('Enter (yes): starts the local broker (here it finds it running), then chats', async () => {
		// The default data dir holds a broker that is already running (on another port than 9092): the
		// real start path finds it, says so, and the chat uses its address.
		const {name} = start(['--user', 'yuri', '--room', uniqueRoom('yes')], {brokerHome: true});
		await tmux.waitFor(name, s => /\[Y\/n\]/.test(s), 'the broker question');
		tmux.keys(name, 'Enter');
		await chatTakesKeys(name, 'hello after yes');
		expect(tmux.screen(name)).toMatch(new RegExp(`yuri @ ${testBrokers()[0]!.replace(/\./g, '\\.')}`));
		expect(await quit(name)).toBe(0);
	});

	it.skipIf(!brokerDataDir)('--local starts (or finds) the local broker without asking', async () => {
		const {name} = start(['--local', '--user', 'lola', '--room', uniqueRoom('local')], {brokerHome: true});
		await chatTakesKeys(name, 'hello with --local');
		expect(tmux.screen(name)).not.toMatch(/\[Y\/n\]/);
		expect(await quit(name)).toBe(0);
	});
});

describe('rooms opened without --room', () => {
	it('the lobby the first time, the rooms open at the last quit after that', async () => {
		const nick = `rooms${Date.now() % 100_000}`;
		const home = path.join(root, nick);
		const first = start(['--brokers', testBrokers().join(','), '--user', nick], {home});
		await tmux.waitFor(first.name, s => inputLine(s).startsWith('[lobby]') && /· online/.test(s), 'the lobby');
		const other = uniqueRoom('back');
		tmux.type(first.name, `/join ${other}`);
		await tmux.waitFor(first.name, s => inputLine(s).includes(`/join ${other}`), '/join typed');
		tmux.keys(first.name, 'Enter');
		await tmux.waitFor(first.name, s => inputLine(s).startsWith(`[${other}]`), `in ${other}`);
		expect(await quit(first.name)).toBe(0);

		const second = start(['--brokers', testBrokers().join(','), '--user', nick], {home});
		await tmux.waitFor(second.name, s => s.includes(other) && s.includes('lobby') && /· online/.test(s), 'both rooms again');
		expect(await quit(second.name)).toBe(0);
	});
});
