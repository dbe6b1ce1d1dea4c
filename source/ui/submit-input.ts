import {parseInput, type Command} from '../chat/commands.js';
import {sanitizeRoomName, sanitizeText} from '../chat/sanitize.js';
import type {ChatStore} from '../store/chat-store.js';
import type {ChatController} from './chat-controller.js';

// What Enter does with the input: a message to send or a command to run. Errors the user can fix
// (unknown command, wrong arguments, a message too large) come back at once so the input is kept;
// failures of work that runs on (joining, sending, listing) arrive later as notices.

export type SubmitContext = {
	store: ChatStore;
	controller: ChatController;
	openHelp: () => void;
	quit: () => void;
	/** A line for the user after the input is gone: a notice in the current room, else the error line. */
	report: (text: string) => void;
};

export type SubmitResult = {ok: true} | {ok: false; error: string};

const NOT_IN_A_ROOM = 'not in a room: /join ROOM first';

/** An engine error's message, safe to print on one line. */
export function errorMessage(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return sanitizeText(text).replace(/\n/g, ' ');
}

/** A controller call as a promise, also when it throws before returning one. */
function attempt<T>(call: () => Promise<T>): Promise<T> {
	try {
		return call();
	} catch (error) {
		return Promise.reject(error);
	}
}

export function submitInput(input: string, context: SubmitContext): SubmitResult {
	const parsed = parseInput(input);
	switch (parsed.kind) {
		case 'empty':
			return {ok: true};
		case 'error':
			return {ok: false, error: parsed.message};
		case 'message':
			return sendText(parsed.text, 'message', context);
		case 'command':
			return runCommand(parsed.command, context);
	}
}

function sendText(text: string, type: 'message' | 'action', {store, controller}: SubmitContext): SubmitResult {
	const room = store.getState().current;
	if (!room) return {ok: false, error: NOT_IN_A_ROOM};
	try {
		controller.checkSize(room, text);
	} catch (error) {
		return {ok: false, error: errorMessage(error)};
	}
	// Not awaited: the store shows the line pending at once, then delivered or failed with the reason.
	attempt(() => controller.send(room, text, type)).catch(() => undefined);
	return {ok: true};
}

function runCommand(command: Command, context: SubmitContext): SubmitResult {
	const {store, controller, report} = context;
	const state = store.getState();
	const {actions} = state;
	const current = state.current;
	switch (command.name) {
		case 'join': {
			const {room, partitions} = command;
			const before = store.getState().current;
			const joining = attempt(() => (partitions === undefined ? controller.join(room) : controller.join(room, {partitions})));
			// The engine adds the room at once (status 'joining'): show it while it loads.
			actions.selectRoom(room);
			joining.then(
				() => {
					// Still on the room the user was on when asking: go to the new one.
					if (store.getState().current === before) store.getState().actions.selectRoom(room);
				},
				(error: unknown) => report(`cannot join ${room}: ${errorMessage(error)}`),
			);
			return {ok: true};
		}
		case 'leave': {
			const room = command.room ?? current;
			if (!room) return {ok: false, error: NOT_IN_A_ROOM};
			if (!state.rooms[room]) return {ok: false, error: `not in room ${room}`};
			attempt(() => controller.leave(room)).catch((error: unknown) => report(`cannot leave ${room}: ${errorMessage(error)}`));
			return {ok: true};
		}
		case 'rooms':
			attempt(() => controller.rooms()).then(
				rooms => {
					const joined = store.getState().rooms;
					const lines = [...rooms]
						.sort((a, b) => a.name.localeCompare(b.name))
						.map(r => {
							const name = sanitizeRoomName(r.name);
							const count = `${r.partitions} ${r.partitions === 1 ? 'partition' : 'partitions'}`;
							return `  ${name} (${count})${joined[r.name] ? ', joined' : ''}`;
						});
					report(rooms.length === 0 ? 'no rooms on the broker yet: /join ROOM creates one' : [`${rooms.length} rooms on the broker:`, ...lines].join('\n'));
				},
				(error: unknown) => report(`cannot list rooms: ${errorMessage(error)}`),
			);
			return {ok: true};
		case 'nick':
			try {
				controller.setNick(command.nick);
			} catch (error) {
				return {ok: false, error: errorMessage(error)};
			}
			return {ok: true};
		case 'me':
			return sendText(command.action, 'action', context);
		case 'who': {
			if (!current) return {ok: false, error: NOT_IN_A_ROOM};
			const members = state.rooms[current]?.members ?? [];
			if (members.length === 0) {
				actions.notice(`no one is known to be in ${current} yet`);
				return {ok: true};
			}
			const list = members.map(m => `${m.nick}${m.status === 'away' ? ' (away)' : ''}${m.instances > 1 ? ` ×${m.instances}` : ''}`);
			actions.notice(`${members.length} in ${current}: ${list.join(', ')}`);
			return {ok: true};
		}
		case 'history':
			if (!current) return {ok: false, error: NOT_IN_A_ROOM};
			attempt(() => controller.history(current, command.count)).catch((error: unknown) => report(`cannot load history of ${current}: ${errorMessage(error)}`));
			return {ok: true};
		case 'clear':
			if (!current) return {ok: false, error: NOT_IN_A_ROOM};
			actions.clearRoom();
			return {ok: true};
		case 'help':
			context.openHelp();
			return {ok: true};
		case 'quit':
			context.quit();
			return {ok: true};
	}
}
