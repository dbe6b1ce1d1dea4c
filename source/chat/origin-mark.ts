import type {ChatMessage} from './message.js';

// How a line that kchat cannot vouch for is marked, the same in the app, `kchat tail` and the web page:
// a record not shaped as kchat writes it (kcat, a script, or someone posing as another nick), or one
// that reuses the id of an earlier message (same-id.ts).

/** Before the nick: the nick is only what the record says. */
export const UNVERIFIED_MARK = '?';
/** Before the text of a record that reused an earlier message's id. */
export const DUPLICATE_ID_BADGE = '[duplicate id]';

export function isUnverified(m: Pick<ChatMessage, 'foreign' | 'duplicateOf'>): boolean {
	return m.foreign || m.duplicateOf !== undefined;
}

/** `?` or nothing. */
export function originMark(m: Pick<ChatMessage, 'foreign' | 'duplicateOf'>): string {
	return isUnverified(m) ? UNVERIFIED_MARK : '';
}
