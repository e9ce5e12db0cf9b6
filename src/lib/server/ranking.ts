/** The units that lag most under a unit (public.lagging_units, computed from the coverage counters). */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { LaggingUnit } from '$lib/domain/ranking';
import type { UnitLevel } from '$lib/domain/units';

export async function lagging(
	supabase: SupabaseClient,
	unit: string,
	q: { date: string; level: UnitLevel; validDays: number | null },
	limit = 20
): Promise<LaggingUnit[]> {
	const { data, error } = await supabase.rpc('lagging_units', {
		p_unit: unit,
		p_as_of: q.date,
		p_level: q.level,
		p_valid_days: q.validDays,
		p_limit: limit
	});
	if (error) throw new Error(`lagging_units: ${error.message}`);
	return data as LaggingUnit[];
}
