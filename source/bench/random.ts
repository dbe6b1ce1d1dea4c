/** A small seeded generator (mulberry32), so a simulation can be repeated with `--seed`. */
export class Random {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** A float in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	}

	/** An integer in [0, n). */
	int(n: number): number {
		return Math.floor(this.next() * n);
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		if (items.length === 0) throw new Error('pick from an empty list');
		return items[this.int(items.length)]!;
	}

	shuffle<T>(items: T[]): T[] {
		for (let i = items.length - 1; i > 0; i--) {
			const j = this.int(i + 1);
			[items[i], items[j]] = [items[j]!, items[i]!];
		}
		return items;
	}
}

/** Picks indexes in proportion to their weights (cumulative sums and a binary search). */
export class WeightedPicker {
	private readonly cumulative: number[] = [];

	constructor(weights: readonly number[]) {
		let sum = 0;
		for (const w of weights) this.cumulative.push((sum += Math.max(0, w)));
		if (sum <= 0) throw new Error('weights must not all be zero');
	}

	pick(random: Random): number {
		const total = this.cumulative[this.cumulative.length - 1]!;
		const x = random.next() * total;
		let lo = 0;
		let hi = this.cumulative.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.cumulative[mid]! > x) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	}
}
