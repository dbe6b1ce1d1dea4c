import {parseLine} from '../chat/command-line.js';
import type {ChatStore} from '../store/chat-store.js';
import type {GatewayClient} from './gateway-client.js';
import {NOT_IN_A_ROOM, WEB_COMMANDS, type WebCommandResult} from './web-commands.js';

/** What Enter does: a message, or one of the page's commands (the app's parser and command names). */
export function submitLine(input: string, store: ChatStore, client: GatewayClient): WebCommandResult {
	const parsed = parseLine(input, WEB_COMMANDS);
	switch (parsed.kind) {
		case 'empty':
			return {ok: true};
		case 'error':
			return {ok: false, error: parsed.message};
		case 'message': {
			const room = store.getState().current;
			return room ? client.send(room, parsed.text) : {ok: false, error: NOT_IN_A_ROOM};
		}
		case 'command':
			return parsed.command.run(store, client, parsed.values);
	}
}
