import {afterEach, describe, expect, it, vi} from 'vitest';
import {parseArgs, quoteArg, UsageError, wholeNumber} from '../../source/commands/parse-args.js';

const flags = {
	room: {type: 'string', isMultiple: true},
	user: {type: 'string'},
	json: {type: 'boolean', default: false},
	bell: {type: 'boolean', default: true},
	lines: {type: 'string', shortFlag: 'n'},
	follow: {type: 'boolean', shortFlag: 'f'},
} as const;

/** Runs parseArgs with stdout and stderr captured. */
function parse(argv: string[], help: string | ((words: string[]) => string) = 'usage: send') {
	let stdout = '';
	let stderr = '';
	const out = vi.spyOn(process.stdout, 'write').mockImplementation(chunk => ((stdout += String(chunk)), true));
	const err = vi.spyOn(process.stderr, 'write').mockImplementation(chunk => ((stderr += String(chunk)), true));
	try {
		return {result: parseArgs('send', argv, help, flags), stdout, stderr};
	} finally {
		out.mockRestore();
		err.mockRestore();
	}
}

afterEach(() => vi.restoreAllMocks());

describe('parseArgs', () => {
	it('reads flags getopt-style: values after = or as the next word, repeatable flags, -- ends the flags', () => {
		const {result} = parse(['--room', 'a', '--room=b', 'hi', '--', '--help', '-5', '-h']);
		expect(result).toEqual({flags: {room: ['a', 'b'], json: false, bell: true}, input: ['hi', '--help', '-5', '-h']});
	});

	it('a flag that takes a value takes the next word, even --help', () => {
		const {result, stdout} = parse(['--user', '--help', 'x']);
		expect(stdout).toBe('');
		expect(result).toMatchObject({flags: {user: '--help'}, input: ['x']});
	});

	it('short flags group, --no- turns a switch off, the last value of a single flag wins', () => {
		expect(parse(['--no-bell', '-fn5']).result).toMatchObject({flags: {bell: false, follow: true, lines: '5'}});
		expect(parse(['-n', '3', '--user', 'a', '--user', 'b']).result).toMatchObject({flags: {lines: '3', user: 'b'}});
	});

	it('--help or -h anywhere prints the help and nothing else, exit 0', () => {
		for (const argv of [['--help'], ['hi', '--room', 'x', '--help'], ['-fh'], ['--bogus', '-h'], ['--help=yes']]) {
			const {result, stdout, stderr} = parse(argv);
			expect(result).toBe(0);
			expect(stdout).toBe('usage: send\n\n');
			expect(stderr).toBe('');
		}
	});

	it('help can depend on the words given (a subcommand prints its own)', () => {
		expect(parse(['stop', '--help'], words => `usage: ${words[0] ?? 'all'}`).stdout).toBe('usage: stop\n\n');
	});

	it('--version prints the version, exit 0', () => {
		const {result, stdout} = parse(['x', '--version']);
		expect(result).toBe(0);
		expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
	});

	it('usage errors in one shape, exit 2, input made printable', () => {
		const cases: [string[], string][] = [
			[['--colour'], 'unknown flag --colour'],
			[['--json=1'], '--json takes no value'],
			[['--room'], '--room needs a value'],
			[['-x'], 'unknown flag -x'],
			[['--\x1b[31mred'], 'unknown flag --?[31mred'],
		];
		for (const [argv, message] of cases) {
			const {result, stderr} = parse(argv);
			expect(result).toBe(2);
			expect(stderr).toBe(`kchat send: ${message} (see 'kchat send --help')\n`);
		}
	});
});

describe('wholeNumber', () => {
	it('takes whole numbers in range, refuses the rest naming the flag, without echoing raw bytes', () => {
		expect(wholeNumber('rooms', '--partitions', '6', 1, 1000)).toBe(6);
		expect(wholeNumber('rooms', '--partitions', undefined, 1, 1000)).toBeUndefined();
		for (const bad of ['0', '1001', '1.5', '-3', 'six', '1e3', '', ' ']) {
			expect(() => wholeNumber('rooms', '--partitions', bad, 1, 1000)).toThrow(UsageError);
		}
		expect(() => wholeNumber('rooms', '--partitions', 'x\x1b]0;t\x07', 1, 1000)).toThrow('--partitions must be a whole number from 1 to 1000, not "x?]0;t?"');
		expect(quoteArg('a'.repeat(50))).toBe(`${'a'.repeat(40)}…`);
	});
});
