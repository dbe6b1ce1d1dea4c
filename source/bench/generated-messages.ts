import type {ChatMessage} from '../chat/message.js';
import type {ChatStore} from '../store/chat-store.js';
import type {ChatController} from '../ui/chat-controller.js';
import {chatLine, simulatedNicks} from './chat-corpus.js';
import {Random} from './random.js';

/**
 * `count` chat lines as if read from Kafka (delivered, broker timestamps 0.2 s apart, three
 * partitions), put into `room` through the store's `receive` in batches, as the service does.
 */
export function fillRoom(store: ChatStore, room: string, count: number, seed = 1): void {
	const random = new Random(seed);
	const nicks = simulatedNicks(40, random);
	const {actions} = store.getState();
	if (!store.getState().rooms[room]) actions.roomJoining(room);
	const start = Date.now() - count * 200;
	const batch: ChatMessage[] = [];
	for (let i = 0; i < count; i++) {
		const nick = nicks[i % 17 === 0 ? 0 : random.int(nicks.length)]!;
		const line = chatLine({room, nick, others: nicks.slice(0, 8)}, random);
		const partition = i % 3;
		batch.push({
			id: `${room}-${seed}-${i}`,
			room,
			user: nick,
			type: line.type,
			text: line.text,
			timestamp: start + i * 200,
			partition,
			offset: String(Math.floor(i / 3)),
			sentAt: start + i * 200 - 2,
			state: 'delivered',
			foreign: false,
		});
		if (batch.length === 1000) actions.receive(batch.splice(0));
	}
	if (batch.length > 0) actions.receive(batch.splice(0));
	actions.roomLive(room);
}

/** A controller that talks to no one: the UI benchmarks measure the UI. */
export function idleController(): ChatController {
	return {
		join: async () => {},
		leave: async () => {},
		send: async () => undefined,
		checkSize: () => {},
		setNick: () => {},
		rooms: async () => [],
		history: async () => ({loaded: 0, start: true}),
		newer: async () => ({loaded: 0, live: true}),
		toLive: async () => {},
	};
}

/**
 * Lines arriving in `room` at `rate` a second, one store update each (the service puts records in at
 * once when they come a few milliseconds apart), until the returned function is called.
 */
export function feedRoom(store: ChatStore, room: string, rate: number, seed = 5): () => void {
	const random = new Random(seed);
	const nicks = simulatedNicks(24, random);
	const {actions} = store.getState();
	const started = performance.now();
	let sent = 0;
	const tick = (): void => {
		const due = Math.floor(((performance.now() - started) * rate) / 1000) - sent;
		const batch: ChatMessage[] = [];
		for (let i = 0; i < due; i++, sent++) {
			const nick = nicks[random.int(nicks.length)]!;
			const line = chatLine({room, nick, others: nicks.slice(0, 8)}, random);
			const now = Date.now();
			batch.push({id: `${room}-live-${seed}-${sent}`, room, user: nick, type: line.type, text: line.text, timestamp: now, partition: sent % 3, offset: String(1_000_000 + sent), sentAt: now - 1, state: 'delivered', foreign: false});
		}
		if (batch.length > 0) actions.receive(batch);
	};
	const timer = setInterval(tick, Math.max(1, Math.floor(1000 / rate)));
	return () => clearInterval(timer);
}
