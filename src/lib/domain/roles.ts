/**
 * What a member is called, in the user's language. A leader's title follows the unit they lead: 市领导 for the
 * city (or a county-level city), 县领导 for a county, 区领导 for a district; the unit's level and the end of its
 * name tell them apart (counties and districts share a level). So does a commander's (a street's 街道指挥长, a
 * town's 镇指挥长, a township's 乡指挥长: streets, towns and townships share a level) and a secretary's (a
 * community's 社区党委书记, a village's 村党支部书记).
 *
 *   roleTitle('leader', { level: 'district', name: '叙永县' })  → 'county_leader'
 *   memberLabel('叙永县领导', '县领导')                         → '叙永县领导'
 *   memberLabel('张三', '县领导')                               → '张三 · 县领导'
 */
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { UnitLevel } from './units';

export type Role = 'secretary' | 'commander' | 'leader' | 'volunteer' | 'admin';
export type RoleTitle =
	| 'secretary'
	| 'village_secretary'
	| 'commander'
	| 'town_commander'
	| 'township_commander'
	| 'volunteer'
	| 'admin'
	| 'city_leader'
	| 'county_leader'
	| 'district_leader';

/** The member's unit as the title needs it (null when it could not be read). */
export interface TitleUnit {
	level: UnitLevel;
	name: string;
}

export function roleTitle(role: Role, unit: TitleUnit | null): RoleTitle {
	// A secretary of a grid's unit or a commander of a community's is named by the unit's own kind, the same way.
	if (role === 'secretary') return unit?.name.endsWith('村') ? 'village_secretary' : 'secretary';
	if (role === 'commander') {
		if (unit?.level === 'street' && unit.name.endsWith('镇')) return 'town_commander';
		if (unit?.level === 'street' && unit.name.endsWith('乡')) return 'township_commander';
		return 'commander';
	}
	if (role !== 'leader') return role;
	if (unit?.level === 'district') {
		if (unit.name.endsWith('县')) return 'county_leader';
		if (unit.name.endsWith('区')) return 'district_leader';
	}
	return 'city_leader';
}

const TITLES: Record<RoleTitle, (inputs?: Record<string, never>, options?: { locale?: Locale }) => string> = {
	secretary: m.role_secretary,
	village_secretary: m.role_secretary_village,
	commander: m.role_commander,
	town_commander: m.role_commander_town,
	township_commander: m.role_commander_township,
	volunteer: m.role_volunteer,
	admin: m.role_admin,
	city_leader: m.role_leader,
	county_leader: m.role_leader_county,
	district_leader: m.role_leader_district
};

/** The title in the user's language (or the one asked for). */
export function roleLabel(role: Role, unit: TitleUnit | null, locale?: Locale): string {
	return TITLES[roleTitle(role, unit)]({}, locale ? { locale } : undefined);
}

/**
 * The header's "who": the member's name, then the title unless the name already says it (accounts named
 * after their post, like 白招牌社区党委书记, would otherwise read 白招牌社区党委书记 · 社区党委书记).
 */
export function memberLabel(displayName: string, title: string): string {
	const name = displayName.trim();
	if (!name) return title;
	return name.endsWith(title) ? name : `${name} · ${title}`;
}
