import {Box, Text} from 'ink';
import {COMMANDS} from '../chat/commands.js';
import {truncateToWidth} from '../chat/wrap.js';

/** Every key the app has, in the order the help shows them. */
export const KEYS: ReadonlyArray<{keys: string; description: string}> = [
	{keys: 'F1, ? (empty input)', description: 'this help; Esc or any key closes it'},
	{keys: 'Ctrl+N / Ctrl+P', description: 'next / previous room'},
	{keys: 'Alt+1..9, Esc 1..9', description: 'room N of the list'},
	{keys: 'Alt+A, Esc A', description: 'next room with activity, mentions first'},
	{keys: 'PgUp / PgDn', description: 'scroll the messages'},
	{keys: 'End', description: 'back to the live end'},
	{keys: 'Up / Down', description: 'input history'},
	{keys: 'Tab', description: 'complete nicks and commands (again: next one)'},
	{keys: 'Ctrl+U / Ctrl+W', description: 'clear the input / delete its last word'},
	{keys: 'F2, Alt+M', description: 'show / hide the members'},
	{keys: 'Ctrl+L', description: 'redraw the screen'},
	{keys: 'Ctrl+C', description: 'quit'},
];

const KEY_WIDTH = 20;

/** The help's rows as plain text. */
export function helpLines(): string[] {
	const commands = COMMANDS.map(c => {
		const usage = `/${c.name}${c.args ? ` ${c.args}` : ''}`;
		const aliases = c.aliases.length > 0 ? ` (also ${c.aliases.map(a => `/${a}`).join(', ')})` : '';
		return `  ${usage.padEnd(KEY_WIDTH + 4)} ${c.description}${aliases}`;
	});
	return [
		'Keys',
		...KEYS.map(k => `  ${k.keys.padEnd(KEY_WIDTH + 4)} ${k.description}`),
		'',
		'Commands (//text sends a line starting with /)',
		...commands,
	];
}

export type HelpOverlayProps = {width: number; height: number; offset: number};

/** The keys and commands, in place of the panes; scrolls with PgUp/PgDn when it does not fit. */
export function HelpOverlay({width, height, offset}: HelpOverlayProps) {
	const lines = helpLines();
	const fits = lines.length + 1 <= height;
	const rows = fits ? height - 1 : Math.max(1, height - 1);
	const top = fits ? 0 : Math.max(0, Math.min(offset, lines.length - rows));
	const footer = fits ? 'Esc closes' : `${top + 1}-${Math.min(lines.length, top + rows)} of ${lines.length} · PgUp/PgDn scroll · Esc closes`;
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			{lines.slice(top, top + rows).map((line, i) => (
				<Text key={i} bold={!line.startsWith(' ')} wrap="truncate">
					{truncateToWidth(line, width) || ' '}
				</Text>
			))}
			<Text dimColor wrap="truncate">
				{footer}
			</Text>
		</Box>
	);
}

/** Largest useful offset for a help of `height` rows. */
export function maxHelpOffset(height: number): number {
	return Math.max(0, helpLines().length - Math.max(1, height - 1));
}
