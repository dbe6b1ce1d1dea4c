import type {RoomInfo} from '../store/chat-store.js';

/** What loading older lines did. */
export type HistoryResult = {
	/** Lines added to the room. */
	loaded: number;
	/** Nothing older is left: the room now shows its first line. */
	start: boolean;
	/** Broker time of the oldest line the room now holds, when it holds any. */
	oldest?: number;
};

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
	/** Reads up to `lines` lines older than the oldest the room holds from Kafka, into the room. */
	history(room: string, lines: number): Promise<HistoryResult>;
	/** Reads up to `lines` lines newer than the newest a room holds that let its newest lines go to hold older ones (scrolled far back); `live` once it has caught up. */
	newer(room: string, lines: number): Promise<{loaded: number; live: boolean}>;
	/** Back to the live end of such a room. */
	toLive(room: string): Promise<void>;
};
