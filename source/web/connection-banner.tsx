import {useStore} from 'zustand';
import type {ChatStore} from '../store/chat-store.js';

export type ConnectionBannerProps = {store: ChatStore};

/** Says plainly, above the messages, when the server or Kafka does not answer; what is typed meanwhile waits. */
export function ConnectionBanner({store}: ConnectionBannerProps) {
	const connection = useStore(store, s => s.connection);
	if (connection.state === 'online') return null;
	const what = connection.state === 'connecting' ? 'Connecting' : connection.state === 'offline' ? 'Kafka is not answering' : 'Reconnecting';
	return (
		<div className={`banner ${connection.state}`} role="status">
			<strong>{what}</strong>
			{connection.reason ? `: ${connection.reason}` : '…'} Messages you send now are kept and sent when it is back.
		</div>
	);
}
