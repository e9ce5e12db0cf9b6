import { describe, expect, it } from 'vitest';
import { NEEDS, SPECIAL_GROUPS } from '$lib/domain/care';
import { vocabulary } from '$lib/domain/resident-import';
import en from '$lib/i18n/messages/en.json';
import zh from '$lib/i18n/messages/zh-CN.json';
import { labelsInEveryLocale } from './labels';

describe('labels in every locale', () => {
	it("let an import read every group and need by the app's own words, in Chinese and in English", () => {
		const words = vocabulary(labelsInEveryLocale());
		for (const messages of [zh, en] as Record<string, string>[]) {
			for (const g of SPECIAL_GROUPS)
				expect(words.groups.get(messages[`group_${g}`].toLowerCase()), g).toBe(g);
			for (const n of NEEDS) expect(words.needs.get(messages[`care_need_${n}`].toLowerCase()), n).toBe(n);
		}
		expect(words.groups.get('独居老人')).toBe('elderly_alone');
	});
});
