import type {LineType, MessageType} from './message.js';

// System lines (join, leave, nick change, quit) read the same on every screen: kchat builds their wording
// from the record's type and nicks. The record's text is written by whoever wrote the record, so a
// `kchat-type: leave` record saying "SYSTEM: re-enter your password" must never show that text.

export type SystemType = Exclude<MessageType, 'message' | 'action'>;

export const SYSTEM_TYPES: readonly SystemType[] = ['join', 'leave', 'nick', 'quit'];

export function isSystemType(type: LineType): type is SystemType {
	return (SYSTEM_TYPES as readonly string[]).includes(type);
}

/** kchat's wording for a system line; `user`, `room` and `newNick` are sanitised names, never free text. */
export function systemText(type: SystemType, user: string, room: string, newNick?: string): string {
	switch (type) {
		case 'join':
			return `${user} joined ${room}`;
		case 'leave':
			return `${user} left ${room}`;
		case 'nick':
			return `${user} is now known as ${newNick ?? '?'}`;
		case 'quit':
			return `${user} quit`;
	}
}
