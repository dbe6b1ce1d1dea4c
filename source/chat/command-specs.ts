import type {CommandSpec} from './command-line.js';

// What every slash command is called and takes, once for both front ends: the terminal app
// (source/ui/slash-commands.ts) and the web page (source/web/web-commands.ts) each add what it does
// there, so a name, an alias, an argument's range or its help cannot drift apart between them.

const MAX_PARTITIONS = 1000;
const MAX_HISTORY = 10_000;

export const COMMAND_SPECS = {
	join: {
		name: 'join',
		aliases: [],
		args: [
			{name: 'ROOM', kind: 'room'},
			{name: 'PARTITIONS', kind: 'int', min: 1, max: MAX_PARTITIONS, optional: true},
		],
		help: 'join a room, creating it (with PARTITIONS, default 3) if needed',
		complete: 'rooms',
	},
	leave: {
		name: 'leave',
		aliases: ['part'],
		args: [{name: 'ROOM', kind: 'room', optional: true}],
		help: 'leave a room (the current one by default)',
		complete: 'joined-rooms',
	},
	rooms: {name: 'rooms', aliases: [], args: [], help: 'list the rooms on the broker'},
	nick: {name: 'nick', aliases: [], args: [{name: 'NEW', kind: 'nick'}], help: 'change your nick'},
	me: {name: 'me', aliases: [], args: [{name: 'ACTION', kind: 'text'}], help: 'send an action, shown as "* you ACTION"', complete: 'nicks'},
	who: {name: 'who', aliases: [], args: [], help: 'list who is in the current room'},
	history: {
		name: 'history',
		aliases: [],
		args: [{name: 'N', kind: 'int', min: 1, max: MAX_HISTORY}],
		help: 'load N older messages of the current room from Kafka, and say what came',
	},
	search: {
		name: 'search',
		aliases: [],
		args: [{name: 'TEXT', kind: 'text'}],
		help: 'find TEXT in the current room, newest first, back to its start (as Ctrl+R)',
		complete: 'nicks',
	},
	clear: {name: 'clear', aliases: [], args: [], help: 'clear the messages shown in the current room'},
	help: {name: 'help', aliases: [], args: [], help: 'show the keys and commands'},
	quit: {name: 'quit', aliases: ['exit'], args: [], help: 'leave kchat'},
} as const satisfies Record<string, CommandSpec>;
