import {validateNick, validateRoomName} from './names.js';
import {sanitizeNick} from './sanitize.js';

// The input box's language: plain text is a message, `/name args` a command, `//text` sends `/text`.
// Commands are described by their parameters; this parser checks a line against those descriptions,
// so the registry of commands (source/ui) holds what each one does and nothing about parsing.

/** Where Tab finds candidates for an argument. */
export type CompletionSource = 'rooms' | 'joined-rooms' | 'nicks';

export type Param =
	| {name: string; kind: 'room' | 'nick' | 'word'; optional?: boolean}
	| {name: string; kind: 'int'; min: number; max: number; optional?: boolean}
	/** The rest of the line, as typed (at least one character). */
	| {name: string; kind: 'text'; optional?: boolean};

export type CommandSpec = {
	name: string;
	aliases: readonly string[];
	args: readonly Param[];
	help: string;
	/** What Tab offers for the first argument. */
	complete?: CompletionSource;
};

/** A checked argument: a room or nick (valid), a word or text (as typed), a number, or absent. */
export type ArgValue = string | number | undefined;

export type ParsedLine<S extends CommandSpec> =
	| {kind: 'empty'}
	| {kind: 'message'; text: string}
	| {kind: 'command'; command: S; values: ArgValue[]}
	| {kind: 'error'; message: string};

/** `ROOM [PARTITIONS]`. */
export function argsText(spec: CommandSpec): string {
	return spec.args.map(p => (p.optional ? `[${p.name}]` : p.name)).join(' ');
}

export function usage(spec: CommandSpec): string {
	const args = argsText(spec);
	return `usage: /${spec.name}${args ? ` ${args}` : ''}`;
}

export function findCommand<S extends CommandSpec>(name: string, commands: readonly S[]): S | undefined {
	const lower = name.toLowerCase();
	return commands.find(c => c.name === lower || c.aliases.includes(lower));
}

/** The command name being typed when the line is `/name` and the cursor is in it, else undefined. */
export function commandName(line: string): string | undefined {
	return /^\/(\S*)/.exec(line)?.[1];
}

function checkArg(param: Param, arg: string, spec: CommandSpec): ArgValue | {error: string} {
	switch (param.kind) {
		case 'room':
			return validateRoomName(arg) === undefined ? arg : {error: validateRoomName(arg)!};
		case 'nick':
			return validateNick(arg) === undefined ? arg : {error: validateNick(arg)!};
		case 'int': {
			const n = /^\d{1,9}$/.test(arg) ? Number(arg) : Number.NaN;
			return n >= param.min && n <= param.max ? n : {error: `${usage(spec)} — ${param.name} is a whole number from ${param.min} to ${param.max}`};
		}
		case 'word':
		case 'text':
			return arg;
	}
}

/** A line of input checked against the commands: a message, a command with checked arguments, or why not. */
export function parseLine<S extends CommandSpec>(input: string, commands: readonly S[]): ParsedLine<S> {
	if (input.trim() === '') return {kind: 'empty'};
	if (!input.startsWith('/')) return {kind: 'message', text: input};
	if (input.startsWith('//')) return {kind: 'message', text: input.slice(1)};

	const match = /^\/(\S*)\s*([\s\S]*)$/.exec(input);
	const name = match?.[1] ?? '';
	const rest = (match?.[2] ?? '').trim();
	if (name === '') return {kind: 'error', message: 'no command after / — type /help for the list, or // to send a line starting with /'};
	const command = findCommand(name, commands);
	// The name is echoed back: pasted input may hold escapes too.
	if (!command) return {kind: 'error', message: `unknown command /${sanitizeNick(name)} — type /help for the list`};

	const words = rest === '' ? [] : rest.split(/\s+/);
	const values: ArgValue[] = [];
	const params = command.args;
	const last = params.at(-1);
	const takesText = last?.kind === 'text';
	const required = params.filter(p => !p.optional).length;
	const fixed = takesText ? params.length - 1 : params.length;
	if (words.length < required || (!takesText && words.length > params.length)) return {kind: 'error', message: usage(command)};
	for (let i = 0; i < fixed; i++) {
		const word = words[i];
		if (word === undefined) {
			values.push(undefined);
			continue;
		}
		const value = checkArg(params[i]!, word, command);
		if (typeof value === 'object') return {kind: 'error', message: value.error};
		values.push(value);
	}
	if (takesText) {
		// The text argument is the rest of the line as typed (inner spacing and line breaks kept).
		let text = rest;
		for (let i = 0; i < fixed; i++) text = text.replace(/^\S+\s*/, '');
		if (text === '' && !last.optional) return {kind: 'error', message: usage(command)};
		values.push(text === '' ? undefined : text);
	}
	return {kind: 'command', command, values};
}
