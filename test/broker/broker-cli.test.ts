// The built `kchat broker` command, run as a user would run it.
import {execFile, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {freePort, stopBroker} from '../../source/broker/index.js';
import {isAlive} from '../../source/broker/broker-state.js';
import {cacheDir} from '../../source/config/paths.js';

const cli = path.resolve('dist/cli.js');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-cli-home-'));
// A throw-away home, but the Kafka jars from the shared cache (the set-up has resolved them already).
const env: NodeJS.ProcessEnv = {...process.env, KCHAT_HOME: home, KCHAT_CACHE_DIR: cacheDir()};
delete env['KCHAT_BROKERS'];
const hasJava = !spawnSync('java', ['-version']).error;
const started: string[] = [];

type Run = {code: number; stdout: string; stderr: string};

function kchat(...args: string[]): Promise<Run> {
	return new Promise(resolve => {
		execFile(process.execPath, [cli, ...args], {env, timeout: 180_000}, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
			resolve({code, stdout, stderr});
		});
	});
}

const dataDir = (name: string): string => path.join(home, name);

afterAll(async () => {
	for (const dir of started) await stopBroker(dir).catch(() => {});
	fs.rmSync(home, {recursive: true, force: true});
});

describe('kchat broker', () => {
	it('status: exit 1 when nothing runs', async () => {
		const run = await kchat('broker', 'status', '--data-dir', dataDir('empty-1'));
		expect(run.code).toBe(1);
		expect(run.stdout).toMatch(/not running/);
	});

	it('stop: says nothing runs, exit 0', async () => {
		const run = await kchat('broker', 'stop', '--data-dir', dataDir('empty-2'));
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/no broker is running/);
	});

	it('refuses an unknown subcommand, naming it, exit 2', async () => {
		const run = await kchat('broker', 'bogus');
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/bogus/);
	});

	it('refuses an unknown flag, naming it, exit 2', async () => {
		const run = await kchat('broker', 'start', '--bogus');
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/--bogus/);
	});

	it('refuses a flag of another subcommand, exit 2', async () => {
		const run = await kchat('broker', 'status', '--heap', '1g');
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/--heap/);
	});

	it('refuses a cluster size kchat does not make, --node on a single broker, and client-cert without a nick, exit 2', async () => {
		const two = await kchat('broker', 'start', '--nodes', '2', '--data-dir', dataDir('two'));
		expect(two.code).toBe(2);
		expect(two.stderr).toMatch(/--nodes must be 1 or 3, not '2'/);
		const node = await kchat('broker', 'stop', '--node', '2', '--data-dir', dataDir('empty-3'));
		expect(node.code).toBe(2);
		expect(node.stderr).toMatch(/--node applies to a cluster/);
		const noNick = await kchat('broker', 'client-cert');
		expect(noNick.code).toBe(2);
		expect(noNick.stderr).toMatch(/missing NICK/);
		const badNick = await kchat('broker', 'client-cert', 'a/b');
		expect(badNick.code).toBe(2);
		expect(badNick.stderr).toMatch(/nick "a\/b" is not valid/);
	});

	it('client-cert: says when there is no CA to sign with, exit 1', async () => {
		const run = await kchat('broker', 'client-cert', 'alice', '--data-dir', dataDir('no-tls'));
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/no TLS CA in .*no-tls: start the broker with --tls-client-auth/);
	});

	it('start: says when the port is taken by another process, exit 1', async () => {
		const server = net.createServer();
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as net.AddressInfo).port;
		try {
			const run = await kchat('broker', 'start', '--port', String(port), '--data-dir', dataDir('port-taken'));
			expect(run.code).toBe(1);
			expect(run.stderr).toMatch(new RegExp(`port ${port} is already in use by another process`));
		} finally {
			server.close();
		}
	});

	it.skipIf(!hasJava)('start, status, stop: a real broker on its own port and data dir', {timeout: 240_000}, async () => {
		const dir = dataDir('real');
		const port = await freePort();
		started.push(dir);

		const start = await kchat('broker', 'start', '--port', String(port), '--data-dir', dir);
		expect(start.code, start.stderr).toBe(0);
		expect(start.stdout).toContain(`127.0.0.1:${port}`);
		expect(start.stdout).toContain(path.join(dir, 'logs', 'server.log'));

		const again = await kchat('broker', 'start', '--port', String(port), '--data-dir', dir);
		expect(again.code).toBe(0);
		expect(again.stdout).toMatch(/already running/);

		const status = await kchat('broker', 'status', '--data-dir', dir);
		expect(status.code).toBe(0);
		const match = /pid (\d+), port (\d+), Apache Kafka (\S+), data dir (.+)$/m.exec(status.stdout);
		expect(match, status.stdout).not.toBeNull();
		const pid = Number(match?.[1]);
		expect(Number(match?.[2])).toBe(port);
		expect(match?.[3]).toBe('4.3.1');
		expect(match?.[4]).toBe(fs.realpathSync(dir));
		expect(isAlive(pid)).toBe(true);

		const logs = await kchat('broker', 'logs', '--data-dir', dir, '-n', 'all');
		expect(logs.code).toBe(0);
		expect(logs.stdout).toMatch(/Kafka Server started|Transition from STARTING to STARTED/);

		const stop = await kchat('broker', 'stop', '--data-dir', dir);
		expect(stop.code).toBe(0);
		expect(stop.stdout).toMatch(new RegExp(`stopped Apache Kafka \\(pid ${pid}\\)`));
		expect(isAlive(pid)).toBe(false);

		const after = await kchat('broker', 'status', '--data-dir', dir);
		expect(after.code).toBe(1);
	});
});
