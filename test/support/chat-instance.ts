import {randomUUID} from 'node:crypto';
import type {ChatMessage} from '../../source/chat/message.js';
import {ChatService, type ChatServiceOptions} from '../../source/kafka/chat-service.js';
import {nullLogger, openLogFile} from '../../source/kafka/log-file.js';
import {createChatStore, type ChatState, type ChatStore} from '../../source/store/chat-store.js';
import {testBrokers} from './test-brokers.js';

export type Instance = {service: ChatService; store: ChatStore; received: ChatMessage[]};

const running = new Set<ChatService>();

/** A chat service on the test broker with its own store; every batch it decodes is kept in `received`. */
export function instance(nick: string, extra: Partial<ChatServiceOptions> = {}): Instance {
	const brokers = extra.brokers ?? testBrokers();
	const store = createChatStore({nick, brokers});
	const received: ChatMessage[] = [];
	const service = new ChatService({
		brokers,
		nick,
		store,
		logger: process.env['KCHAT_TEST_LOG'] ? openLogFile(process.env['KCHAT_TEST_LOG'], true) : nullLogger,
		...extra,
		onMessages: m => {
			received.push(...m);
			extra.onMessages?.(m);
		},
	});
	running.add(service);
	return {service, store, received};
}

export async function stopAll(): Promise<void> {
	await Promise.all([...running].map(s => s.stop()));
	running.clear();
}

/** A room name no other test uses. */
export function uniqueRoom(prefix = 'room'): string {
	return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Resolves when the store's state satisfies `test` (checked now and on every change): an event, not a sleep. */
export function waitForStore(store: ChatStore, test: (s: ChatState) => boolean, timeoutMs = 20_000, what = 'store condition'): Promise<void> {
	return new Promise((resolve, reject) => {
		if (test(store.getState())) return resolve();
		const timer = setTimeout(() => {
			unsubscribe();
			reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
		}, timeoutMs);
		const unsubscribe = store.subscribe(state => {
			if (!test(state)) return;
			clearTimeout(timer);
			unsubscribe();
			resolve();
		});
	});
}

/** The lines of a room from Kafka (not notices, not our pending ones), in display order. */
export function roomLines(store: ChatStore, room: string, type: ChatMessage['type'] = 'message'): ChatMessage[] {
	const log = store.getState().rooms[room]?.log;
	return log ? log.slice().filter(m => m.type === type && m.state === 'delivered') : [];
}
