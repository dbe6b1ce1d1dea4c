import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const source = path.join(path.dirname(fileURLToPath(import.meta.url)), 'outbox-child.ts');
let bundled: Promise<string> | undefined;

/** outbox-child.ts as one file Node runs (tests run TypeScript through vitest; a child has no such loader). */
function bundle(): Promise<string> {
	bundled ??= (async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-child-'));
		process.once('exit', () => fs.rmSync(dir, {recursive: true, force: true}));
		const outfile = path.join(dir, 'outbox-child.mjs');
		await build({
			entryPoints: [source],
			outfile,
			bundle: true,
			format: 'esm',
			platform: 'node',
			target: 'node20',
			// kafkajs calls require() for Node's own modules; an ES module has none.
			banner: {js: "import {createRequire as __kchatCreateRequire} from 'node:module';\nconst require = __kchatCreateRequire(import.meta.url);"},
			logLevel: 'warning',
		});
		return outfile;
	})();
	return bundled;
}

export type ChildInstance = {
	child: ChildProcess;
	/** Ids of the delivery reports so far. */
	delivered: string[];
	/** Resolves when the child printed a line that passes `test` (already printed counts). */
	line(test: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
	/** Stops it as a quit does (the outbox keeps what is unsent), and waits for the exit. */
	stop(): Promise<void>;
	/** SIGKILL, and waits until it is gone. */
	kill(): Promise<void>;
	/** Resolves with the signal that ended it (null for an exit). */
	exited: Promise<NodeJS.Signals | null>;
};

export type ChildConfig = {brokers: string[]; nick: string; outboxDir: string; room?: string; texts?: string[]; dieAfterAcks?: number};

/** A ChatService with an outbox in a process of its own (see outbox-child.ts). */
export async function childInstance(config: ChildConfig): Promise<ChildInstance> {
	const child = spawn(process.execPath, [await bundle(), JSON.stringify(config)], {stdio: ['pipe', 'pipe', 'inherit']});
	const lines: string[] = [];
	const delivered: string[] = [];
	const waiters = new Set<() => void>();
	const exited = new Promise<NodeJS.Signals | null>(resolve => child.once('exit', (_code, signal) => resolve(signal)));
	readline.createInterface({input: child.stdout!}).on('line', line => {
		lines.push(line);
		if (line.startsWith('delivered ')) delivered.push(line.slice('delivered '.length));
		for (const waiter of waiters) waiter();
	});
	const line = (test: (line: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> =>
		new Promise((resolve, reject) => {
			const check = (): void => {
				const found = lines.find(test);
				if (found === undefined) return;
				waiters.delete(check);
				clearTimeout(timer);
				resolve(found);
			};
			const timer = setTimeout(() => {
				waiters.delete(check);
				reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} from the child instance`));
			}, timeoutMs);
			waiters.add(check);
			check();
		});
	return {
		child,
		delivered,
		exited,
		line,
		stop: async () => {
			if (child.exitCode === null && child.signalCode === null) child.stdin!.write('stop\n');
			await exited;
		},
		kill: async () => {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
			await exited;
		},
	};
}
