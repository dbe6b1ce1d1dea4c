import {describe, expect, it} from 'vitest';
import {COMMANDS, completeInput, parseInput} from '../../source/chat/commands.js';
import {unsafeChars} from './unsafe-chars.js';

const command = (input: string) => {
	const parsed = parseInput(input);
	if (parsed.kind !== 'command') throw new Error(`expected a command for ${input}, got ${JSON.stringify(parsed)}`);
	return parsed.command;
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
		expect(command('/join chat-room-1')).toEqual({name: 'join', room: 'chat-room-1'});
		expect(command('/join   general   6 ')).toEqual({name: 'join', room: 'general', partitions: 6});
		expect(command('/JOIN general')).toEqual({name: 'join', room: 'general'});
	});

	it('refuses bad /join arguments with the usage or the room rule', () => {
		expect(error('/join')).toBe('usage: /join ROOM [PARTITIONS]');
		expect(error('/join a b c')).toBe('usage: /join ROOM [PARTITIONS]');
		for (const n of ['0', '1001', '-1', '2.5', 'three']) expect(error(`/join general ${n}`)).toMatch(/^usage: \/join ROOM \[PARTITIONS\] — PARTITIONS is a whole number from 1 to 1000$/);
		expect(error('/join bad#room')).toContain(`room name "bad#room" is not valid: '#' is not allowed`);
		expect(error('/join __consumer_offsets')).toContain('internal');
	});

	it('parses /leave and its alias /part, with an optional room', () => {
		expect(command('/leave')).toEqual({name: 'leave'});
		expect(command('/part general')).toEqual({name: 'leave', room: 'general'});
		expect(command('/Part')).toEqual({name: 'leave'});
		expect(error('/leave a b')).toBe('usage: /leave [ROOM]');
		expect(error('/part a!')).toContain('is not valid');
	});

	it('parses /nick with validation', () => {
		expect(command('/nick alice_2')).toEqual({name: 'nick', nick: 'alice_2'});
		expect(error('/nick')).toBe('usage: /nick NEW');
		expect(error('/nick a b')).toBe('usage: /nick NEW');
		expect(error('/nick al@ice')).toContain(`'@' is not allowed`);
	});

	it('parses /me with the rest of the line as the action', () => {
		expect(command('/me waves  at   everyone ')).toEqual({name: 'me', action: 'waves  at   everyone'});
		expect(error('/me')).toBe('usage: /me ACTION');
		expect(error('/me   ')).toBe('usage: /me ACTION');
	});

	it('parses /history N in 1..10000', () => {
		expect(command('/history 50')).toEqual({name: 'history', count: 50});
		expect(command('/history 10000')).toEqual({name: 'history', count: 10000});
		expect(error('/history')).toBe('usage: /history N');
		expect(error('/history 0')).toContain('N is a whole number from 1 to 10000');
		expect(error('/history 10001')).toContain('N is a whole number from 1 to 10000');
		expect(error('/history 1e3')).toContain('whole number');
	});

	it('parses the commands without arguments, and /exit as /quit', () => {
		for (const name of ['rooms', 'who', 'clear', 'help', 'quit'] as const) expect(command(`/${name}`)).toEqual({name});
		expect(command('/exit')).toEqual({name: 'quit'});
		expect(command('/QUIT')).toEqual({name: 'quit'});
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

describe('COMMANDS', () => {
	it('lists every command once with its arguments and a description', () => {
		expect(COMMANDS.map(c => c.name)).toEqual(['join', 'leave', 'rooms', 'nick', 'me', 'who', 'history', 'clear', 'help', 'quit']);
		for (const c of COMMANDS) expect(c.description.length).toBeGreaterThan(0);
		expect(COMMANDS.find(c => c.name === 'join')?.args).toBe('ROOM [PARTITIONS]');
	});
});

describe('completeInput', () => {
	const nicks = ['alice', 'Alex', 'bob', 'albert'];

	it('completes command names and aliases', () => {
		expect(completeInput('/j', nicks)).toEqual(['/join ']);
		expect(completeInput('/p', nicks)).toEqual(['/part ']);
		expect(completeInput('/E', nicks)).toEqual(['/exit ']);
		expect(completeInput('/', nicks)).toHaveLength(12);
		expect(completeInput('/zz', nicks)).toEqual([]);
	});

	it('completes a nick at the start of the line with ": "', () => {
		expect(completeInput('ali', nicks)).toEqual(['alice: ']);
		expect(completeInput('al', nicks)).toEqual(['albert: ', 'Alex: ', 'alice: ']);
		expect(completeInput('BO', nicks)).toEqual(['bob: ']);
	});

	it('completes a nick mid-line with a space, keeping the rest of the line', () => {
		expect(completeInput('thanks al', nicks)).toEqual(['thanks albert ', 'thanks Alex ', 'thanks alice ']);
		expect(completeInput('ping @bo', nicks)).toEqual(['ping @bob ']);
		expect(completeInput('/me waves at bo', nicks)).toEqual(['/me waves at bob ']);
	});

	it('offers nothing for an empty word, no match, or a cursor not at the end', () => {
		expect(completeInput('', nicks)).toEqual([]);
		expect(completeInput('hello ', nicks)).toEqual([]);
		expect(completeInput('zed', nicks)).toEqual([]);
		expect(completeInput('ali', nicks, false)).toEqual([]);
	});

	it('lists a nick once even if given twice', () => {
		expect(completeInput('bo', ['bob', 'bob'])).toEqual(['bob: ']);
	});
});
