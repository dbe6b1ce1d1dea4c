import {spawn, type ChildProcess} from 'node:child_process';
import readline from 'node:readline';

// Some measurements run in a process of their own (`kchat bench --internal MODE`): a fresh process's
// memory and first frame, or a consumer that shares no event loop with the load it measures. They
// talk JSON lines: commands on stdin, answers on stdout.

/** The kchat that runs the benchmark (dist/cli.js, or wherever it is installed) runs its children too. */
export const kchatCli = process.argv[1]!;

export type Child = {
	/** The next JSON line the child prints (rejects when it exits first, or after `ms`). */
	next<T>(ms?: number): Promise<T>;
	send(command: string): void;
	/** Waits for the exit (killing it after `ms`); resolves with the exit code. */
	exit(ms?: number): Promise<number | null>;
	process: ChildProcess;
};

export function spawnChild(mode: string, args: string[], options: {nodeArgs?: string[]} = {}): Child {
	const env = {...process.env};
	// Ink writes no frames at all when it thinks it runs in CI.
	delete env['CI'];
	delete env['CONTINUOUS_INTEGRATION'];
	// KCHAT_BENCH_PROFILE=DIR: a CPU profile of every child, for finding out why a figure is what it is.
	const profile = process.env['KCHAT_BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['KCHAT_BENCH_PROFILE']}`] : [];
	const child = spawn(process.execPath, [...profile, ...(options.nodeArgs ?? []), kchatCli, 'bench', '--internal', mode, ...args], {env, stdio: ['pipe', 'pipe', 'pipe']});
	const lines: string[] = [];
	let waiter: ((line: string | undefined) => void) | undefined;
	let exited = false;
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
	readline.createInterface({input: child.stdout!}).on('line', line => {
		if (!line.startsWith('{')) return;
		if (waiter) {
			const w = waiter;
			waiter = undefined;
			w(line);
		} else lines.push(line);
	});
	const closed = new Promise<number | null>(resolve =>
		child.once('close', code => {
			exited = true;
			waiter?.(undefined);
			resolve(code);
		}),
	);
	return {
		process: child,
		next<T>(ms = 120_000): Promise<T> {
			const queued = lines.shift();
			if (queued !== undefined) return Promise.resolve(JSON.parse(queued) as T);
			if (exited) return Promise.reject(new Error(`bench ${mode} exited early: ${stderr.trim()}`));
			return new Promise<T>((resolve, reject) => {
				const timer = setTimeout(() => {
					waiter = undefined;
					reject(new Error(`bench ${mode} did not answer within ${ms / 1000} s: ${stderr.trim()}`));
				}, ms);
				waiter = line => {
					clearTimeout(timer);
					if (line === undefined) reject(new Error(`bench ${mode} exited early: ${stderr.trim()}`));
					else resolve(JSON.parse(line) as T);
				};
			});
		},
		send(command) {
			if (!exited) child.stdin!.write(command + '\n');
		},
		async exit(ms = 15_000) {
			child.stdin!.end();
			const timer = setTimeout(() => child.kill('SIGKILL'), ms);
			const code = await closed;
			clearTimeout(timer);
			return code;
		},
	};
}

/** In the child: commands from the parent, one per line. */
export function commands(onCommand: (command: string) => void | Promise<void>): Promise<void> {
	return new Promise(resolve => {
		const rl = readline.createInterface({input: process.stdin});
		rl.on('line', line => void onCommand(line.trim()));
		rl.on('close', () => resolve());
	});
}

/** In the child: one answer. */
export function answer(value: unknown): void {
	process.stdout.write(JSON.stringify(value) + '\n');
}
