import {Box, Text} from 'ink';
import {keyLabel} from '../chat/key-decoder.js';
import {argsText} from '../chat/command-line.js';
import {truncateToWidth} from '../chat/wrap.js';
import {GROUP_TITLES, KEY_TABLE, type KeyBinding, type KeyGroup} from './key-table.js';
import {SLASH_COMMANDS} from './slash-commands.js';
import {DUPLICATE_ID_BADGE} from '../chat/origin-mark.js';

const KEY_WIDTH = 26;

/** What the marks on lines and rooms mean (see the README's "Who sent a message"). */
const MARKS: ReadonlyArray<readonly [string, string]> = [
	['?<nick>', 'not written by kchat as that nick: any Kafka client can write any name'],
	[DUPLICATE_ID_BADGE, 'reuses the id of an earlier message: shown apart, never in its place'],
	['3  @  ✗ (room list)', 'unread lines; a mention of you; the room failed or is gone'],
];

/** How the help names a binding's keys. */
export function bindingKeys(binding: KeyBinding): string {
	return binding.label ?? binding.keys.map(keyLabel).join(', ');
}

/** The help's rows as plain text: the key table by group, then the command registry. */
export function helpLines(): string[] {
	const lines: string[] = [];
	for (const group of Object.keys(GROUP_TITLES) as KeyGroup[]) {
		lines.push(GROUP_TITLES[group]);
		for (const binding of KEY_TABLE.filter(b => b.group === group)) lines.push(`  ${bindingKeys(binding).padEnd(KEY_WIDTH)} ${binding.help}`);
		lines.push('');
	}
	lines.push('Commands (//text sends a line starting with /)');
	for (const c of SLASH_COMMANDS) {
		const usage = `/${c.name}${c.args.length > 0 ? ` ${argsText(c)}` : ''}`;
		const aliases = c.aliases.length > 0 ? ` (also ${c.aliases.map(a => `/${a}`).join(', ')})` : '';
		lines.push(`  ${usage.padEnd(KEY_WIDTH)} ${c.help}${aliases}`);
	}
	lines.push('', 'Marks');
	for (const [mark, meaning] of MARKS) lines.push(`  ${mark.padEnd(KEY_WIDTH)} ${meaning}`);
	return lines;
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
