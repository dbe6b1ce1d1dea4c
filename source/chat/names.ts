import {sanitizeText} from './sanitize.js';
import {truncateToWidth} from './wrap.js';

// Names are checked before any request is sent, so a bad name gets a clear message instead of a broker error.

export const ROOM_NAME_RULE = 'use 1-249 of a-z A-Z 0-9 . _ -';
export const NICK_RULE = 'use 1-32 of a-z A-Z 0-9 _ . -';

const MAX_ROOM_LENGTH = 249; // Kafka's limit for topic names
const MAX_NICK_LENGTH = 32;
const LEGAL_CHAR = /^[A-Za-z0-9._-]$/;

/** Internal topics are never rooms: Kafka's own (`__consumer_offsets`) and kchat's (`kchat.presence`). */
export function isInternalTopic(name: string): boolean {
	return name.startsWith('__') || name.startsWith('kchat.');
}

/** Zero-width and other invisible format characters: shown as code points where the name is quoted. */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** `<U+200B>` for a character that would not show. */
function codePoint(ch: string): string {
	return `<U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** The name as typed, quoted, safe to print and short enough for one line; invisible characters show where they are. */
function quote(name: string): string {
	return `"${truncateToWidth(sanitizeText(name).replace(/\n/g, '␊').replace(INVISIBLE, codePoint), 40)}"`;
}

/** `'é'` for a visible character, `U+0009` for one that would not show. */
function describeChar(ch: string): string {
	if (ch === ' ' || /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch)) return `'${ch}'`;
	return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function validate(what: string, name: string, max: number, rule: string): string | undefined {
	if (name.length === 0) return `${what} is empty; ${rule}`;
	for (const ch of name) {
		if (!LEGAL_CHAR.test(ch)) return `${what} ${quote(name)} is not valid: ${describeChar(ch)} is not allowed; ${rule}`;
	}
	if (name.length > max) return `${what} ${quote(name)} is too long (${name.length} characters); ${rule}`;
	return undefined;
}

/** An error message for a name that cannot be a room (a Kafka topic kchat may use), or undefined when valid. */
export function validateRoomName(name: string): string | undefined {
	const error = validate('room name', name, MAX_ROOM_LENGTH, ROOM_NAME_RULE);
	if (error) return error;
	if (name === '.' || name === '..') return `room name ${quote(name)} is not valid: "." and ".." are not allowed by Kafka`;
	if (name.startsWith('__')) return `room name ${quote(name)} is not valid: names starting with "__" are Kafka's internal topics`;
	if (name.startsWith('kchat.')) return `room name ${quote(name)} is not valid: names starting with "kchat." are kchat's own topics`;
	return undefined;
}

/** An error message for an unusable nick, or undefined when valid. */
export function validateNick(nick: string): string | undefined {
	return validate('nick', nick, MAX_NICK_LENGTH, NICK_RULE);
}

/** A SASL login, and the nicks the config file lets it use besides its user name. */
export type Login = {user: string; nicks?: readonly string[]};

/**
 * With a login the nick is the login's user name, or one the config file maps to it: then kchat users
 * cannot pose as each other by typing another nick. Undefined when `nick` is allowed, else why not.
 */
export function loginNickProblem(nick: string, login: Login): string | undefined {
	if (nick === login.user || login.nicks?.includes(nick)) return undefined;
	const allowed = [login.user, ...(login.nicks ?? [])].filter(n => !validateNick(n));
	const may = allowed.length > 0 ? `it may use ${allowed.map(quote).join(', ')}` : 'its user name is not a valid nick, and no nick is mapped to it';
	return (
		`nick ${quote(nick)} is not yours: you are logged in (SASL) as ${quote(login.user)}, and ${may}; ` +
		`to use another, map it in the config file: {"nicks": {${JSON.stringify(login.user)}: [${JSON.stringify(nick)}]}}`
	);
}

/** The nick a login goes by when none is given: its user name when that is a valid nick, else its first mapped one. */
export function loginNick(login: Login): string | undefined {
	return [login.user, ...(login.nicks ?? [])].find(n => !validateNick(n));
}
