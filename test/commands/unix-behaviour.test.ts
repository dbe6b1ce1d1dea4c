// The commands as scripts use them: help that never acts, one shape of usage error, pipes that get
// every line, readers that go away, exit codes that mean something. All against the real broker.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI, cleanEnv, runCli, type CliResult} from '../support/run-cli.js';
import {instance, stopAll, uniqueRoom, waitForStore} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';
import {whileLeadersSettle} from '../../source/kafka/room-admin.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-unix-'));
const env = {KCHAT_HOME: home, KCHAT_BROKERS: testBrokers().join(',')};
const kafka = new Kafka({clientId: 'test-unix', brokers: testBrokers(), logLevel: logLevel.NOTHING});
const admin = kafka.admin();

beforeAll(() => admin.connect());
afterAll(async () => {
	await stopAll();
	await admin.disconnect();
	fs.rmSync(home, {recursive: true, force: true});
});

const kchat = (args: string[], options: {input?: string; env?: NodeJS.ProcessEnv} = {}): Promise<CliResult> => runCli(args, {...options, env: {...env, ...options.env}});

/** Records in a room, counted from its offsets (retried while its leaders settle, as kchat does: a room just made by `send` can answer "not the leader"). */
async function recordCount(room: string): Promise<number> {
	const offsets = await whileLeadersSettle(() => admin.fetchTopicOffsets(room));
	return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

/** The texts in a room, in order, as `kchat tail` prints them. */
async function texts(room: string): Promise<string[]> {
	const tail = await kchat(['tail', '--room', room, '--from-beginning', '--exit-at-end', '--json']);
	expect(tail.code, tail.stderr).toBe(0);
	return tail.stdout
		.trim()
		.split('\n')
		.filter(Boolean)
		.map(line => (JSON.parse(line) as {text: string}).text);
}

/** A shell pipeline with kchat in it (`$KCHAT` stands for the built binary); its status and output. */
function pipeline(script: string, input = ''): Promise<CliResult> {
	return new Promise(resolve => {
		const child = spawn('bash', ['-c', `set -o pipefail; ${script}`], {env: cleanEnv({...env, KCHAT: `${process.execPath} ${CLI}`})});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', d => (stdout += d));
		child.stderr.on('data', d => (stderr += d));
		child.on('close', code => resolve({code, stdout, stderr}));
		child.stdin.end(input);
	});
}

const lines = (n: number, prefix = 'line'): string => Array.from({length: n}, (_, i) => `${prefix} ${i + 1}\n`).join('');

describe('--help and --version never act', () => {
	it('rooms create X --help prints the usage of rooms create, exit 0, and creates nothing', async () => {
		const room = uniqueRoom('helped');
		const run = await kchat(['rooms', 'create', room, '--help']);
		expect(run).toMatchObject({code: 0, stderr: ''});
		expect(run.stdout).toMatch(/^\n {2}Usage\n {4}\$ kchat rooms create ROOM \[--partitions N\]/);
		expect(await admin.listTopics()).not.toContain(room);
	});

	it('send --room X hi --help, -h and --version send nothing', async () => {
		const room = uniqueRoom('helped');
		for (const extra of ['--help', '-h', '--version']) {
			const run = await kchat(['send', '--room', room, 'hi', extra]);
			expect(run.code).toBe(0);
			expect(run.stdout).toMatch(extra === '--version' ? /^\d+\.\d+\.\d+\n$/ : /kchat send --room ROOM/);
		}
		expect(await admin.listTopics()).not.toContain(room);
	});

	it('every subcommand and sub-subcommand prints its own usage', async () => {
		const cases: [string[], RegExp][] = [
			[['--help'], /^\n {2}kchat: chat rooms on Apache Kafka, in the terminal\n/],
			[['broker', '--help'], /\$ kchat broker start {2}\[--nodes 3\] \[--port PORT\]/],
			[['broker', 'start', '--help'], /^\n {2}Usage\n {4}\$ kchat broker start \[--nodes 3\] \[--port PORT\]/],
			[['broker', 'stop', '--data-dir', '/nonexistent', '--help'], /^\n {2}Usage\n {4}\$ kchat broker stop \[--data-dir DIR \| --port PORT\]/],
			[['broker', 'status', '-h'], /^\n {2}Usage\n {4}\$ kchat broker status/],
			[['broker', 'logs', '--help'], /^\n {2}Usage\n {4}\$ kchat broker logs/],
			[['rooms', 'delete', 'x', '--yes', '--help'], /^\n {2}Usage\n {4}\$ kchat rooms delete ROOM --yes/],
			[['tail', '--help'], /\$ kchat tail --room ROOM/],
			[['simulate', '--help'], /\$ kchat simulate/],
			[['bench', '--help'], /\$ kchat bench/],
		];
		for (const [args, usage] of cases) {
			const run = await kchat(args);
			expect(run.code, args.join(' ')).toBe(0);
			expect(run.stderr, args.join(' ')).toBe('');
			expect(run.stdout, args.join(' ')).toMatch(usage);
		}
		// The main help says what kchat is once.
		const main = await kchat(['--help']);
		expect(main.stdout).not.toContain('A terminal chat client on Apache Kafka');
		expect(main.stdout.match(/chat rooms on Apache Kafka, in the terminal/g)).toHaveLength(1);
	});

	it('after -- every word is text: send -- --help sends "--help"', async () => {
		const room = uniqueRoom('dashes');
		const run = await kchat(['send', '--room', room, '--user', 'alice', '--', '--help']);
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout).toMatch(/^delivered /);
		expect(await texts(room)).toEqual(['--help']);
	});
});

