import {memo} from 'react';
import {Text} from 'ink';
import {sanitizeText} from '../chat/sanitize.js';
import type {ChatState, ConnectionState} from '../store/chat-store.js';

export type StatusLineProps = Pick<ChatState, 'nick' | 'brokers' | 'connection' | 'storageProblem'> & {scroll: number; detached: boolean};

const STATE_COLOR: Record<ConnectionState, string> = {online: 'green', connecting: 'yellow', reconnecting: 'yellow', offline: 'red'};

function oneLine(s: string): string {
	return sanitizeText(s).replace(/\n/g, ' ');
}

/**
 * `nick @ brokers · online`, the reason when not online, what is wrong with the outbox on disk (messages
 * would be lost at a crash), `↑ 12 lines` when not at the live end.
 */
export const StatusLine = memo(function StatusLine({nick, brokers, connection, storageProblem, scroll, detached}: StatusLineProps) {
	const reason = connection.state !== 'online' && connection.reason ? ` (${oneLine(connection.reason)})` : '';
	return (
		<Text wrap="truncate">
			<Text bold>{nick}</Text>
			<Text dimColor> @ {oneLine(brokers.join(','))} · </Text>
			<Text color={STATE_COLOR[connection.state]}>
				{connection.state}
				{reason}
			</Text>
			{storageProblem ? <Text color="red"> · {oneLine(storageProblem)}</Text> : null}
			{scroll > 0 || detached ? (
				<Text color="yellow">
					{' · ↑ '}
					{scroll} {scroll === 1 ? 'line' : 'lines'}
					{detached ? ' in older history, the newest not loaded' : ''} (End: live)
				</Text>
			) : null}
			<Text dimColor> · F1 help</Text>
		</Text>
	);
});
