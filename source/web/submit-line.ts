import {COMMANDS, parseInput, usage} from '../chat/commands.js';
import {sanitizeRoomName} from '../chat/sanitize.js';
import type {ChatStore} from '../store/chat-store.js';
import type {GatewayClient} from './gateway-client.js';

export type SubmitResult = {ok: true} | {ok: false; error: string};

const NOT_IN_A_ROOM = 'not in a room: /join ROOM first';

/** What Enter does: a message, or one of the app's commands (the same parser as the terminal's input). */
export function submitLine(input: string, store: ChatStore, client: GatewayClient): SubmitResult {
	const parsed = parseInput(input);
	const state = store.getState();
	const {actions, current} = state;
	switch (parsed.kind) {
		case 'empty':
			return {ok: true};
		case 'error':
			return {ok: false, error: parsed.message};
		case 'message':
			return current ? client.send(current, parsed.text) : {ok: false, error: NOT_IN_A_ROOM};
	}
	const command = parsed.command;
	switch (command.name) {
		case 'join':
			client.join(command.room, command.partitions);
			actions.selectRoom(command.room);
			return {ok: true};
		case 'leave': {
			const room = command.room ?? current;
			if (!room) return {ok: false, error: NOT_IN_A_ROOM};
			if (!state.rooms[room]) return {ok: false, error: `not in room ${room}`};
			client.leave(room);
			return {ok: true};
		}
		case 'nick':
			client.setNick(command.nick);
			return {ok: true};
		case 'me':
			return current ? client.send(current, command.action, 'action') : {ok: false, error: NOT_IN_A_ROOM};
		case 'who': {
			if (!current) return {ok: false, error: NOT_IN_A_ROOM};
			const members = state.rooms[current]?.members ?? [];
			const list = members.map(m => `${m.nick}${m.status === 'away' ? ' (away)' : ''}${m.instances > 1 ? ` ×${m.instances}` : ''}`);
			actions.notice(members.length === 0 ? `no one is known to be in ${current} yet` : `${members.length} in ${current}: ${list.join(', ')}`);
			return {ok: true};
		}
		case 'rooms': {
			client.refreshRooms();
			const rooms = state.available.map(r => `  ${sanitizeRoomName(r.name)} (${r.partitions} partitions)${state.rooms[r.name] ? ', joined' : ''}`);
			actions.notice(rooms.length === 0 ? 'no rooms on the server yet: /join ROOM creates one' : [`${rooms.length} rooms on the server:`, ...rooms].join('\n'));
			return {ok: true};
		}
		case 'clear':
			actions.clearRoom();
			return {ok: true};
		case 'help':
			actions.notice(['Commands:', ...COMMANDS.filter(c => c.name !== 'history' && c.name !== 'quit').map(c => `  ${usage(c).slice(7)}  ${c.description}`), 'Enter sends, Shift+Enter starts a new line, Tab completes nicks.'].join('\n'));
			return {ok: true};
		case 'history':
			return {ok: false, error: 'the page shows the room from the lines the server keeps; scroll up, or "Show older lines"'};
		case 'quit':
			return {ok: false, error: 'close the tab to leave kchat (your rooms are remembered for your nick)'};
	}
}
