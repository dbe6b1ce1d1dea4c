import {usage, type ArgValue, type CommandSpec} from '../chat/command-line.js';
import {COMMAND_SPECS} from '../chat/command-specs.js';
import {sanitizeRoomName} from '../chat/sanitize.js';
import type {ChatStore} from '../store/chat-store.js';
import type {GatewayClient} from './gateway-client.js';

// The page's slash commands: the app's names, arguments and help (source/chat/command-specs.ts, the
// same parser), doing what the page can. /history, /search and /quit belong to the terminal app.

export type WebCommandResult = {ok: true} | {ok: false; error: string};
export type WebCommand = CommandSpec & {run(store: ChatStore, client: GatewayClient, values: ArgValue[]): WebCommandResult};

const OK: WebCommandResult = {ok: true};
export const NOT_IN_A_ROOM = 'not in a room: /join ROOM first';

export const WEB_COMMANDS: readonly WebCommand[] = [
	{
		...COMMAND_SPECS.join,
		run: (store, client, [room, partitions]) => {
			client.join(room as string, partitions as number | undefined);
			store.getState().actions.selectRoom(room as string);
			return OK;
		},
	},
	{
		...COMMAND_SPECS.leave,
		run: (store, client, [named]) => {
			const state = store.getState();
			const room = (named as string | undefined) ?? state.current;
			if (!room) return {ok: false, error: NOT_IN_A_ROOM};
			if (!state.rooms[room]) return {ok: false, error: `not in room ${room}`};
			client.leave(room);
			return OK;
		},
	},
	{
		...COMMAND_SPECS.rooms,
		help: 'list the rooms on the server',
		run: (store, client) => {
			client.refreshRooms();
			const state = store.getState();
			const rooms = state.available.map(r => `  ${sanitizeRoomName(r.name)} (${r.partitions} partitions)${state.rooms[r.name] ? ', joined' : ''}`);
			state.actions.notice(rooms.length === 0 ? 'no rooms on the server yet: /join ROOM creates one' : [`${rooms.length} rooms on the server:`, ...rooms].join('\n'));
			return OK;
		},
	},
	{
		...COMMAND_SPECS.nick,
		run: (_store, client, [nick]) => {
			client.setNick(nick as string);
			return OK;
		},
	},
	{
		...COMMAND_SPECS.me,
		run: (store, client, [action]) => {
			const room = store.getState().current;
			return room ? client.send(room, action as string, 'action') : {ok: false, error: NOT_IN_A_ROOM};
		},
	},
	{
		...COMMAND_SPECS.who,
		run: store => {
			const {current, rooms, actions} = store.getState();
			if (!current) return {ok: false, error: NOT_IN_A_ROOM};
			const members = rooms[current]?.members ?? [];
			const list = members.map(m => `${m.nick}${m.status === 'away' ? ' (away)' : ''}${m.instances > 1 ? ` ×${m.instances}` : ''}`);
			actions.notice(members.length === 0 ? `no one is known to be in ${current} yet` : `${members.length} in ${current}: ${list.join(', ')}`);
			return OK;
		},
	},
	{
		...COMMAND_SPECS.clear,
		run: store => {
			store.getState().actions.clearRoom();
			return OK;
		},
	},
	{
		...COMMAND_SPECS.help,
		help: 'show the commands',
		run: store => {
			const lines = WEB_COMMANDS.map(c => `  ${usage(c).slice('usage: '.length)}  ${c.help}`);
			store.getState().actions.notice(['Commands:', ...lines, 'Enter sends, Shift+Enter starts a new line, Tab completes nicks and rooms.'].join('\n'));
			return OK;
		},
	},
];
