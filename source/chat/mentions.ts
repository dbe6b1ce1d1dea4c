// A highlight must not fire for `alice` inside `malice` or `alice.bob` (another legal nick), but must for
// `@alice`, `alice: hi` and `thanks alice.`: nick characters are [A-Za-z0-9_.-], and dots after the nick
// count as punctuation when no nick character follows them.

const NICK_CHAR = 'A-Za-z0-9_.\\-';
let cached: {nick: string; pattern: RegExp} | undefined;

function patternFor(nick: string): RegExp {
	if (cached?.nick !== nick) {
		const escaped = nick.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		cached = {nick, pattern: new RegExp(`(?<![${NICK_CHAR}])${escaped}(?=\\.*(?:[^${NICK_CHAR}]|$))`, 'iu')};
	}
	return cached.pattern;
}

/** Whether text mentions nick as a whole word, case-insensitively. */
export function mentionsNick(text: string, nick: string): boolean {
	return nick !== '' && patternFor(nick).test(text);
}
