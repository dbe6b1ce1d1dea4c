/** Latency figures in milliseconds. */
export type Summary = {p50: number; p95: number; p99: number; max: number; mean: number; count: number};

/** The nearest-rank percentile (0 < p <= 1) of ascending samples; 0 when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
	if (sorted.length === 0) return 0;
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
	return sorted[rank - 1]!;
}

/** p50, p95, p99, max, mean and count of samples, rounded to 0.01 ms. */
export function summarize(samples: readonly number[]): Summary {
	const sorted = [...samples].sort((a, b) => a - b);
	const sum = sorted.reduce((s, x) => s + x, 0);
	return {
		p50: round(percentile(sorted, 0.5)),
		p95: round(percentile(sorted, 0.95)),
		p99: round(percentile(sorted, 0.99)),
		max: round(sorted[sorted.length - 1] ?? 0),
		mean: round(sorted.length > 0 ? sum / sorted.length : 0),
		count: sorted.length,
	};
}

export function round(value: number, digits = 2): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}
