import type {ArgValue, CommandSpec} from '../chat/command-line.js';
import {COMMAND_SPECS} from '../chat/command-specs.js';
import {formatClock, formatDay} from '../chat/format-time.js';
import {sanitizeRoomName, sanitizeText} from '../chat/sanitize.js';
import type {ChatStore} from '../store/chat-store.js';
import type {ChatController, HistoryResult} from './chat-controller.js';

// Every slash command of the terminal app, once: what it does, on its name, aliases, arguments and
// help from source/chat/command-specs.ts (which the web page shares). The parser, Tab completion and
// /help read this list. Errors the user can fix (wrong arguments, a message too large)
// come back at once so the input is kept; failures of work that runs on (joining, listing) arrive later
// as notices.

export type CommandContext = {
	store: ChatStore;
	controller: ChatController;
	/** A line for the user after the input is gone: a notice in the current room, else the note line. */
	report(text: string): void;
	openHelp(): void;
	/** Starts a search of the current room for `query`. */
	search(query: string): void;
	quit(): void;
};

export type CommandResult = {ok: true} | {ok: false; error: string};

export type SlashCommand = CommandSpec & {
	/** Runs with the arguments checked against `args` (a room name is valid, a number in range). */
	run(context: CommandContext, values: ArgValue[]): CommandResult;
};

const OK: CommandResult = {ok: true};
export const NOT_IN_A_ROOM = 'not in a room: /join ROOM first';

/** An engine error's message, safe to print on one line. */
export function errorMessage(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return sanitizeText(text).replace(/\n/g, ' ');
}

/** A controller call as a promise, also when it throws before returning one. */
export function attempt<T>(call: () => Promise<T>): Promise<T> {
	try {
		return call();
	} catch (error) {
		return Promise.reject(error);
	}
}

/** Sends text (a message or an action) to the current room after the size check. */
export function sendText(text: string, type: 'message' | 'action', {store, controller}: CommandContext): CommandResult {
	const room = store.getState().current;
	if (!room) return {ok: false, error: NOT_IN_A_ROOM};
	try {
		controller.checkSize(room, text);
	} catch (error) {
		return {ok: false, error: errorMessage(error)};
	}
	// Not awaited: the store shows the line pending at once, then delivered or failed with the reason.
	attempt(() => controller.send(room, text, type)).catch(() => undefined);
	return OK;
}

/** What `/history N` says it did. */
export function describeHistory(room: string, asked: number, result: HistoryResult): string {
	const when = result.oldest === undefined ? '' : `, back to ${formatDay(result.oldest)} ${formatClock(result.oldest)}`;
	if (result.loaded === 0) return result.start ? `no older messages: ${room} starts here` : `no older messages loaded in ${room}`;
	const lines = `${result.loaded} older ${result.loaded === 1 ? 'line' : 'lines'}`;
	const end = result.start ? `; that is the start of ${room}` : result.loaded < asked ? '' : '; /history again for more';
	return `loaded ${lines} of ${room}${when}${end}`;
}

function withRoom(context: CommandContext, run: (room: string) => CommandResult): CommandResult {
	const room = context.store.getState().current;
	return room ? run(room) : {ok: false, error: NOT_IN_A_ROOM};
}

export const SLASH_COMMANDS: readonly SlashCommand[] = [
	{
		...COMMAND_SPECS.join,
		run: ({store, controller, report}, [room, partitions]) => {
			const name = room as string;
			const before = store.getState().current;
			const joining = attempt(() => (partitions === undefined ? controller.join(name) : controller.join(name, {partitions: partitions as number})));
			// The engine adds the room at once (status 'joining'): show it while it loads.
			store.getState().actions.selectRoom(name);
			joining.then(
				() => {
					// Still on the room the user was on when asking: go to the new one.
					if (store.getState().current === before) store.getState().actions.selectRoom(name);
				},
				(error: unknown) => report(`cannot join ${name}: ${errorMessage(error)}`),
			);
			return OK;
		},
	},
	{
		...COMMAND_SPECS.leave,
		run: ({store, controller, report}, [named]) => {
			const state = store.getState();
			const room = (named as string | undefined) ?? state.current;
			if (!room) return {ok: false, error: NOT_IN_A_ROOM};
			if (!state.rooms[room]) return {ok: false, error: `not in room ${room}`};
			attempt(() => controller.leave(room)).catch((error: unknown) => report(`cannot leave ${room}: ${errorMessage(error)}`));
			return OK;
		},
	},
	{
		...COMMAND_SPECS.rooms,
		run: ({store, controller, report}) => {
			attempt(() => controller.rooms()).then(
				rooms => {
					const joined = store.getState().rooms;
					const lines = [...rooms]
						.sort((a, b) => a.name.localeCompare(b.name))
						.map(r => {
							const count = `${r.partitions} ${r.partitions === 1 ? 'partition' : 'partitions'}`;
							return `  ${sanitizeRoomName(r.name)} (${count})${joined[r.name] ? ', joined' : ''}`;
						});
					report(rooms.length === 0 ? 'no rooms on the broker yet: /join ROOM creates one' : [`${rooms.length} rooms on the broker:`, ...lines].join('\n'));
				},
				(error: unknown) => report(`cannot list rooms: ${errorMessage(error)}`),
			);
			return OK;
		},
	},
	{
		...COMMAND_SPECS.nick,
		run: ({controller}, [nick]) => {
			try {
				controller.setNick(nick as string);
			} catch (error) {
				return {ok: false, error: errorMessage(error)};
			}
			return OK;
		},
	},
	{
		...COMMAND_SPECS.me,
		run: (context, [action]) => sendText(action as string, 'action', context),
	},
	{
		...COMMAND_SPECS.who,
		run: context =>
			withRoom(context, room => {
				const {actions, rooms} = context.store.getState();
				const members = rooms[room]?.members ?? [];
				if (members.length === 0) {
					actions.notice(`no one is known to be in ${room} yet`);
					return OK;
				}
				const list = members.map(m => `${m.nick}${m.status === 'away' ? ' (away)' : ''}${m.instances > 1 ? ` ×${m.instances}` : ''}`);
				actions.notice(`${members.length} in ${room}: ${list.join(', ')}`);
				return OK;
			}),
	},
	{
		...COMMAND_SPECS.history,
		run: (context, [count]) =>
			withRoom(context, room => {
				const n = count as number;
				attempt(() => context.controller.history(room, n)).then(
					result => context.report(describeHistory(room, n, result)),
					(error: unknown) => context.report(`cannot load history of ${room}: ${errorMessage(error)}`),
				);
				return OK;
			}),
	},
	{
		...COMMAND_SPECS.search,
		run: (context, [text]) =>
			withRoom(context, () => {
				context.search(text as string);
				return OK;
			}),
	},
	{
		...COMMAND_SPECS.clear,
		run: context =>
			withRoom(context, () => {
				context.store.getState().actions.clearRoom();
				return OK;
			}),
	},
	{
		...COMMAND_SPECS.help,
		run: context => {
			context.openHelp();
			return OK;
		},
	},
	{
		...COMMAND_SPECS.quit,
		run: context => {
			context.quit();
			return OK;
		},
	},
];
