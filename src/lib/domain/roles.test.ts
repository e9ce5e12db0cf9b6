import { describe, expect, it } from 'vitest';
import { memberLabel, roleLabel, roleTitle } from './roles';

describe('roleTitle', () => {
	it('names a leader after the unit they lead: city, county or district', () => {
		expect(roleTitle('leader', { level: 'city', name: '泸州市' })).toBe('city_leader');
		expect(roleTitle('leader', { level: 'district', name: '叙永县' })).toBe('county_leader');
		expect(roleTitle('leader', { level: 'district', name: '泸县' })).toBe('county_leader');
		expect(roleTitle('leader', { level: 'district', name: '江阳区' })).toBe('district_leader');
		// A county-level city leads like a city; an unknown unit falls back to the city title.
		expect(roleTitle('leader', { level: 'district', name: '邛崃市' })).toBe('city_leader');
		expect(roleTitle('leader', null)).toBe('city_leader');
	});

	it('leaves the other roles as they are', () => {
		for (const role of ['secretary', 'commander', 'volunteer'] as const)
			expect(roleTitle(role, { level: 'district', name: '叙永县' })).toBe(role);
	});
});

describe('roleLabel', () => {
	it('words each title in both languages', () => {
		const xuyong = { level: 'district', name: '叙永县' } as const;
		expect(roleLabel('leader', xuyong, 'zh-CN')).toBe('县领导');
		expect(roleLabel('leader', xuyong, 'en')).toBe('County leader');
		expect(roleLabel('leader', { level: 'district', name: '江阳区' }, 'zh-CN')).toBe('区领导');
		expect(roleLabel('leader', { level: 'city', name: '泸州市' }, 'zh-CN')).toBe('市领导');
		expect(roleLabel('secretary', null, 'zh-CN')).toBe('社区党委书记');
	});
});

describe('memberLabel', () => {
	it('says the title once when the name already ends with it', () => {
		expect(memberLabel('白招牌社区党委书记', '社区党委书记')).toBe('白招牌社区党委书记');
		expect(memberLabel('叙永县领导', '县领导')).toBe('叙永县领导');
	});

	it('adds the title to a person’s name, or stands alone without one', () => {
		expect(memberLabel('张三', '县领导')).toBe('张三 · 县领导');
		expect(memberLabel('白招牌社区党委书记', 'Community party secretary')).toBe(
			'白招牌社区党委书记 · Community party secretary'
		);
		expect(memberLabel('  ', '志愿者')).toBe('志愿者');
	});
});
