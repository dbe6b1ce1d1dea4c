import {describe, expect, it} from 'vitest';
import {formatClock, formatDay, sameDay} from '../../source/chat/format-time.js';

// Times are built in local time, so the tests hold in any time zone.
const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s).getTime();

describe('formatClock', () => {
	it('gives HH:MM:SS in local time, zero-padded', () => {
		expect(formatClock(local(2026, 11, 27, 9, 5, 7))).toBe('09:05:07');
		expect(formatClock(local(2026, 11, 27, 23, 59, 59))).toBe('23:59:59');
		expect(formatClock(local(2026, 1, 1))).toBe('00:00:00');
	});

	it('shows an invalid time as dashes', () => {
		expect(formatClock(NaN)).toBe('--:--:--');
	});
});

describe('formatDay', () => {
	it('gives weekday, day, month and year', () => {
		expect(formatDay(local(2026, 11, 27, 12))).toBe('Fri 27 Nov 2026');
		expect(formatDay(local(2024, 2, 29))).toBe('Thu 29 Feb 2024');
		expect(formatDay(NaN)).toBe('');
	});
});

describe('sameDay', () => {
	it('compares local calendar days', () => {
		expect(sameDay(local(2026, 11, 27, 0, 0, 1), local(2026, 11, 27, 23, 59, 59))).toBe(true);
		expect(sameDay(local(2026, 11, 27, 23, 59, 59), local(2026, 11, 28, 0, 0, 0))).toBe(false);
		expect(sameDay(local(2025, 11, 27), local(2026, 11, 27))).toBe(false);
	});
});
