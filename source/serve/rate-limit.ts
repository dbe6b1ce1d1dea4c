/** A token bucket: `rate` per second on average, bursts of up to `burst`. */
export class RateLimit {
	private tokens: number;
	private last: number;

	constructor(
		private readonly rate: number,
		private readonly burst: number,
		private readonly now: () => number = () => performance.now(),
	) {
		this.tokens = burst;
		this.last = now();
	}

	/** Takes one token; false when the bucket is empty (the caller refuses the action). */
	take(): boolean {
		const now = this.now();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
		this.last = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}
