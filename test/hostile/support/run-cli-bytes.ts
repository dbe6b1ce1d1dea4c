import {spawn} from 'node:child_process';
import {CLI, cleanEnv} from '../../support/run-cli.js';

export type CliBytes = {code: number | null; stdout: Buffer; stderr: Buffer};

/** Runs `command args` with stdin in a clean environment (see cleanEnv), resolving with its exit code and output as raw bytes. */
export function runBytes(command: string, args: string[], options: {input?: Buffer | string; env?: NodeJS.ProcessEnv; timeoutMs?: number} = {}): Promise<CliBytes> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {env: cleanEnv(options.env), stdio: ['pipe', 'pipe', 'pipe']});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (d: Buffer) => out.push(d));
		child.stderr.on('data', (d: Buffer) => err.push(d));
		const timeoutMs = options.timeoutMs ?? 30_000;
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${command} ${args.join(' ')} did not exit within ${timeoutMs} ms\nstderr: ${Buffer.concat(err).toString()}`));
		}, timeoutMs);
		child.on('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', code => {
			clearTimeout(timer);
			resolve({code, stdout: Buffer.concat(out), stderr: Buffer.concat(err)});
		});
		child.stdin.on('error', () => undefined); // a command that exits without reading its input
		child.stdin.end(options.input ?? '');
	});
}

/** Runs the built `kchat` (dist/cli.js; `npm run build` first), output as raw bytes. */
export function runKchat(args: string[], options: {input?: Buffer | string; env?: NodeJS.ProcessEnv; timeoutMs?: number} = {}): Promise<CliBytes> {
	return runBytes(process.execPath, [CLI, ...args], options);
}
