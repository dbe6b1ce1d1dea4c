#!/usr/bin/env node
// kchat's entry: picks the subcommand and hands it the rest of the arguments.
// Each subcommand parses its own flags, so `kchat send --help` shows only send's.
import module from 'node:module';
import process from 'node:process';

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
	// Run from its own bundle (below); named here for the list of commands.
	tail: async () => (await import('./source/commands/tail.js')).run,
	rooms: async () => (await import('./source/commands/rooms.js')).run,
	bench: async () => (await import('./source/commands/bench.js')).run,
	simulate: async () => (await import('./source/commands/simulate.js')).run,
	serve: async () => (await import('./source/commands/serve.js')).run,
};

/** The command to run and its arguments; unknown commands are a usage error (exit 2). */
function route(argv: string[]): [() => Promise<Runner>, string[]] {
	const [first, ...rest] = argv;
	if (first !== undefined && !first.startsWith('-')) {
		const load = subcommands[first];
		if (load) return [load, rest];
		return [
			async () => {
				const {quoteArg, usageError} = await import('./source/commands/parse-args.js');
				return async () => usageError('', `unknown command '${quoteArg(first)}': one of ${Object.keys(subcommands).join(', ')}`);
			},
			rest,
		];
	}
	// Ink draws only the last frame when CI is set (is-in-ci, read when Ink loads). Someone who runs the
	// chat in a real terminal wants it live, whatever their environment says about CI.
	if (process.stdout.isTTY) {
		delete process.env['CI'];
		delete process.env['CONTINUOUS_INTEGRATION'];
	}
	return [async () => (await import('./source/commands/chat.js')).run, argv];
}

const argv = process.argv.slice(2);
if (argv[0] === 'tail') {
	// A bundle of its own, one file built beside this one (source/commands/tail-cli.ts): its first line sooner.
	await import(new URL('./tail.js', import.meta.url).href);
} else {
	const {runCommand} = await import('./source/commands/run-command.js');
	runCommand(...route(argv));
}
