// How every subcommand runs, from kchat's entry (cli.tsx) or from its own bundle (tail-cli.ts).
import process from 'node:process';
import {flushOutput, watchOutput} from './output.js';
import {UsageError, usageError} from './parse-args.js';

export type Runner = (argv: string[]) => Promise<number>;

/**
 * Runs a command; a UsageError it throws is said in the usual shape, exit 2. Everything printed
 * reaches the reader before the process ends, however slow it reads; then it exits explicitly, so a
 * kafkajs retry timer of a connection that never came up cannot keep kchat alive.
 */
export function runCommand(load: () => Promise<Runner>, argv: string[]): void {
	watchOutput();
	const run = async (): Promise<number> => {
		try {
			return await (await load())(argv);
		} catch (error) {
			if (error instanceof UsageError) return usageError(error.command, error.message);
			throw error;
		}
	};
	run().then(
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
}
