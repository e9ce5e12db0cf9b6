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

	it('names a commander after a street, a town or a township, and a secretary after a community or a village', () => {
		expect(roleTitle('commander', { level: 'street', name: '南城街道' })).toBe('commander');
		expect(roleTitle('commander', { level: 'street', name: '分水岭镇' })).toBe('town_commander');
		expect(roleTitle('commander', { level: 'street', name: '水尾镇' })).toBe('town_commander');
		expect(roleTitle('commander', { level: 'street', name: '石屏乡' })).toBe('township_commander');
		expect(roleTitle('commander', { level: 'street', name: '大寨苗族乡' })).toBe('township_commander');
		expect(roleTitle('secretary', { level: 'community', name: '白招牌社区' })).toBe('secretary');
		expect(roleTitle('secretary', { level: 'community', name: '金榜村' })).toBe('village_secretary');
		expect(roleTitle('volunteer', { level: 'community', name: '金榜村' })).toBe('volunteer');
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
		expect(roleLabel('secretary', { level: 'community', name: '金榜村' }, 'zh-CN')).toBe('村党支部书记');
		expect(roleLabel('secretary', { level: 'community', name: '金榜村' }, 'en')).toBe(
			'Village party secretary'
		);
		expect(roleLabel('commander', { level: 'street', name: '分水岭镇' }, 'zh-CN')).toBe('镇指挥长');
		expect(roleLabel('commander', { level: 'street', name: '分水岭镇' }, 'en')).toBe('Town commander');
		expect(roleLabel('commander', { level: 'street', name: '石屏乡' }, 'zh-CN')).toBe('乡指挥长');
		expect(roleLabel('commander', { level: 'street', name: '南城街道' }, 'zh-CN')).toBe('街道指挥长');
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
