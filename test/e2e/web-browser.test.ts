import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {Kafka, logLevel} from 'kafkajs';
import type {Browser} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cleanupKcatFiles, kcatFiles} from '../hostile/support/kcat.js';
import {cleanEnv, startServe, type ServeProcess} from '../serve/support/serve-process.js';
import {ChatPage, launchBrowser} from '../support/browser.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {CLI, runCli} from '../support/run-cli.js';
import {testBrokers} from '../support/test-brokers.js';
import {Tmux} from '../support/tmux.js';

// kchat serve in a real browser (Debian's Chromium), next to kchat tail, kcat and the terminal app.

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-web-'));
const env = cleanEnv(home);
const tmux = new Tmux();
let browser: Browser;
let server: ServeProcess;
const pages: ChatPage[] = [];

async function open(nick: string, room: string, base = server.url): Promise<ChatPage> {
	const page = await ChatPage.open(browser, `${base}?room=${room}&nick=${nick}`);
	pages.push(page);
	await page.online();
	await page.page.waitForSelector(`.room.current >> text=${room}`);
	return page;
}

const texts = (lines: {text: string}[]): string[] => lines.map(l => l.text);

/** `kchat tail` following a room, every stdout line kept. */
function follow(room: string): {lines: string[]; stop: () => void; following: Promise<void>} {
	const child = spawn(process.execPath, [CLI, 'tail', '--room', room, '--last', '0'], {env, stdio: ['ignore', 'pipe', 'pipe']});
	const lines: string[] = [];
	readline.createInterface({input: child.stdout}).on('line', line => lines.push(line));
	const following = new Promise<void>(resolve => child.stderr.on('data', (d: Buffer) => d.toString().includes('following') && resolve()));
	return {lines, following, stop: () => child.kill('SIGTERM')};
}

beforeAll(async () => {
	[browser, server] = await Promise.all([launchBrowser(), startServe([], {home})]);
});

afterAll(async () => {
	for (const page of pages) await page.close().catch(() => undefined);
	await browser?.close();
	await server?.stop();
	tmux.kill();
	cleanupKcatFiles();
	fs.rmSync(home, {recursive: true, force: true});
});

