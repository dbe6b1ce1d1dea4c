import type {ChatMessage} from '../../../source/chat/message.js';
import type {ChatStore} from '../../../source/store/chat-store.js';

let seq = 0;

/** Noon, 1 June 2026, local time: far from midnight so lines a few minutes apart share a day. */
export const BASE_TIME = new Date(2026, 5, 1, 12, 0, 0).getTime();

/** A delivered chat line from Kafka. */
export function line(room: string, user: string, text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
	seq++;
	return {
		id: `m-${seq}`,
		room,
		user,
		type: 'message',
		text,
		timestamp: BASE_TIME + seq * 1000,
		partition: 0,
		offset: String(seq),
		state: 'delivered',
		foreign: false,
		...extra,
	};
}

/** Joins rooms in the store as the engine does (joining, then live). */
export function joinRooms(store: ChatStore, ...rooms: string[]): void {
	const {actions} = store.getState();
	for (const room of rooms) {
		actions.roomJoining(room);
		actions.roomLive(room);
	}
}
