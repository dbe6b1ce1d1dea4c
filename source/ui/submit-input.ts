import {parseLine} from '../chat/command-line.js';
import {sendText, SLASH_COMMANDS, type CommandContext, type CommandResult} from './slash-commands.js';

/** What Enter does with the input: a message to send, or a command of the registry to run. */
export function submitLine(line: string, context: CommandContext): CommandResult {
	const parsed = parseLine(line, SLASH_COMMANDS);
	switch (parsed.kind) {
		case 'empty':
			return {ok: true};
		case 'error':
			return {ok: false, error: parsed.message};
		case 'message':
			return sendText(parsed.text, 'message', context);
		case 'command':
			return parsed.command.run(context, parsed.values);
	}
}
