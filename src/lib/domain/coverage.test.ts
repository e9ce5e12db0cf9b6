import { describe, expect, it } from 'vitest';
import {
	changeSinceYesterday,
	coverageClass,
	coverageColor,
	formatCount,
	formatNumber,
	formatPercent,
	NO_DATA_COLOR,
	remaining
} from './coverage';

describe('coverage classes', () => {
	it('puts each share in its class, with explicit no-data', () => {
		expect(coverageClass({ households: 10, screened: 4, coverage: 0.4 })).toBe('lt50');
		expect(coverageClass({ households: 10, screened: 5, coverage: 0.5 })).toBe('lt80');
		expect(coverageClass({ households: 100, screened: 94, coverage: 0.94 })).toBe('lt95');
		expect(coverageClass({ households: 100, screened: 95, coverage: 0.95 })).toBe('ge95');
		expect(coverageClass({ households: 0, screened: 0, coverage: null })).toBe('no_data');
		expect(coverageClass({ households: null, screened: null, coverage: null })).toBe('no_data');
		expect(coverageColor({ households: null, screened: null, coverage: null })).toBe(NO_DATA_COLOR);
	});

	it('never shows 100% while households remain', () => {
		expect(formatPercent(4942 / 4943)).toBe('99.9%');
		expect(formatPercent(1)).toBe('100.0%');
		expect(formatPercent(null)).toBe('—');
		expect(remaining({ households: 4943, screened: 4900, coverage: 0.99 })).toBe(43);
		expect(remaining({ households: null, screened: null, coverage: null })).toBeNull();
	});
});

describe('change since yesterday', () => {
	it('is signed, and unknown when either day is withheld', () => {
		expect(changeSinceYesterday({ screened: 1250, screened_prev: 1000 })).toBe('+250');
		expect(changeSinceYesterday({ screened: 990, screened_prev: 1000 })).toBe('−10');
		expect(changeSinceYesterday({ screened: 5, screened_prev: 5 })).toBe('0');
		expect(changeSinceYesterday({ screened: null, screened_prev: 5 })).toBeNull();
	});
});

describe('formatCount', () => {
	it('groups thousands and shows a dash for what is missing or withheld', () => {
		expect(formatCount(4943)).toBe('4,943');
		expect(formatCount(0)).toBe('0');
		expect(formatCount(null)).toBe('—');
		expect(formatCount(undefined)).toBe('—');
		expect(formatCount('12')).toBe('—');
	});
	it('formats as Intl does in Chinese, decimals and rounding included', () => {
		const intl3 = new Intl.NumberFormat('zh-CN');
		const intl1 = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });
		const fixed = [0, 7, 999, 1000, 4943, 1234567, 1e15, 2.25, 0.12345, 0.0005, 1.0005, 2.5, 999.9996, -3056];
		// and numbers of every size with many decimals, from a fixed seed
		let seed = 42;
		const random = Array.from({ length: 2000 }, () => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return ((seed / 2 ** 31) * 10 ** (seed % 9) - 10 ** (seed % 5)) * (seed % 3 === 0 ? -1 : 1);
		});
		for (const n of [...fixed, ...random]) {
			// Intl writes "-0" for a negative that rounds to zero; this writes "0".
			if (intl3.format(n) !== '-0') expect(formatNumber(n), String(n)).toBe(intl3.format(n));
			if (intl1.format(n) !== '-0') expect(formatNumber(n, 1), String(n)).toBe(intl1.format(n));
		}
		expect(formatNumber(-0.0001)).toBe('0');
	});
});
