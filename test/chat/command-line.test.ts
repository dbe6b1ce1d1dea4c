import {describe, expect, it} from 'vitest';
import {argsText, parseLine} from '../../source/chat/command-line.js';
import {complete} from '../../source/chat/completion.js';
import {SLASH_COMMANDS} from '../../source/ui/slash-commands.js';
import {unsafeChars} from './unsafe-chars.js';

// The parser and completion are pure (source/chat); they read the app's command registry (source/ui).

const parseInput = (input: string) => parseLine(input, SLASH_COMMANDS);
/** A command as its name and checked arguments, undefined ones (optional, not given) left out. */
const command = (input: string) => {
	const parsed = parseInput(input);
	if (parsed.kind !== 'command') throw new Error(`expected a command for ${input}, got ${JSON.stringify(parsed)}`);
	const values = parsed.values;
	while (values.length > 0 && values.at(-1) === undefined) values.pop();
	return {name: parsed.command.name, values};
};
const error = (input: string) => {
	const parsed = parseInput(input);
	if (parsed.kind !== 'error') throw new Error(`expected an error for ${input}, got ${JSON.stringify(parsed)}`);
	return parsed.message;
};

describe('parseInput: messages', () => {
	it('treats plain text as a message, as typed', () => {
		expect(parseInput('hello world')).toEqual({kind: 'message', text: 'hello world'});
		expect(parseInput(' /not a command')).toEqual({kind: 'message', text: ' /not a command'});
	});

	it('sends //text as /text', () => {
		expect(parseInput('//join is a command')).toEqual({kind: 'message', text: '/join is a command'});
		expect(parseInput('//')).toEqual({kind: 'message', text: '/'});
	});

	it('reports empty and whitespace-only input as empty', () => {
		expect(parseInput('')).toEqual({kind: 'empty'});
		expect(parseInput('   \t ')).toEqual({kind: 'empty'});
	});
});

describe('parseInput: commands', () => {
	it('parses /join with and without partitions', () => {
		expect(command('/join chat-room-1')).toEqual({name: 'join', values: ['chat-room-1']});
		expect(command('/join   general   6 ')).toEqual({name: 'join', values: ['general', 6]});
		expect(command('/JOIN general')).toEqual({name: 'join', values: ['general']});
	});

	it('refuses bad /join arguments with the usage or the room rule', () => {
		expect(error('/join')).toBe('usage: /join ROOM [PARTITIONS]');
		expect(error('/join a b c')).toBe('usage: /join ROOM [PARTITIONS]');
		for (const n of ['0', '1001', '-1', '2.5', 'three']) expect(error(`/join general ${n}`)).toMatch(/^usage: \/join ROOM \[PARTITIONS\] — PARTITIONS is a whole number from 1 to 1000$/);
		expect(error('/join bad#room')).toContain(`room name "bad#room" is not valid: '#' is not allowed`);
		expect(error('/join __consumer_offsets')).toContain('internal');
	});

	it('parses /leave and its alias /part, with an optional room', () => {
		expect(command('/leave')).toEqual({name: 'leave', values: []});
		expect(command('/part general')).toEqual({name: 'leave', values: ['general']});
		expect(command('/Part')).toEqual({name: 'leave', values: []});
		expect(error('/leave a b')).toBe('usage: /leave [ROOM]');
		expect(error('/part a!')).toContain('is not valid');
	});

	it('parses /nick with validation', () => {
		expect(command('/nick alice_2')).toEqual({name: 'nick', values: ['alice_2']});
		expect(error('/nick')).toBe('usage: /nick NEW');
		expect(error('/nick a b')).toBe('usage: /nick NEW');
		expect(error('/nick al@ice')).toContain(`'@' is not allowed`);
	});

	it('parses /me with the rest of the line as the action', () => {
		expect(command('/me waves  at   everyone ')).toEqual({name: 'me', values: ['waves  at   everyone']});
		expect(error('/me')).toBe('usage: /me ACTION');
		expect(error('/me   ')).toBe('usage: /me ACTION');
	});

	it('parses /history N in 1..10000', () => {
		expect(command('/history 50')).toEqual({name: 'history', values: [50]});
		expect(command('/history 10000')).toEqual({name: 'history', values: [10000]});
		expect(error('/history')).toBe('usage: /history N');
		expect(error('/history 0')).toContain('N is a whole number from 1 to 10000');
		expect(error('/history 10001')).toContain('N is a whole number from 1 to 10000');
		expect(error('/history 1e3')).toContain('whole number');
	});

	it('parses the commands without arguments, and /exit as /quit', () => {
		for (const name of ['rooms', 'who', 'clear', 'help', 'quit'] as const) expect(command(`/${name}`)).toEqual({name, values: []});
		expect(command('/exit')).toEqual({name: 'quit', values: []});
		expect(command('/QUIT')).toEqual({name: 'quit', values: []});
		expect(error('/who is there')).toBe('usage: /who');
	});

	it('refuses unknown commands', () => {
		expect(error('/foo bar')).toBe('unknown command /foo — type /help for the list');
		expect(error('/')).toContain('/help');
		const hostile = error('/\x1b]0;pwned\x07x');
		expect(hostile).toBe('unknown command /x — type /help for the list');
		expect(unsafeChars(error('/a\u202eb'))).toEqual([]);
	});
});

