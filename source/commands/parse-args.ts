import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import meow, {type AnyFlag, type AnyFlags, type Result} from 'meow';

/** Flags every command that talks to Kafka takes. */
export const connectionFlags = {
	brokers: {type: 'string'},
	logFile: {type: 'string'},
	verbose: {type: 'boolean', default: false},
} as const;

export const connectionHelp = `
  Connection
    --brokers HOST:PORT[,...]  Kafka bootstrap servers (else $KCHAT_BROKERS, the config file, localhost:9092)
    --log-file FILE            where kchat and kafkajs log (default: ~/.local/state/kchat/kchat.log)
    --verbose                  debug logging into the log file
  TLS (also client certificates) and SASL: the config file or KCHAT_SSL_* and KCHAT_SASL_*, never flags (see the README).`;

/** A command line that cannot be acted on: said on stderr in one shape everywhere, exit code 2. */
export class UsageError extends Error {
	constructor(
		readonly command: string,
		message: string,
	) {
		super(message);
	}
}

/** `kchat send: missing --room ROOM (see 'kchat send --help')` on stderr; returns the exit code, 2. */
export function usageError(command: string, message: string): number {
	const name = command ? `kchat ${command}` : 'kchat';
	process.stderr.write(`${name}: ${message} (see '${name} --help')\n`);
	return 2;
}

