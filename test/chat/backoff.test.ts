import {describe, expect, it} from 'vitest';
import {backoffDelay} from '../../source/chat/backoff.js';

const policy = {base: 250, max: 2000};

describe('backoffDelay', () => {
	it('doubles from the base up to the cap, between half the wait and the whole of it', () => {
		const ceilings = [250, 500, 1000, 2000, 2000, 2000];
		ceilings.forEach((ceiling, attempt) => {
			expect(backoffDelay(attempt, policy, () => 0)).toBe(ceiling / 2);
			expect(backoffDelay(attempt, policy, () => 0.999_999)).toBe(ceiling);
		});
	});

	it('spreads clients that failed at the same moment (jitter), and never waits less than half', () => {
		const waits = Array.from({length: 200}, () => backoffDelay(3, policy));
		expect(new Set(waits).size).toBeGreaterThan(20);
		for (const w of waits) {
			expect(w).toBeGreaterThanOrEqual(1000);
			expect(w).toBeLessThanOrEqual(2000);
		}
	});

	it('takes any attempt number: huge ones stay at the cap, negative ones at the base', () => {
		expect(backoffDelay(10_000, policy, () => 0.5)).toBe(1500);
		expect(backoffDelay(-1, policy, () => 0)).toBe(125);
	});
});
