import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {cacheDir} from '../../source/config/paths.js';

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

/** One throw-away home for every CLI run of this test process that names no home of its own. */
let scratchHome: string | undefined;
function testHome(): string {
	if (!scratchHome) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-test-home-'));
		scratchHome = dir;
		process.once('exit', () => fs.rmSync(dir, {recursive: true, force: true}));
	}
	return scratchHome;
}

/**
 * The environment a CLI run in a test gets: nothing of the developer's (no KCHAT_SSL*, KCHAT_SASL*,
 * KCHAT_BROKERS, XDG_* or config file), a temporary HOME, the shared Kafka jars (so a broker start does
 * not download them again), and what the test adds. Only PATH and the locale come from outside.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {
		PATH: process.env['PATH'] ?? '/usr/bin:/bin',
		LANG: 'C.UTF-8',
		HOME: testHome(),
		USER: 'kchat-test',
		KCHAT_CACHE_DIR: cacheDir(),
	};
	for (const [key, value] of Object.entries(extra)) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}
	return env;
}

export type CliResult = {code: number | null; stdout: string; stderr: string};

export type CliOptions = {
	input?: string;
	/** Added to the clean environment (see cleanEnv); `undefined` removes a variable. */
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
	/** When this settles first, the command is stopped (SIGTERM) and its output so far returned. */
	until?: Promise<unknown>;
};

/** Runs the built `kchat` with arguments (and optional stdin), resolving when it exits. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [CLI, ...args], {env: cleanEnv(options.env), stdio: ['pipe', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', d => (stdout += d));
		child.stderr.on('data', d => (stderr += d));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`kchat ${args.join(' ')} did not exit within ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
		}, options.timeoutMs ?? 60_000);
		void options.until?.finally(() => child.kill('SIGTERM'));
		child.on('error', reject);
		child.on('close', code => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
		child.stdin.on('error', () => undefined); // a command that exits without reading its input
		child.stdin.end(options.input ?? '');
	});
}
