import {validateRoomName} from '../chat/names.js';
import type {ChatStore} from '../store/chat-store.js';
import {GatewayClient} from './gateway-client.js';
import {randomId} from './random-id.js';

export type StartOptions = {store: ChatStore; nick: string; room?: string; token?: string};

/** Connects this tab to the server it was loaded from, as `nick`, opening `room` when given and valid. */
export function startClient({store, nick, room, token}: StartOptions): GatewayClient {
	store.getState().actions.setNick(nick);
	try {
		localStorage.setItem('kchat.nick', nick);
	} catch {
		// storage off: the nick is in the address
	}
	let instance = sessionStorage.getItem('kchat.instance');
	if (!instance) {
		instance = randomId();
		sessionStorage.setItem('kchat.instance', instance);
	}
	const problem = room === undefined ? undefined : validateRoomName(room);
	const client = new GatewayClient({
		store,
		url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
		instance,
		storage: sessionStorage,
		...(token ? {token} : {}),
		...(room && !problem ? {rooms: [room]} : {}),
	});
	client.connect();
	if (problem) store.getState().actions.notice(`the link's room: ${problem}`);
	return client;
}
