import type {ChatMessage} from '../chat/message.js';
import {sanitizeText, truncateText} from '../chat/sanitize.js';
import type {SendType} from '../chat/web-protocol.js';

/** A line this tab sent and has not seen settled (delivered or failed). */
export type Outgoing = {id: string; room: string; text: string; type: SendType; sentAt: number};

const KEY = 'kchat.outbox';

/**
 * The tab's own messages until each is delivered or failed, kept in sessionStorage so they survive a
 * reload; sent again after every reconnect (the gateway answers a known id, never sends it twice).
 */
export class PageOutbox {
	private readonly entries = new Map<string, Outgoing>();

	constructor(private readonly storage?: Storage) {
		try {
			const saved: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
			if (Array.isArray(saved)) {
				for (const e of saved as Outgoing[]) if (typeof e?.id === 'string' && typeof e.room === 'string' && typeof e.text === 'string') this.entries.set(e.id, e);
			}
		} catch {
			// unreadable: start empty
		}
	}

	add(entry: Outgoing): void {
		this.entries.set(entry.id, entry);
		this.save();
	}

	/** Settled: forgotten. */
	settle(id: string): void {
		if (this.entries.delete(id)) this.save();
	}

	inRoom(room: string): Outgoing[] {
		return [...this.entries.values()].filter(e => e.room === room);
	}

	dropRoom(room: string): void {
		for (const e of this.inRoom(room)) this.entries.delete(e.id);
		this.save();
	}

	private save(): void {
		try {
			this.storage?.setItem(KEY, JSON.stringify([...this.entries.values()]));
		} catch {
			// full or disabled: the outbox stays in memory
		}
	}
}

/** One of our own lines before the gateway has it, shown as it will be once delivered (cut as received lines are). */
export function pendingLine(e: Outgoing, nick: string): ChatMessage {
	return {id: e.id, room: e.room, user: nick, type: e.type, text: truncateText(sanitizeText(e.text)), timestamp: e.sentAt, partition: -1, offset: '-1', sentAt: e.sentAt, state: 'pending', foreign: false};
}
