/**
 * A random id (32 hex digits) for a message or a page instance. Not crypto.randomUUID: browsers offer it
 * only in secure contexts, and a page served on a LAN address over http is not one.
 */
export function randomId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}
