#!/usr/bin/env node
// kchat's entry: picks the subcommand and hands it the rest of the arguments.
// Each subcommand parses its own flags, so `kchat send --help` shows only send's.
import module from 'node:module';
import process from 'node:process';
import {flushOutput, watchOutput} from './source/commands/output.js';

// Node 22.1+ keeps V8's compiled code of the modules loaded from here on in a cache on disk (in the
// temp folder, or NODE_COMPILE_CACHE): a command loads its ~0.9 MB of JavaScript without compiling it
// again. Node 20 has no such cache (the call is skipped there).
(module as {enableCompileCache?: () => unknown}).enableCompileCache?.();

// React's development build checks and warns on every render: kchat is an app, not a React dev setup.
process.env['NODE_ENV'] ??= 'production';

type Runner = (argv: string[]) => Promise<number>;

const subcommands: Record<string, () => Promise<Runner>> = {
	broker: async () => (await import('./source/commands/broker.js')).run,
	send: async () => (await import('./source/commands/send.js')).run,
	tail: async () => (await import('./source/commands/tail.js')).run,
	rooms: async () => (await import('./source/commands/rooms.js')).run,
	bench: async () => (await import('./source/commands/bench.js')).run,
	simulate: async () => (await import('./source/commands/simulate.js')).run,
	serve: async () => (await import('./source/commands/serve.js')).run,
};

async function main(argv: string[]): Promise<number> {
	const [first, ...rest] = argv;
	if (first !== undefined && !first.startsWith('-')) {
		const load = subcommands[first];
		if (!load) {
			const {quoteArg, usageError} = await import('./source/commands/parse-args.js');
			return usageError('', `unknown command '${quoteArg(first)}': one of ${Object.keys(subcommands).join(', ')}`);
		}
		return run(first, load, rest);
	}
	// Ink draws only the last frame when CI is set (is-in-ci, read when Ink loads). Someone who runs the
	// chat in a real terminal wants it live, whatever their environment says about CI.
	if (process.stdout.isTTY) {
		delete process.env['CI'];
		delete process.env['CONTINUOUS_INTEGRATION'];
	}
	return run('', async () => (await import('./source/commands/chat.js')).run, argv);
}

/** Runs a command; a UsageError it throws is said in the usual shape, exit 2. */
async function run(name: string, load: () => Promise<Runner>, argv: string[]): Promise<number> {
	const {UsageError, usageError} = await import('./source/commands/parse-args.js');
	try {
		return await (await load())(argv);
	} catch (error) {
		if (error instanceof UsageError) return usageError(error.command, error.message);
		throw error;
	}
}

watchOutput();
// Everything printed reaches the reader before the process ends, however slow it reads; then exit
// explicitly, so a kafkajs retry timer of a connection that never came up cannot keep kchat alive.
main(process.argv.slice(2)).then(
	async code => {
		await flushOutput();
		process.exit(code);
	},
	async (error: unknown) => {
		process.stderr.write(`kchat: ${error instanceof Error ? error.message : String(error)}\n`);
		await flushOutput();
		process.exit(1);
	},
);
