// The system lines kchat writes when a room's topic is deleted and created again, in the room (app)
// and on standard error (`kchat tail`). Fixed wording; the reason is Kafka's error name, sanitised by
// the caller like any text from the broker.

/**
 * How kchat noticed that the room's topic is there again: missing, then there (under another topic id,
 * or with no ids to tell); under a new topic id while it was not looked at; offsets below where kchat
 * had read; or missing, then there under the same id (a broker that had not caught up: not a new topic).
 */
export type ReturnedBy = 'reappeared' | 'topic-id' | 'offsets' | 'same-topic';

/** Whether the room's topic is another topic now (its offsets start again at 0), not the same one back. */
export function isNewTopic(by: ReturnedBy): boolean {
	return by !== 'same-topic';
}

export function roomDeletedText(room: string, reason: string): string {
	return `room ${room} was deleted (${reason}); waiting for it to be created again`;
}

export function roomReturnedText(room: string, by: ReturnedBy): string {
	if (by === 'same-topic') return `room ${room} is there again (the same topic): reading on where it stopped`;
	const how = by === 'topic-id' ? ' (deleted and created again: a new topic id)' : by === 'offsets' ? ' (its offsets start below where kchat had read)' : '';
	return `room ${room} was created again${how}: reading it from the beginning`;
}
