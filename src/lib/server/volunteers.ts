/** Volunteers, grid workers and social workers living in a unit, as staff may see them (phones masked). */
import type { SupabaseClient } from '@supabase/supabase-js';
import { check } from './db-error';

export interface VolunteerOption {
	id: number;
	name: string;
	kind: 'volunteer' | 'grid_worker' | 'social_worker' | 'medical' | 'party_member';
	home_unit_code: string;
	phone_masked: string;
}

/** Social workers and grid workers first (who services and leads usually go to), then by name. */
export async function forUnit(supabase: SupabaseClient, unit: string): Promise<VolunteerOption[]> {
	const rows = check(
		'volunteers',
		await supabase
			.from('volunteers')
			.select('id, name, kind, home_unit_code, phone_masked')
			.gte('home_unit_code', unit.slice(0, 12))
			.lt('home_unit_code', `${unit.slice(0, 12)}:`)
			.order('id')
			.limit(1000)
	) as VolunteerOption[];
	const rank: Record<VolunteerOption['kind'], number> = {
		social_worker: 0,
		grid_worker: 1,
		medical: 2,
		party_member: 3,
		volunteer: 4
	};
	return rows.sort((a, b) => rank[a.kind] - rank[b.kind] || a.name.localeCompare(b.name, 'zh-CN'));
}

/** Names of the given volunteers (those the member may see), by id. */
export async function names(supabase: SupabaseClient, ids: number[]): Promise<Map<number, string>> {
	if (ids.length === 0) return new Map();
	const rows = check(
		'volunteers',
		await supabase
			.from('volunteers')
			.select('id, name')
			.in('id', [...new Set(ids)])
	) as { id: number; name: string }[];
	return new Map(rows.map((r) => [r.id, r.name]));
}
