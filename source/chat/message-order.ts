import type {ChatMessage} from './message.js';

/** What ordering looks at. */
type Placed = Pick<ChatMessage, 'timestamp' | 'partition' | 'offset'>;

// Every client orders a room by (broker timestamp, partition, offset), so all show the same order
// although partitions arrive interleaved (DESIGN.md, "Kafka mapping").

/** Compares decimal integer strings (Kafka offsets are int64, kept as strings) without BigInt or throwing. */
export function compareOffsets(a: string, b: string): number {
	const negA = a.startsWith('-');
	const negB = b.startsWith('-');
	if (negA !== negB) return negA ? -1 : 1;
	const magA = a.replace(/^-?0*(?=\d)/, '');
	const magB = b.replace(/^-?0*(?=\d)/, '');
	const order = magA.length !== magB.length ? magA.length - magB.length : magA < magB ? -1 : magA > magB ? 1 : 0;
	return negA ? -order : order;
}

/** Timestamp, then partition, then offset; our pending messages (partition -1) after delivered ones of the same timestamp. */
export function compareMessages(a: Placed, b: Placed): number {
	if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
	const pendingA = a.partition < 0;
	const pendingB = b.partition < 0;
	if (pendingA !== pendingB) return pendingA ? 1 : -1;
	if (a.partition !== b.partition) return a.partition - b.partition;
	return compareOffsets(a.offset, b.offset);
}

/**
 * Where m goes in the ordered list: after every message that sorts before or equal to it, so equal
 * messages (two pending ones) keep their arrival order. Searches from the end, where new messages
 * almost always belong: O(1) for the newest, O(log d) for one that belongs d places back.
 */
export function insertionIndex(list: readonly ChatMessage[], m: ChatMessage): number {
	let hi = list.length;
	if (hi === 0 || compareMessages(list[hi - 1]!, m) <= 0) return hi;
	// Gallop back until a message not after m is found; everything from hi on is after m.
	hi--;
	let lo = 0;
	for (let step = 1; ; step *= 2) {
		const probe = hi - step;
		if (probe < 0) break;
		if (compareMessages(list[probe]!, m) <= 0) {
			lo = probe + 1;
			break;
		}
		hi = probe;
	}
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (compareMessages(list[mid]!, m) <= 0) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** A new array with m in its place. */
export function insertOrdered(list: readonly ChatMessage[], m: ChatMessage): ChatMessage[] {
	const index = insertionIndex(list, m);
	const next = list.slice();
	next.splice(index, 0, m);
	return next;
}
