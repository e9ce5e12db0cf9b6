import { describe, expect, it } from 'vitest';
import { parseResponseDate } from './response';

describe('response dates', () => {
	it('accepts real dates inside the response period only', () => {
		expect(parseResponseDate('2020-02-01')).toBe('2020-02-01');
		expect(parseResponseDate('2020-01-24')).toBe('2020-01-24');
		expect(parseResponseDate('2020-03-16')).toBeNull();
		expect(parseResponseDate('2020-02-30')).toBeNull();
		expect(parseResponseDate('2020-2-1')).toBeNull();
		expect(parseResponseDate("2020-02-01' or 1=1")).toBeNull();
		expect(parseResponseDate(null)).toBeNull();
	});
});
