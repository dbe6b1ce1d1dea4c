import {validateNick, validateRoomName} from './names.js';
import {sanitizeNick} from './sanitize.js';

// The input box's language: plain text is a message, `/name args` a command, `//text` sends `/text`.

export type Command =
	| {name: 'join'; room: string; partitions?: number}
	| {name: 'leave'; room?: string}
	| {name: 'rooms'}
	| {name: 'nick'; nick: string}
	| {name: 'me'; action: string}
	| {name: 'who'}
	| {name: 'history'; count: number}
	| {name: 'clear'}
	| {name: 'help'}
	| {name: 'quit'};

export type ParsedInput =
	| {kind: 'empty'}
	| {kind: 'message'; text: string}
	| {kind: 'command'; command: Command}
	| {kind: 'error'; message: string};

export type CommandInfo = {name: Command['name']; aliases: readonly string[]; args: string; description: string};

/** For the help overlay and Tab completion, in help order. */
export const COMMANDS: readonly CommandInfo[] = [
	{name: 'join', aliases: [], args: 'ROOM [PARTITIONS]', description: 'join a room, creating it (with PARTITIONS, default 3) if needed'},
	{name: 'leave', aliases: ['part'], args: '[ROOM]', description: 'leave a room (the current one by default)'},
	{name: 'rooms', aliases: [], args: '', description: 'list the rooms on the broker'},
	{name: 'nick', aliases: [], args: 'NEW', description: 'change your nick'},
	{name: 'me', aliases: [], args: 'ACTION', description: 'send an action, shown as "* you ACTION"'},
	{name: 'who', aliases: [], args: '', description: 'list who is in the current room'},
	{name: 'history', aliases: [], args: 'N', description: 'load the last N messages of the current room'},
	{name: 'clear', aliases: [], args: '', description: 'clear the messages shown in the current room'},
	{name: 'help', aliases: [], args: '', description: 'show the commands and keys'},
	{name: 'quit', aliases: ['exit'], args: '', description: 'leave kchat'},
];

const MAX_PARTITIONS = 1000;
const MAX_HISTORY = 10_000;

export function usage(info: CommandInfo): string {
	return `usage: /${info.name}${info.args ? ` ${info.args}` : ''}`;
}

function findCommand(name: string): CommandInfo | undefined {
	const lower = name.toLowerCase();
	return COMMANDS.find(c => c.name === lower || c.aliases.includes(lower));
}

/** A whole number in min..max, else undefined. */
function integerIn(arg: string, min: number, max: number): number | undefined {
	if (!/^\d{1,9}$/.test(arg)) return undefined;
	const n = Number(arg);
	return n >= min && n <= max ? n : undefined;
}

export function parseInput(input: string): ParsedInput {
	if (input.trim() === '') return {kind: 'empty'};
	if (!input.startsWith('/')) return {kind: 'message', text: input};
	if (input.startsWith('//')) return {kind: 'message', text: input.slice(1)};

	const match = /^\/(\S*)\s*([\s\S]*)$/.exec(input);
	const name = match?.[1] ?? '';
	const rest = (match?.[2] ?? '').trim();
	if (name === '') return {kind: 'error', message: 'no command after / — type /help for the list, or // to send a line starting with /'};
	const info = findCommand(name);
	// The name is echoed back: pasted input may hold escapes too.
	if (!info) return {kind: 'error', message: `unknown command /${sanitizeNick(name)} — type /help for the list`};
	const args = rest === '' ? [] : rest.split(/\s+/);
	const error = (detail?: string): ParsedInput => ({kind: 'error', message: detail ? `${usage(info)} — ${detail}` : usage(info)});
	const command = (c: Command): ParsedInput => ({kind: 'command', command: c});

	switch (info.name) {
		case 'join': {
			const [room, partitions] = args;
			if (room === undefined || args.length > 2) return error();
			const invalid = validateRoomName(room);
			if (invalid) return {kind: 'error', message: invalid};
			if (partitions === undefined) return command({name: 'join', room});
			const n = integerIn(partitions, 1, MAX_PARTITIONS);
			return n === undefined ? error(`PARTITIONS is a whole number from 1 to ${MAX_PARTITIONS}`) : command({name: 'join', room, partitions: n});
		}
		case 'leave': {
			const [room] = args;
			if (args.length > 1) return error();
			if (room === undefined) return command({name: 'leave'});
			const invalid = validateRoomName(room);
			return invalid ? {kind: 'error', message: invalid} : command({name: 'leave', room});
		}
		case 'nick': {
			const [nick] = args;
			if (nick === undefined || args.length > 1) return error();
			const invalid = validateNick(nick);
			return invalid ? {kind: 'error', message: invalid} : command({name: 'nick', nick});
		}
		case 'me':
			return rest === '' ? error() : command({name: 'me', action: rest});
		case 'history': {
			const [count] = args;
			if (count === undefined || args.length > 1) return error();
			const n = integerIn(count, 1, MAX_HISTORY);
			return n === undefined ? error(`N is a whole number from 1 to ${MAX_HISTORY}`) : command({name: 'history', count: n});
		}
		case 'rooms':
		case 'who':
		case 'clear':
		case 'help':
		case 'quit':
			return args.length > 0 ? error() : command({name: info.name});
	}
}

function byLowerCase(a: string, b: string): number {
	const la = a.toLowerCase();
	const lb = b.toLowerCase();
	return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Tab completion candidates, as the whole completed input, sorted: command names for `/pre`, otherwise the
 * nicks matching the last word's prefix (case-insensitively); `nick: ` at the start of a line, `nick ` mid-line.
 * Only completes at the end of the input.
 */
export function completeInput(input: string, nicks: readonly string[], cursorAtEnd = true): string[] {
	if (!cursorAtEnd) return [];
	if (input.startsWith('/') && !/\s/.test(input)) {
		const prefix = input.slice(1).toLowerCase();
		const names = COMMANDS.flatMap(c => [c.name, ...c.aliases]).filter(name => name.startsWith(prefix));
		return names.map(name => `/${name} `).sort(byLowerCase);
	}
	let wordStart = input.length;
	while (wordStart > 0 && !/\s/.test(input[wordStart - 1]!)) wordStart--;
	const head = input.slice(0, wordStart);
	const word = input.slice(wordStart);
	const at = word.startsWith('@') ? '@' : '';
	const prefix = word.slice(at.length).toLowerCase();
	if (prefix === '') return [];
	const suffix = head === '' && at === '' ? ': ' : ' ';
	const matches = new Set(nicks.filter(nick => nick.toLowerCase().startsWith(prefix)));
	return [...matches].map(nick => `${head}${at}${nick}${suffix}`).sort(byLowerCase);
}
