import { afterEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale, type Locale } from '$lib/paraglide/runtime';
import { roundLabel } from './labels';

let locale: Locale = 'zh-CN';
overwriteGetLocale(() => locale);
afterEach(() => (locale = 'zh-CN'));

describe('roundLabel', () => {
	const rounds = [
		{ id: 1, name: '第一轮地毯式摸排' },
		{ id: 2, name: '第二轮复核摸排' }
	];

	it('shows the recorded name in Chinese, and in English says which round it is beside it', () => {
		expect(roundLabel(rounds, 2)).toBe('第二轮复核摸排');
		locale = 'en';
		expect(roundLabel(rounds, 2)).toBe('Round 2 (第二轮复核摸排)');
		expect(roundLabel(rounds, 9)).toBe('Round 9');
	});
});
