import {useState} from 'react';
import type {ChatStore} from '../store/chat-store.js';
import {App} from './app.js';
import type {GatewayClient} from './gateway-client.js';
import {NickPrompt} from './nick-prompt.js';

export type RootProps = {store: ChatStore; initialNick: string; start: (nick: string) => GatewayClient};

/** Asks for a nick when the address and this browser have none, then runs the chat. */
export function Root({store, initialNick, start}: RootProps) {
	const [client, setClient] = useState<GatewayClient | undefined>(() => (initialNick ? start(initialNick) : undefined));
	if (!client) return <NickPrompt onNick={nick => setClient(start(nick))} />;
	return <App store={store} client={client} />;
}
