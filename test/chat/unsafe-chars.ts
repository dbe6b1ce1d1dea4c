// Shared by the sanitiser tests: what must never reach the terminal, and deterministic hostile strings.

/** C0 controls except \n, DEL and C1 controls, bidi controls, lone surrogates. */
const UNSAFE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The unsafe characters in s as U+XXXX labels, so a failing assertion shows which. */
export function unsafeChars(s: string): string[] {
	return [...s.matchAll(UNSAFE)].map(m => `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** mulberry32: a tiny seeded PRNG, so the fuzz cases are the same on every run. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Pieces of terminal attacks, controls, invisible characters and ordinary text. */
export const HOSTILE_ALPHABET = [
	'\x1b', '[', ']', 'P', '_', '^', 'X', '\\', ';', '0', '2', 'J', 'H', 'm', '\x07', '\x18', '\x1a',
	'\u009b', '\u009d', '\u0090', '\u0098', '\u009e', '\u009f', '\u009c', '\u0085', '\u0080',
	'\x00', '\x08', '\t', '\n', '\r', '\x0b', '\x7f', '\u202e', '\u202a', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c',
	'\u200b', '\u200d', '\u2060', '\ufeff', '\ud800', '\udc00', '\ud83d', 'a', 'Z', ' ', '.', '日', '👍', '👨‍👩‍👧', 'é', 'e\u0301',
];

export function randomHostileString(random: () => number, maxLength = 40): string {
	let s = '';
	const length = Math.floor(random() * maxLength);
	for (let i = 0; i < length; i++) s += HOSTILE_ALPHABET[Math.floor(random() * HOSTILE_ALPHABET.length)];
	return s;
}
