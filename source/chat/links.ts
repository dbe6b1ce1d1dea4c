// Which parts of a message the web page may make clickable. Message text is untrusted: a link is made
// only of a plain http(s) URL, written in printable ASCII, with no user name part (`http://bank.com@evil`)
// and no spelling the browser would change (what the reader sees is exactly where the link goes).
// Everything else, `javascript:` and `data:` included, stays text.

export type TextPart = {kind: 'text'; text: string} | {kind: 'link'; text: string; href: string};

const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const TRAILING = /[.,;:!?'"*]+$/;

/** Drops sentence punctuation after a URL, and a closing bracket that has no opening one inside it. */
function trimCandidate(url: string): string {
	let out = url.replace(TRAILING, '');
	for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
		while (out.endsWith(close) && out.split(open).length < out.split(close).length) out = out.slice(0, -1).replace(TRAILING, '');
	}
	return out;
}

/** The address when `text` is a link the page may make clickable, else undefined. */
export function safeHref(text: string): string | undefined {
	if (!PRINTABLE_ASCII.test(text)) return undefined;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return undefined;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
	if (url.username !== '' || url.password !== '') return undefined;
	// Only spellings the browser keeps as they are (it may add the `/` of an empty path).
	if (url.href !== text && url.href !== `${text}/`) return undefined;
	return url.href;
}

/** Text split into plain parts and safe links, in order; joined, the parts' text is the input. */
export function splitLinks(text: string): TextPart[] {
	const parts: TextPart[] = [];
	let last = 0;
	for (const match of text.matchAll(CANDIDATE)) {
		const candidate = trimCandidate(match[0]);
		const href = safeHref(candidate);
		if (!href) continue;
		const start = match.index;
		if (start > last) parts.push({kind: 'text', text: text.slice(last, start)});
		parts.push({kind: 'link', text: candidate, href});
		last = start + candidate.length;
	}
	if (last < text.length) parts.push({kind: 'text', text: text.slice(last)});
	return parts;
}
