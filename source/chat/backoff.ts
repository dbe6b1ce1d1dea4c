export type Backoff = {
	/** The wait before the first retry, in ms; it doubles with every retry after that. */
	base: number;
	/** The longest wait, in ms. */
	max: number;
};

/**
 * How long to wait before retry number `attempt` (0 = the first): doubling from `base` up to `max`, with
 * "equal jitter" (half the wait fixed, the other half random). Clients that lost the cluster at the same
 * moment then do not all come back at the same moment, and none retries at once.
 */
export function backoffDelay(attempt: number, {base, max}: Backoff, random: () => number = Math.random): number {
	const ceiling = Math.min(max, base * 2 ** Math.min(Math.max(attempt, 0), 30));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
