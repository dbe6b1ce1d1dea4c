import {memo} from 'react';
import {Text} from 'ink';
import {useStore} from 'zustand';
import {sanitizeText} from '../chat/sanitize.js';
import type {ChatStore, ConnectionState} from '../store/chat-store.js';

export type StatusLineProps = {store: ChatStore};

const STATE_COLOR: Record<ConnectionState, string> = {online: 'green', connecting: 'yellow', reconnecting: 'yellow', offline: 'red'};

function oneLine(s: string): string {
	return sanitizeText(s).replace(/\n/g, ' ');
}

/** `nick @ brokers · online`, the reason when not online, `↑ 12 lines` when not at the live end. */
export const StatusLine = memo(function StatusLine({store}: StatusLineProps) {
	const nick = useStore(store, s => s.nick);
	const brokers = useStore(store, s => s.brokers);
	const connection = useStore(store, s => s.connection);
	const scroll = useStore(store, s => (s.current ? (s.rooms[s.current]?.scroll ?? 0) : 0));
	const detached = useStore(store, s => (s.current ? s.rooms[s.current]?.detached === true : false));
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