// Several processes and a browser per test, on a machine that may be busy: a budget, not an expectation.
describe('kchat serve in a browser', {timeout: 180_000}, () => {
	it('two pages and kchat tail: messages both ways, every one everywhere, in the same order', async () => {
		const room = uniqueRoom('web');
		const alice = await open('alice', room);
		const bob = await open('bob', room);
		const tail = follow(room);
		await tail.following;
		const said: string[] = [];
		for (let i = 0; i < 4; i++) {
			said.push(`alice ${i}`, `bob ${i}`);
			await alice.say(`alice ${i}`);
			await bob.say(`bob ${i}`);
		}
		await runCli(['send', '--room', room, '--user', 'carol', 'carol from the terminal'], {env});
		said.push('carol from the terminal');
		const complete = (lines: {text: string; state: string}[]): boolean => said.every(t => lines.some(l => l.text === t && l.state === 'delivered'));
		const onAlice = await alice.waitForLines(complete, "every message on alice's page");
		const onBob = await bob.waitForLines(complete, "every message on bob's page");
		expect(texts(onAlice)).toEqual(texts(onBob));
		expect(texts(onAlice).sort()).toEqual([...said].sort());
		expect(onAlice.find(l => l.text === 'carol from the terminal')?.nick).toBe('carol');

		// The room's order, as every kchat client shows it: the same as tail's history (timestamp, partition, offset).
		const history = await runCli(['tail', '--room', room, '--from-beginning', '--exit-at-end'], {env});
		const fromTail = history.stdout
			.trim()
			.split('\n')
			.filter(l => / <\w+> /.test(l))
			.map(l => l.replace(/^\S+ \S+ <\w+> /, ''));
		expect(texts(onAlice)).toEqual(fromTail);
		// The live tail got each of them too.
		await expect.poll(() => said.every(t => tail.lines.some(l => l.endsWith(`> ${t}`))), {timeout: 20_000}).toBe(true);
		tail.stop();
		expect(await alice.members()).toEqual(expect.arrayContaining(['alice', 'bob']));
		expect([...alice.errors, ...bob.errors]).toEqual([]);
	});

	it('a hostile record from kcat shows as text and runs nothing', async () => {
		const room = uniqueRoom('hostile');
		const victim = await open('victim', room);
		await victim.page.evaluate(() => {
			(window as unknown as {__pwned?: string}).__pwned = undefined;
		});
		const hostile = [
			`<img src=x onerror="window.__pwned='img'">`,
			`<script>window.__pwned='script'</script>`,
			`javascript:window.__pwned='scheme'`,
			`<a href="javascript:window.__pwned='anchor'">click me</a>`,
			`invoice\u202Efdp.exe and \u2066isolated\u2069`,
			`http://bank.example@evil.example/login and https://kafka.apache.org/`,
			`\x1b]8;;javascript:alert(1)\x07link\x1b]8;;\x07 \x1b[31mred`,
		];
		await kcatFiles(testBrokers(), room, hostile, {key: '<b>mallory</b>'});
		const lines = await victim.waitForLines(l => l.filter(x => x.nick !== '').length >= hostile.length, 'the hostile records');
		const shown = lines.map(l => l.text);
		expect(shown).toContain(`<img src=x onerror="window.__pwned='img'">`);
		expect(shown).toContain(`<script>window.__pwned='script'</script>`);
		expect(shown).toContain(`invoice<U+202E>fdp.exe and <U+2066>isolated<U+2069>`);
		expect(shown.some(t => t.includes('\x1b') || t.includes('\u202e'))).toBe(false);
		expect(lines[0]!.nick).toBe('<b>mallory</b>');
		// Nothing became markup, and only the plain https URL is a link.
		const pane = await victim.page.$eval('.messages', el => ({
			imgs: el.querySelectorAll('img').length,
			scripts: el.querySelectorAll('script').length,
			bold: el.querySelectorAll('b').length,
			links: [...el.querySelectorAll('a')].map(a => a.getAttribute('href')),
			foreign: el.querySelectorAll('.tag.foreign').length,
		}));
		expect(pane).toEqual({imgs: 0, scripts: 0, bold: 0, links: ['https://kafka.apache.org/'], foreign: hostile.length});
		// Clicking the would-be links does nothing either.
		await victim.page.getByText(`javascript:window.__pwned='scheme'`).click();
		await victim.page.getByText('click me', {exact: false}).click();
		expect(await victim.page.evaluate(() => (window as unknown as {__pwned?: string}).__pwned)).toBeUndefined();
		expect(victim.errors).toEqual([]);
	});

	it('the server restarted while a page is open: the page reconnects and shows every message once', async () => {
		const room = uniqueRoom('restart');
		const port = server.port;
		const page = await open('stayer', room);
		await page.say('before 1');
		await page.say('before 2');
		await page.waitForLines(l => l.filter(x => x.state === 'delivered').length === 2, 'the first two delivered');

		expect(await server.stop()).toBe(0);
		await page.page.waitForSelector('.connection.reconnecting');
		// While it is down: others keep talking, and the page's user types on.
		await runCli(['send', '--room', room, '--user', 'other'], {env, input: 'while down 1\nwhile down 2\nwhile down 3\n'});
		await page.say('typed while down');
		await page.waitForLines(l => l.some(x => x.text === 'typed while down' && x.state === 'pending'), 'the line pending');

		// Back, but without Kafka: the page says so, and the line stays pending, also across a reload.
		server = await startServe(['--brokers', '127.0.0.1:1'], {home, port});
		await page.page.waitForSelector('.banner.offline');
		await page.page.reload();
		await page.waitForLines(l => l.some(x => x.text === 'typed while down' && x.state === 'pending'), 'the line pending after a reload');
		expect(await server.stop()).toBe(0);

		server = await startServe([], {home, port});
		await page.online();
		const all = ['before 1', 'before 2', 'while down 1', 'while down 2', 'while down 3', 'typed while down'];
		const lines = await page.waitForLines(l => all.every(t => l.some(x => x.text === t && x.state === 'delivered')), 'every message after the restart');
		expect(texts(lines).sort()).toEqual([...all].sort()); // each once
		// And Kafka has the line typed while the server was down exactly once.
		const inKafka = await runCli(['tail', '--room', room, '--from-beginning', '--exit-at-end', '--json'], {env});
		expect(inKafka.stdout.split('\n').filter(l => l.includes('"typed while down"'))).toHaveLength(1);
		expect(page.errors).toEqual([]);
	});

	it('a line the gateway refuses shows as failed, with the reason', async () => {
		// A room that takes 3 MB records: the page's own size check lets 1.1 million characters through,
		// the gateway takes at most 1,048,576 characters a message.
		const room = uniqueRoom('big');
		const admin = new Kafka({clientId: 'test-web', brokers: testBrokers(), logLevel: logLevel.NOTHING}).admin();
		await admin.connect();
		await admin.createTopics({
			waitForLeaders: true,
			topics: [{topic: room, numPartitions: 3, configEntries: [{name: 'max.message.bytes', value: '3000000'}, {name: 'message.timestamp.type', value: 'LogAppendTime'}]}],
		});
		await admin.disconnect();
		const page = await open('wordy', room);
		// Pasted rather than typed: set as the browser does on a paste (one input event).
		await page.page.evaluate(() => {
			const input = document.querySelector('textarea')!;
			Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(input, 'x'.repeat(1_100_000));
			input.dispatchEvent(new Event('input', {bubbles: true}));
		});
		await page.page.getByLabel('message').press('Enter');
		await page.page.waitForSelector('.tag.failed');
		expect(await page.page.locator('.tag.failed').textContent()).toBe('not sent: text is longer than 1,048,576 characters');
	});

	it('a page and the terminal app chat, and see each other in their member lists', async () => {
		const room = uniqueRoom('mixed');
		tmux.start('tui', `env KCHAT_HOME=${path.join(home, 'tui')} TERM=xterm-256color ${process.execPath} ${CLI} --user termie --brokers ${testBrokers().join(',')} --room ${room}`);
		await tmux.waitFor('tui', s => s.includes('termie joined') && s.includes('online'), 'the terminal app online in the room');
		const web = await open('webbie', room);
		await tmux.waitFor('tui', s => /● webbie/.test(s), 'webbie in the terminal member list');
		await expect.poll(() => web.members(), {timeout: 20_000}).toEqual(expect.arrayContaining(['termie', 'webbie']));

		await web.say('hello terminal');
		await tmux.waitFor('tui', s => s.includes('<webbie> hello terminal'), "the page's message in the terminal");
		tmux.type('tui', 'hello browser');
		tmux.keys('tui', 'Enter');
		const lines = await web.waitForLines(l => l.some(x => x.nick === 'termie' && x.text === 'hello browser'), "the terminal's message on the page");
		expect(texts(lines).slice(-2)).toEqual(['hello terminal', 'hello browser']);
		const exit = tmux.waitExit('tui');
		tmux.keys('tui', 'C-c');
		expect(await exit).toBe(0);
	});
});
