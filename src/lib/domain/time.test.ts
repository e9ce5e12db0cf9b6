import { describe, expect, it } from 'vitest';
import { formatShanghai, fromShanghaiLocal, shanghaiDay, toShanghaiLocal } from './time';

describe('China Standard Time on screens', () => {
	it('formats instants in UTC+8 whatever the machine’s zone', () => {
		expect(formatShanghai('2020-03-12T01:06:00Z')).toBe('03-12 09:06');
		expect(formatShanghai('2020-03-12T17:30:00Z', 'datetime')).toBe('2020-03-13 01:30');
		expect(formatShanghai('2020-03-12T17:30:00Z', 'date')).toBe('2020-03-13');
		expect(formatShanghai('2020-03-12T17:30:00+08:00', 'time')).toBe('17:30');
		expect(formatShanghai(null)).toBe('—');
		expect(formatShanghai('not a time')).toBe('—');
	});

	it('gives the Chinese calendar day, which turns at 16:00 UTC', () => {
		expect(shanghaiDay('2026-11-29T15:59:59Z')).toBe('2026-11-29');
		expect(shanghaiDay('2026-11-29T16:00:00Z')).toBe('2026-11-30');
	});

	it('reads and writes datetime-local values as China time', () => {
		expect(fromShanghaiLocal('2020-03-13T08:30')).toBe('2020-03-13T00:30:00.000Z');
		expect(fromShanghaiLocal('2020-03-13 08:30')).toBeNull();
		expect(toShanghaiLocal('2020-03-13T00:30:00Z')).toBe('2020-03-13T08:30');
	});
});
