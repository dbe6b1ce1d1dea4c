import {useEffect, useSyncExternalStore} from 'react';
import {useStore} from 'zustand';
import type {ChatStore} from '../store/chat-store.js';
import type {GatewayClient} from './gateway-client.js';
import {ConnectionBanner} from './connection-banner.js';
import {InputBox} from './input-box.js';
import {MemberList} from './member-list.js';
import {MessagePane} from './message-pane.js';
import {RoomHeader} from './room-header.js';
import {RoomList} from './room-list.js';
import {StatusBar} from './status-bar.js';
import {TokenNotice} from './token-notice.js';

export type AppProps = {store: ChatStore; client: GatewayClient};

/** The terminal app's parts, as a page: rooms | messages and input | members. */
export function App({store, client}: AppProps) {
	const status = useSyncExternalStore(client.subscribe, () => client.status);
	useDocumentTitle(store);
	useAddress(store);
	return (
		<div className="app">
			<aside className="sidebar">
				<div className="brand">kchat</div>
				<RoomList store={store} client={client} />
				<StatusBar store={store} client={client} />
			</aside>
			<main className="chat">
				<RoomHeader store={store} client={client} />
				<ConnectionBanner store={store} />
				<MessagePane store={store} />
				<InputBox store={store} client={client} />
			</main>
			<MemberList store={store} />
			{status.needsToken ? <TokenNotice /> : null}
		</div>
	);
}

/** `(3) #lobby · kchat`: unread lines in every room, in the tab's title. */
function useDocumentTitle(store: ChatStore): void {
	const current = useStore(store, s => s.current);
	const unread = useStore(store, s => Object.values(s.rooms).reduce((n, r) => n + r.unread, 0));
	useEffect(() => {
		document.title = `${unread > 0 ? `(${unread}) ` : ''}${current ? `#${current} · ` : ''}kchat`;
	}, [current, unread]);
}

/** The address follows the room and nick, so it can be copied as a deep link. */
function useAddress(store: ChatStore): void {
	const current = useStore(store, s => s.current);
	const nick = useStore(store, s => s.nick);
	useEffect(() => {
		const params = new URLSearchParams(location.search);
		if (current) params.set('room', current);
		if (nick) params.set('nick', nick);
		const next = `${location.pathname}?${params.toString()}`;
		if (next !== location.pathname + location.search) history.replaceState(null, '', next);
	}, [current, nick]);
}
