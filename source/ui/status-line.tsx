import {memo} from 'react';
import {Text} from 'ink';
import {sanitizeText} from '../chat/sanitize.js';
import type {ChatStore, ConnectionState} from '../store/chat-store.js';

export type StatusLineProps = {store: ChatStore; /** Changes when a frame is due (see useFrame). */ frame: number};

const STATE_COLOR: Record<ConnectionState, string> = {online: 'green', connecting: 'yellow', reconnecting: 'yellow', offline: 'red'};

function oneLine(s: string): string {
	return sanitizeText(s).replace(/\n/g, ' ');
}

/** `nick @ brokers · online`, the reason when not online, `↑ 12 lines` when not at the live end. */
export const StatusLine = memo(function StatusLine({store}: StatusLineProps) {
	const s = store.getState();
	const {nick, brokers, connection} = s;
	const room = s.current ? s.rooms[s.current] : undefined;
	const scroll = room?.scroll ?? 0;
	const detached = room?.detached === true;
	const reason = connection.state !== 'online' && connection.reason ? ` (${oneLine(connection.reason)})` : '';
	return (
		<Text wrap="truncate">
			<Text bold>{nick}</Text>
			<Text dimColor> @ {oneLine(brokers.join(','))} · </Text>
			<Text color={STATE_COLOR[connection.state]}>
				{connection.state}
				{reason}
			</Text>
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
