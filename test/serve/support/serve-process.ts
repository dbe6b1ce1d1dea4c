import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {CLI} from '../../support/run-cli.js';
import {testBrokers} from '../../support/test-brokers.js';

/** The environment for kchat runs in tests: no KCHAT_* of the developer's (TLS, SASL, tokens), a throw-away home. */
export function cleanEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('KCHAT_')) env[name] = value;
	return {...env, KCHAT_HOME: home, KCHAT_BROKERS: testBrokers().join(','), ...extra};
}

export type ServeProcess = {
	url: string;
	/** ws://host:port/ws */
	wsUrl: string;
	port: number;
	child: ChildProcess;
	stderr: () => string;
	/** SIGTERM, then waits for the exit code. */
	stop(): Promise<number | null>;
};

/** `kchat serve` (the built binary) on a free port, or on `port`; resolves once it printed its address. */
export function startServe(args: string[] = [], options: {home?: string; env?: Record<string, string>; port?: number} = {}): Promise<ServeProcess> {
	const home = options.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-serve-'));
	const child = spawn(process.execPath, [CLI, 'serve', '--port', String(options.port ?? 0), ...args], {env: cleanEnv(home, options.env), stdio: ['ignore', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
	const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`kchat serve printed no address within 20 s:\n${stderr}`)), 20_000);
		void exited.then(code => reject(new Error(`kchat serve exited (${code}) before printing its address:\n${stderr}`)));
		readline.createInterface({input: child.stdout!}).once('line', line => {
			clearTimeout(timer);
			const url = new URL(line.trim());
			resolve({
				url: url.href,
				wsUrl: `ws://${url.host}/ws`,
				port: Number(url.port),
				child,
				stderr: () => stderr,
				stop: async () => {
					if (child.exitCode === null) child.kill('SIGTERM');
					return exited;
				},
			});
		});
	});
}