describe('the command registry', () => {
	it('lists every command once with its arguments and help', () => {
		expect(SLASH_COMMANDS.map(c => c.name)).toEqual(['join', 'leave', 'rooms', 'nick', 'me', 'who', 'history', 'search', 'clear', 'help', 'quit']);
		for (const c of SLASH_COMMANDS) expect(c.help.length).toBeGreaterThan(0);
		expect(argsText(SLASH_COMMANDS.find(c => c.name === 'join')!)).toBe('ROOM [PARTITIONS]');
	});

	it('keeps the text argument as typed, line breaks included', () => {
		expect(command('/me waves\n  twice')).toEqual({name: 'me', values: ['waves\n  twice']});
		expect(command('/search Kafka  lag')).toEqual({name: 'search', values: ['Kafka  lag']});
		expect(error('/search')).toBe('usage: /search TEXT');
	});
});

describe('completion', () => {
	const nicks = ['alice', 'Alex', 'bob', 'albert'];
	const rooms = ['lobby', 'ops', 'ops-2'];
	const joined = ['lobby', 'random'];
	const context = {
		commands: SLASH_COMMANDS,
		candidates: (source: string) => (source === 'rooms' ? rooms : source === 'joined-rooms' ? joined : nicks),
	};
	/** The completed lines, with the cursor at the end of the input. */
	const completeInput = (input: string, cursor = input.length): string[] => {
		const c = complete(input, cursor, context);
		return c.candidates.map(x => input.slice(0, c.start) + x + input.slice(c.end));
	};

	it('completes command names and aliases', () => {
		expect(completeInput('/j')).toEqual(['/join ']);
		expect(completeInput('/p')).toEqual(['/part ']);
		expect(completeInput('/E')).toEqual(['/exit ']);
		expect(completeInput('/')).toHaveLength(13);
		expect(completeInput('/zz')).toEqual([]);
	});

	it('completes rooms after /join and joined rooms after /leave and /part', () => {
		expect(completeInput('/join op')).toEqual(['/join ops ', '/join ops-2 ']);
		expect(completeInput('/join ')).toEqual(['/join lobby ', '/join ops ', '/join ops-2 ']);
		expect(completeInput('/leave r')).toEqual(['/leave random ']);
		expect(completeInput('/part ')).toEqual(['/part lobby ', '/part random ']);
		// Only the first argument is a room.
		expect(completeInput('/join ops al')).toEqual(['/join ops albert ', '/join ops Alex ', '/join ops alice ']);
	});

	it('completes a nick at the start of the line with ": "', () => {
		expect(completeInput('ali')).toEqual(['alice: ']);
		expect(completeInput('al')).toEqual(['albert: ', 'Alex: ', 'alice: ']);
		expect(completeInput('BO')).toEqual(['bob: ']);
	});

	it('completes a nick mid-line with a space, and the word before the cursor, keeping the rest of the line', () => {
		expect(completeInput('thanks al')).toEqual(['thanks albert ', 'thanks Alex ', 'thanks alice ']);
		expect(completeInput('ping @bo')).toEqual(['ping @bob ']);
		expect(completeInput('/me waves at bo')).toEqual(['/me waves at bob ']);
		expect(completeInput('hi bo, how', 5)).toEqual(['hi bob , how']);
	});

	it('offers nothing for an empty word or no match', () => {
		expect(completeInput('')).toEqual([]);
		expect(completeInput('hello ')).toEqual([]);
		expect(completeInput('zed')).toEqual([]);
	});

	it('lists a nick once even if given twice', () => {
		expect(complete('bo', 2, {commands: [], candidates: () => ['bob', 'bob']}).candidates).toEqual(['bob: ']);
	});
});
