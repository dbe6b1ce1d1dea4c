import {findCommand, type CommandSpec, type CompletionSource} from './command-line.js';

// Tab completion of the word before the cursor: command names after `/`, the first argument of a command
// from the source it names (rooms after /join, joined rooms after /leave), and nicks anywhere else
// (`nick: ` at the start of a line, as people address each other, `nick ` within it).

export type CompletionContext = {
	commands: readonly CommandSpec[];
	/** The names a source offers (read when Tab is pressed). */
	candidates(source: CompletionSource): readonly string[];
};

/** Replacements for text[start, end), sorted; empty when nothing fits. */
export type Completion = {start: number; end: number; candidates: string[]};

function byLowerCase(a: string, b: string): number {
	const la = a.toLowerCase();
	const lb = b.toLowerCase();
	return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

function matching(names: readonly string[], prefix: string): string[] {
	const lower = prefix.toLowerCase();
	return [...new Set(names.filter(n => n.toLowerCase().startsWith(lower)))].sort(byLowerCase);
}

export function complete(text: string, cursor: number, context: CompletionContext): Completion {
	let start = cursor;
	while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
	const word = text.slice(start, cursor);
	const head = text.slice(0, start);
	const none: Completion = {start, end: cursor, candidates: []};

	if (text.startsWith('/') && !text.startsWith('//')) {
		if (start === 0) {
			const names = context.commands.flatMap(c => [c.name, ...c.aliases]);
			return {start, end: cursor, candidates: matching(names, word.slice(1)).map(n => `/${n} `)};
		}
		// The first argument of a command that names a source: `/join ` then Tab lists the rooms.
		const [name = '', ...args] = head.trim().split(/\s+/);
		const command = findCommand(name.slice(1), context.commands);
		if (command?.complete && args.length === 0 && command.complete !== 'nicks') {
			return {start, end: cursor, candidates: matching(context.candidates(command.complete), word).map(n => `${n} `)};
		}
	}

	const at = word.startsWith('@') ? '@' : '';
	const prefix = word.slice(at.length);
	if (prefix === '') return none;
	const suffix = head === '' && at === '' ? ': ' : ' ';
	return {start, end: cursor, candidates: matching(context.candidates('nicks'), prefix).map(n => `${at}${n}${suffix}`)};
}
