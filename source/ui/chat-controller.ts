import type {RoomInfo} from '../store/chat-store.js';

/**
 * What the UI may ask of the chat engine. ChatService (source/kafka) implements it; UI tests pass a
 * small recording object, so the UI never imports kafkajs.
 */
export type ChatController = {
	join(room: string, options?: {partitions?: number}): Promise<void>;
	leave(room: string): Promise<void>;
	/** Resolves when delivered; the store shows it pending at once, then delivered or failed. */
	send(room: string, text: string, type?: 'message' | 'action'): Promise<unknown>;
	/** Throws an Error whose message says why, when the text cannot be sent (too large). */
	checkSize(room: string, text: string): void;
	/** Throws an Error with the rule when the nick is not valid. */
	setNick(nick: string): void;
	rooms(): Promise<RoomInfo[]>;
	/** Loads up to N more lines of history per partition into the room. */
	history(room: string, lines: number): Promise<void>;
};
