#!/usr/bin/env node
// kchat's entry: picks the subcommand and hands it the rest of the arguments.
// Each subcommand parses its own flags (meow), so `kchat send --help` shows only send's.
import process from 'node:process';

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
			process.stderr.write(`kchat: unknown command '${first}'. Commands: ${Object.keys(subcommands).join(', ')}.\nRun 'kchat --help' for usage.\n`);
			return 2;
		}
		return (await load())(rest);
	}
	// Ink draws only the last frame when CI is set (is-in-ci, read when Ink loads). Someone who runs the
	// chat in a real terminal wants it live, whatever their environment says about CI.
	if (process.stdout.isTTY) {
		delete process.env['CI'];
		delete process.env['CONTINUOUS_INTEGRATION'];
	}
	return (await import('./source/commands/chat.js')).run(argv);
}

// Exit explicitly: a kafkajs retry timer of a connection that never came up must not keep the process
// alive after the command is done (stdout and stderr are synchronous on Linux, so nothing is lost).
main(process.argv.slice(2)).then(
	code => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`kchat: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	},
);