describe('usage errors', () => {
	it('one shape for every command: unknown flag, exit 2', async () => {
		for (const command of [[], ['send'], ['tail'], ['rooms'], ['rooms', 'create', 'x'], ['broker', 'start'], ['broker', 'logs'], ['simulate'], ['bench']]) {
			const name = ['kchat', ...command.filter(w => w !== 'x')].slice(0, command[0] === 'broker' ? 3 : 2).join(' ');
			const run = await kchat([...command, '--colour']);
			expect(run.code, name).toBe(2);
			expect(run.stdout).toBe('');
			expect(run.stderr).toBe(`${name}: unknown flag --colour (see '${name} --help')\n`);
		}
	});

	it('bad numbers name the flag and its range, and echo only printable text', async () => {
		const run = await kchat(['rooms', 'create', 'x', '--partitions', '3\u001b]0;pwned\u0007']);
		expect(run.code).toBe(2);
		expect(run.stderr).toBe(`kchat rooms: --partitions must be a whole number from 1 to 1000, not "3?]0;pwned?" (see 'kchat rooms --help')\n`);
	});
});

describe('kchat send', () => {
	it('refuses an empty or blank message (exit 2), skips and counts blank lines of stdin', async () => {
		const room = uniqueRoom('blank');
		for (const text of ['', '   ']) {
			const run = await kchat(['send', '--room', room, '--user', 'alice', text]);
			expect(run.code).toBe(2);
			expect(run.stderr).toMatch(/^kchat send: the message is empty: nothing to send/);
		}
		const run = await kchat(['send', '--room', room, '--user', 'alice'], {input: 'one\n\n   \ntwo\n\t\n'});
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout.trim().split('\n')).toHaveLength(2);
		expect(run.stderr).toBe('kchat send: skipped 3 blank lines\n');
		expect(await texts(room)).toEqual(['one', 'two']);
	});

	it('-q prints nothing but errors', async () => {
		const room = uniqueRoom('quiet');
		const run = await kchat(['send', '--room', room, '--user', 'alice', '-q'], {input: 'a\nb\n'});
		expect(run).toMatchObject({code: 0, stdout: '', stderr: ''});
		expect(await recordCount(room)).toBe(2);
	});

	it('sends 300 lines of stdin in order, one report each in input order', async () => {
		const room = uniqueRoom('many');
		const run = await kchat(['send', '--room', room, '--user', 'alice'], {input: lines(300)});
		expect(run.code, run.stderr).toBe(0);
		const reports = run.stdout.trim().split('\n');
		expect(reports).toHaveLength(300);
		// One sender, one key: one partition, offsets in input order.
		const offsets = reports.map(r => Number(/@(\d+)$/.exec(r)![1]));
		expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
		expect(await texts(room)).toEqual(lines(300).trim().split('\n'));
	});

	it('a reader that closes stdout (| head -1) does not stop delivery: every line read is sent, no stack trace', async () => {
		const room = uniqueRoom('head');
		const run = await pipeline(`$KCHAT send --room ${room} --user alice | head -1`, lines(500));
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout).toMatch(/^delivered \S+ \[\d\] @0\n$/);
		expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
		expect(await recordCount(room)).toBe(500);
	});

	it('--timeout bounds how long one message may wait, not the whole run: a feed longer than it is delivered', async () => {
		const room = uniqueRoom('feed');
		// A line every 0.5 s for 8 s, with a 3 s timeout: the run lasts well past the timeout.
		const run = await pipeline(`for i in $(seq 1 16); do echo "tick $i"; sleep 0.5; done | $KCHAT send --room ${room} --user alice --timeout 3`);
		expect(run.code, run.stderr).toBe(0);
		expect(run.stderr).toBe('');
		expect(await texts(room)).toEqual(Array.from({length: 16}, (_, i) => `tick ${i + 1}`));
	});

	it("reports Kafka's refusal of a room as what it is, at once, exit 1", async () => {
		const id = uniqueRoom('col').slice(4);
		const dotted = `col.${id}`;
		await kchat(['rooms', 'create', dotted]);
		const run = await kchat(['send', '--room', `col_${id}`, '--user', 'alice', 'hi']);
		expect(run.code).toBe(1);
		expect(run.stderr).toContain(`kchat send: Kafka refuses room 'col_${id}': it collides with '${dotted}' (Kafka treats '.' and '_' alike in topic names)\n`);
		expect(run.stderr).not.toMatch(/cannot reach/);
		const rooms = await kchat(['rooms', 'create', `col_${id}`]);
		expect(rooms.code).toBe(1);
		expect(rooms.stderr).toContain(`Kafka refuses room 'col_${id}': it collides with '${dotted}'`);
	});
});

