// Each nick keeps one colour in every client and every session: a stable hash picks it from a fixed palette.
// Ink/chalk colour names, so the terminal's theme decides the exact shade (readable on dark and light themes
// alike, as far as 16 colours allow); no grey, white or black, which vanish on one background or the other.

export const NICK_COLORS: readonly string[] = [
	'red',
	'green',
	'yellow',
	'blue',
	'magenta',
	'cyan',
	'redBright',
	'greenBright',
	'yellowBright',
	'blueBright',
	'magentaBright',
	'cyanBright',
];

/** 32-bit FNV-1a over the UTF-16 code units of s. */
export function fnv1a(s: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		hash ^= s.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

export function nickColor(nick: string): string {
	return NICK_COLORS[fnv1a(nick) % NICK_COLORS.length]!;
}
