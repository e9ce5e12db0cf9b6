/** Screening rounds that apply to a unit (over it or above it), oldest first. */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Round } from '$lib/domain/response';

export async function forUnit(supabase: SupabaseClient, unit: string): Promise<Round[]> {
	const { data, error } = await supabase
		.from('screening_rounds')
		.select('id, name, unit_code, starts_on, ends_on')
		.order('starts_on');
	if (error) throw new Error(`screening_rounds: ${error.message}`);
	return (data as (Round & { unit_code: string })[])
		.filter((r) => unit.startsWith(r.unit_code))
		.map(({ id, name, starts_on, ends_on }) => ({ id, name, starts_on, ends_on }));
}
