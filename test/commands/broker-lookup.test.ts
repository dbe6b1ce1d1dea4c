// `kchat broker status|logs --port N` on the broker the tests run against (found among running
// brokers), `broker logs -f`, and where every command takes its brokers from.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {findBrokerByPort} from '../../source/broker/find-broker.js';
import {CLI, cleanEnv, runCli} from '../support/run-cli.js';
import {uniqueRoom} from '../support/chat-instance.js';
import {testBrokers} from '../support/test-brokers.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-lookup-'));
afterAll(() => fs.rmSync(home, {recursive: true, force: true}));

const bootstrap = testBrokers()[0]!;

const answers = (host: string, port: number): Promise<boolean> =>
	new Promise(resolve => {
		const socket = net.connect({host, port});
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('error', () => resolve(false));
	});
const port = Number(bootstrap.split(':').pop());
/** The test broker is a kchat broker (started by the set-up, or the developer's `kchat broker start`). */
const dataDir = findBrokerByPort(port).dataDir;

describe.skipIf(!dataDir)('broker commands by --port', () => {
	it('status --port N finds the broker of that port', async () => {
		const run = await runCli(['broker', 'status', '--port', String(port)], {env: {KCHAT_HOME: home}});
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout).toMatch(new RegExp(`^running: pid \\d+, port ${port}\\b.*data dir ${fs.realpathSync(dataDir!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
	});

	it('a port no known broker uses: exit 1, naming the data dirs kchat knows', async () => {
		const run = await runCli(['broker', 'stop', '--port', '1'], {env: {KCHAT_HOME: home}});
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(new RegExp(`^kchat broker stop: kchat knows no broker on port 1; it knows .*\\(port ${port}\\).*: name its data directory with --data-dir DIR\\n$`));
	});

	it('--port and --data-dir together is a usage error', async () => {
		const run = await runCli(['broker', 'status', '--port', String(port), '--data-dir', dataDir!], {env: {KCHAT_HOME: home}});
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/--port and --data-dir name the broker twice/);
	});

	it('logs -f prints the end of the log and follows it until stopped, exit 0', async () => {
		const child = spawn(process.execPath, [CLI, 'broker', 'logs', '-f', '-n', '5', '--port', String(port)], {env: cleanEnv({KCHAT_HOME: home})});
		let stdout = '';
		const exited = new Promise<number | null>(resolve => child.on('close', resolve));
		const lines = (n: number): Promise<void> =>
			new Promise(resolve => {
				const check = (): void => void (stdout.split('\n').length > n && resolve());
				child.stdout.on('data', d => {
					stdout += d;
					check();
				});
				check();
			});
		await lines(5);
		const before = stdout.length;
		// Creating a topic makes the broker log a line: it must show up here.
		const room = uniqueRoom('logged');
		await runCli(['rooms', 'create', room], {env: {KCHAT_HOME: home, KCHAT_BROKERS: bootstrap}});
		await new Promise<void>(resolve => {
			const check = (): void => void (stdout.slice(before).includes(room) && resolve());
			child.stdout.on('data', check);
			check();
		});
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});
});

describe('where the brokers come from: --brokers, then KCHAT_BROKERS, then the config file, then localhost:9092', () => {
	const dead = '127.0.0.1:1';
	const config = (brokers?: string): void => {
		fs.mkdirSync(path.join(home, '.config'), {recursive: true});
		fs.writeFileSync(path.join(home, '.config', 'config.json'), JSON.stringify(brokers ? {brokers} : {}));
	};
	/** `kchat send` with one message that may wait 3 s for the broker: it succeeds on the real one and names a dead one. */
	const send = (args: string[], env: NodeJS.ProcessEnv) => runCli(['send', '--room', uniqueRoom('where'), '--user', 'alice', '--timeout', '3', ...args, 'hi'], {env: {KCHAT_HOME: home, ...env}});

	it('each source wins over the ones after it', async () => {
		config(dead);
		const flagWins = await send(['--brokers', bootstrap], {KCHAT_BROKERS: dead});
		expect(flagWins.code, flagWins.stderr).toBe(0);
		expect((await send([], {KCHAT_BROKERS: bootstrap})).code).toBe(0);
		config(bootstrap);
		expect((await send([], {})).code).toBe(0);
		const envOverFile = await send([], {KCHAT_BROKERS: dead});
		expect(envOverFile.code).toBe(1);
		expect(envOverFile.stderr).toContain(dead);
		// Nothing configured: localhost:9092, whether a broker answers there (delivered) or not (named).
		config();
		const fallback = await send([], {});
		if (fallback.code === 0) expect(await answers('localhost', 9092)).toBe(true);
		else expect(fallback.stderr).toContain('localhost:9092');
	});
});
