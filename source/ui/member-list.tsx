import {memo} from 'react';
import {Box, Text} from 'ink';
import type {Member} from '../chat/presence-table.js';
import {nickColor} from '../chat/nick-color.js';
import {truncateToWidth} from '../chat/wrap.js';

export type MemberListProps = {members: Member[] | undefined; nick: string; width: number; height: number};

const NO_MEMBERS: Member[] = [];
const SUPERSCRIPT = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/** `²` for a nick running in two instances (impersonation stays visible), `(12)` past 9, '' for one. */
export function instancesMark(instances: number): string {
	if (instances <= 1) return '';
	return instances <= 9 ? SUPERSCRIPT[instances]! : `(${instances})`;
}

/** Who is in the current room: `●` online, `○` away. */
export const MemberList = memo(function MemberList({members = NO_MEMBERS, nick, width, height}: MemberListProps) {
	const inner = Math.max(1, width - 1); // the left border
	const listRows = Math.max(0, height - 1);
	const shown = members.length > listRows ? Math.max(0, listRows - 1) : members.length;

	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} overflow="hidden">
			<Text dimColor wrap="truncate">
				{truncateToWidth(`members ${members.length}`, inner)}
			</Text>
			{members.slice(0, shown).map(m => {
				const mark = instancesMark(m.instances);
				const name = truncateToWidth(m.nick, Math.max(1, inner - 2 - mark.length));
				return (
					<Text key={m.nick} wrap="truncate" dimColor={m.status === 'away'}>
						<Text color={m.status === 'online' ? 'green' : undefined}>{m.status === 'online' ? '●' : '○'} </Text>
						<Text color={nickColor(m.nick)} bold={m.nick === nick}>
							{name}
						</Text>
						<Text color="yellow" bold>
							{mark}
						</Text>
					</Text>
				);
			})}
			{shown < members.length ? (
				<Text dimColor wrap="truncate">
					+{members.length - shown} more
				</Text>
			) : null}
		</Box>
	);
});
