import {describe, expect, it} from 'vitest';
import {COMMAND_SPECS} from '../../source/chat/command-specs.js';
import {SLASH_COMMANDS} from '../../source/ui/slash-commands.js';
import {WEB_COMMANDS} from '../../source/web/web-commands.js';

// The terminal app and the web page parse the same command lines: a name, alias or argument range
// that differed between them would make a line valid in one and refused in the other.

const shape = ({name, aliases, args, complete}: {name: string; aliases: readonly string[]; args: readonly unknown[]; complete?: string}) => ({name, aliases, args, complete});

describe('the slash commands of the app and the page', () => {
	it('the app has every command described once, with its description', () => {
		expect(SLASH_COMMANDS.map(c => c.name).sort()).toEqual(Object.keys(COMMAND_SPECS).sort());
		for (const command of SLASH_COMMANDS) expect(shape(command)).toEqual(shape(COMMAND_SPECS[command.name as keyof typeof COMMAND_SPECS]));
	});

	it('the page has no command of its own, and takes each one as the app does', () => {
		for (const command of WEB_COMMANDS) {
			expect(Object.keys(COMMAND_SPECS)).toContain(command.name);
			expect(shape(command)).toEqual(shape(COMMAND_SPECS[command.name as keyof typeof COMMAND_SPECS]));
		}
		expect(WEB_COMMANDS.map(c => c.name)).toEqual(expect.arrayContaining(['join', 'leave', 'nick', 'me', 'who', 'rooms', 'help']));
	});
});