/** Untrusted command-line text as it may appear in an error: printable ASCII, cut short. */
export function quoteArg(text: string): string {
	const printable = text.replace(/[^\x20-\x7e]/g, '?');
	return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

/**
 * A whole number between min and max from a flag's text (undefined when the flag was not given);
 * anything else is a UsageError naming the flag and the range.
 */
export function wholeNumber(command: string, flag: string, text: string | undefined, min: number, max: number, what = 'a whole number'): number | undefined {
	if (text === undefined) return undefined;
	const trimmed = text.trim();
	const n = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
	if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
	const range = max >= Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
	throw new UsageError(command, `${flag} must be ${what} ${range}, not "${quoteArg(text)}"`);
}

export type Parsed<F extends AnyFlags> = Pick<Result<F>, 'flags' | 'input'>;

type Help = string | ((input: string[]) => string);

type FlagSpec = {key: string; type: AnyFlag['type']; multiple: boolean};

const kebab = (key: string): string => key.replace(/[A-Z]/g, c => '-' + c.toLowerCase());
const isNegativeNumber = (word: string): boolean => /^-(?:\d+|\d*\.\d+)$/.test(word);

/**
 * Reads one command's arguments the way getopt does, then lets meow build the flags from them:
 * - `--help`/`-h` anywhere (before `--`) prints this command's help (or its subcommand's, when `help`
 *   is a function of the words given) and nothing else happens: exit 0. `--version` prints the version.
 * - A flag that takes a value takes the next word whatever it looks like (`--user --help` is the user
 *   "--help"), or the text after `=`. After `--` every word is text (`send -- --help` sends "--help").
 * - An unknown flag, a missing value or a value given to a switch is a usage error in one shape:
 *   `kchat send: unknown flag --colour (see 'kchat send --help')`, exit 2.
 * Returns the parsed flags and words, or the exit code when it has already answered. `command` names
 * the command in errors (a function of the words for commands with subcommands: `broker start`).
 */
export function parseArgs<F extends AnyFlags>(command: string | ((words: string[]) => string), argv: string[], help: Help, flags: F): Parsed<F> | number {
	const long = new Map<string, FlagSpec>();
	const short = new Map<string, FlagSpec>();
	for (const [key, flag] of Object.entries(flags)) {
		const spec = {key, type: flag.type, multiple: flag.isMultiple === true};
		long.set(kebab(key), spec);
		if (flag.shortFlag) short.set(flag.shortFlag, spec);
	}

	const words: string[] = [];
	// Flag key → its `--name=value` words; a flag given twice keeps the last value, as with getopt.
	const given = new Map<string, string[]>();
	let problem: string | undefined;
	let wantsHelp = false;
	let wantsVersion = false;
	const fail = (message: string): void => void (problem ??= message);
	const take = (spec: FlagSpec, value: string | boolean): void => {
		const word = value === true ? `--${kebab(spec.key)}` : value === false ? `--no-${kebab(spec.key)}` : `--${kebab(spec.key)}=${value}`;
		given.set(spec.key, spec.multiple ? [...(given.get(spec.key) ?? []), word] : [word]);
	};

	for (let i = 0; i < argv.length; i++) {
		const word = argv[i]!;
		if (word === '--') {
			words.push(...argv.slice(i + 1));
			break;
		}
		if (word.startsWith('--')) {
			const cut = word.indexOf('=');
			const name = cut < 0 ? word.slice(2) : word.slice(2, cut);
			const inline = cut < 0 ? undefined : word.slice(cut + 1);
			if (name === 'help') wantsHelp = true;
			else if (name === 'version') wantsVersion = true;
			else {
				const spec = long.get(name);
				const negated = !spec && name.startsWith('no-') ? long.get(name.slice(3)) : undefined;
				if (negated?.type === 'boolean' && inline === undefined) take(negated, false);
				else if (!spec) fail(`unknown flag --${quoteArg(name)}`);
				else if (spec.type === 'boolean') {
					if (inline !== undefined) fail(`--${name} takes no value`);
					else take(spec, true);
				} else if (inline !== undefined) take(spec, inline);
				else if (i + 1 < argv.length) take(spec, argv[++i]!);
				else fail(`--${name} needs a value`);
			}
			continue;
		}
		if (word.startsWith('-') && word.length > 1 && !isNegativeNumber(word)) {
			// -f, -n 5, -n5, -fn 5: switches may be grouped, a flag with a value ends the group.
			for (let k = 1; k < word.length; k++) {
				const letter = word[k]!;
				if (letter === 'h') {
					wantsHelp = true;
					continue;
				}
				const spec = short.get(letter);
				if (!spec) {
					fail(`unknown flag -${quoteArg(letter)}`);
					break;
				}
				if (spec.type === 'boolean') {
					take(spec, true);
					continue;
				}
				const rest = word.slice(k + 1);
				if (rest) take(spec, rest);
				else if (i + 1 < argv.length) take(spec, argv[++i]!);
				else fail(`-${letter} needs a value`);
				break;
			}
			continue;
		}
		words.push(word);
	}

	if (wantsHelp) {
		const text = typeof help === 'function' ? help(words) : help;
		process.stdout.write(text.replace(/^\n+/, '\n').replace(/\s+$/, '') + '\n\n');
		return 0;
	}
	if (problem) return usageError(typeof command === 'function' ? command(words) : command, problem);
	if (wantsVersion) {
		process.stdout.write(`${kchatVersion()}\n`);
		return 0;
	}
	// Every value is now attached with `=` and every word comes after `--`: meow cannot take one for the other.
	const result = meow({
		importMeta: import.meta,
		// Given, so meow does not look for and read kchat's package.json on every command's start (~20 ms);
		// it needs only the name and bin for the process title ("kchat" in ps and top).
		pkg: {name: 'kchat', bin: {kchat: 'dist/cli.js'}},
		argv: [...[...given.values()].flat(), '--', ...words],
		flags,
		allowUnknownFlags: true,
		autoHelp: false,
		autoVersion: false,
		inferType: false,
		booleanDefault: undefined,
	});
	return {flags: result.flags, input: result.input};
}

/** kchat's version, from the package.json above this file (the source tree, or dist/ when bundled). */
export function kchatVersion(): string {
	for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
		try {
			const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {name?: string; version?: string};
			if (pkg.name === 'kchat' && pkg.version) return pkg.version;
		} catch {
			// not here: one folder up
		}
		if (path.dirname(dir) === dir) return 'unknown';
	}
}
