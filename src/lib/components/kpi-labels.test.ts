import { afterEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale, type Locale } from '$lib/paraglide/runtime';
import { coverageWords } from './kpi-labels';

let locale: Locale = 'zh-CN';
overwriteGetLocale(() => locale);
afterEach(() => (locale = 'zh-CN'));

describe('coverageWords', () => {
	it('names what "screened" counts, by round or by a window of days, and what the coverage divides', () => {
		expect(coverageWords(null)).toEqual({
			households: '总户数',
			screened: '本轮已摸排',
			remaining: '本轮未摸排',
			coverageHow: '本轮已摸排 ÷ 总户数'
		});
		expect(coverageWords(7)).toEqual({
			households: '总户数',
			screened: '7 天内已摸排',
			remaining: '7 天内未摸排',
			coverageHow: '7 天内已摸排 ÷ 总户数'
		});
		locale = 'en';
		expect(coverageWords(null).coverageHow).toBe('Screened this round ÷ Households');
	});
});