describe('kchat tail into pipes', () => {
	let room = '';
	beforeAll(async () => {
		room = uniqueRoom('pipe');
		const sent = await kchat(['send', '--room', room, '--user', 'alice', '-q'], {input: lines(5000)});
		expect(sent.code, sent.stderr).toBe(0);
	}, 120_000);

	it('a slow reader gets every line before kchat exits', async () => {
		const run = await pipeline(`$KCHAT tail --room ${room} --from-beginning --exit-at-end | (sleep 2; wc -l)`);
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout.trim()).toBe('5000');
	});

	it('a reader that goes away (| head -1) ends it quietly, exit 0', async () => {
		const run = await pipeline(`$KCHAT tail --room ${room} --from-beginning --exit-at-end | head -1`);
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout).toMatch(/<alice> line 1\n$/);
		expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
	});

	it('follows a room live until it is stopped (not --exit-at-end), exit 0', async () => {
		const live = uniqueRoom('live');
		await kchat(['rooms', 'create', live]);
		const child = spawn(process.execPath, [CLI, 'tail', '--room', live], {env: cleanEnv(env)});
		let stdout = '';
		let stderr = '';
		const following = new Promise<void>(resolve => child.stderr.on('data', d => (stderr += d) && /following/.test(stderr) && resolve()));
		const printed = new Promise<void>(resolve => child.stdout.on('data', d => (stdout += d) && /<bob> live line/.test(stdout) && resolve()));
		const exited = new Promise<number | null>(resolve => child.on('close', resolve));
		await following;
		await kchat(['send', '--room', live, '--user', 'bob', 'live line']);
		await printed;
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
		expect(stdout).toMatch(/^\d\d:\d\d:\d\d \S+ <bob> live line\n$/);
	});
});

describe('the output of every command reaches a pipe whole', () => {
	it('rooms --json into a slow reader', async () => {
		const whole = await pipeline('$KCHAT rooms --json | (sleep 1; cat)');
		expect(whole.code, whole.stderr).toBe(0);
		expect(() => JSON.parse(whole.stdout)).not.toThrow();
	});
});

describe('the log file', () => {
	it("kchat and kafkajs log into the file, nothing of kafkajs reaches the screen", async () => {
		const log = path.join(home, 'logs', 'send.log');
		const room = uniqueRoom('logged');
		const run = await kchat(['send', '--room', room, '--user', 'alice', '--verbose', '--log-file', log, 'hello']);
		expect(run.code, run.stderr).toBe(0);
		expect(run.stderr).toBe('');
		expect(run.stdout).not.toMatch(/kafkajs|"level"/i);
		const text = fs.readFileSync(log, 'utf8');
		expect(text).toMatch(/\[kafkajs Connection\] Connecting/);
		// The default place, under the state directory.
		const other = uniqueRoom('logged');
		await kchat(['send', '--room', other, '--user', 'alice', 'hello']);
		expect(fs.readFileSync(path.join(home, 'state', 'kchat.log'), 'utf8')).toMatch(/\[kafkajs/);
	});
});

describe('rooms kchat creates', () => {
	it('use LogAppendTime (the broker orders them), from rooms create, send and a join', async () => {
		const [byRooms, bySend, byJoin] = [uniqueRoom('lat'), uniqueRoom('lat'), uniqueRoom('lat')];
		await kchat(['rooms', 'create', byRooms]);
		await kchat(['send', '--room', bySend, '--user', 'alice', 'hi']);
		await instance('alice').service.join(byJoin);
		const configs = await admin.describeConfigs({
			includeSynonyms: false,
			resources: [byRooms, bySend, byJoin].map(name => ({type: 2, name, configNames: ['message.timestamp.type']})),
		});
		expect(configs.resources.map(r => r.configEntries[0]?.configValue)).toEqual(['LogAppendTime', 'LogAppendTime', 'LogAppendTime']);
	});
});

describe('a room that failed to join', () => {
	it('can be left', async () => {
		const id = uniqueRoom('fail').slice(5);
		await kchat(['rooms', 'create', `fail.${id}`]);
		const me = instance('alice');
		await me.service.start();
		await expect(me.service.join(`fail_${id}`)).rejects.toThrow(/Kafka refuses room 'fail_[^']+': it collides with 'fail\./);
		await waitForStore(me.store, s => s.rooms[`fail_${id}`]?.status === 'failed');
		await me.service.leave(`fail_${id}`);
		expect(me.store.getState().rooms[`fail_${id}`]).toBeUndefined();
		expect(me.store.getState().order).not.toContain(`fail_${id}`);
	});
});
