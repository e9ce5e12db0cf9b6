/** Screening coverage by unit, from the database's roll-up (suppression for aggregate-only roles included). */
import type { SupabaseClient } from '@supabase/supabase-js';

export interface CoverageRow {
	code: string;
	name: string;
	level: string;
	is_parent: boolean;
	households: number | null;
	screened: number | null;
	remaining: number | null;
	coverage: number | null;
	suppressed: boolean;
	round_id: number | null;
	as_of: string;
	/** the same "screened" the day before */
	screened_prev: number | null;
	/** with coverage that expires: households whose coverage lapsed that day */
	lost: number | null;
	valid_days: number | null;
}

export async function byUnit(
	supabase: SupabaseClient,
	unit: string,
	asOf: string,
	round: number | null = null,
	/** Count a household as covered only if screened within this many days (coverage that expires). */
	validDays: number | null = null
): Promise<CoverageRow[]> {
	const { data, error } = await supabase.rpc('coverage_by_unit', {
		p_unit: unit,
		p_as_of: asOf,
		p_round_id: round,
		p_valid_days: validDays
	});
	if (error) throw new Error(`coverage_by_unit: ${error.message}`);
	return (data as CoverageRow[]).map((r) => ({
		...r,
		// numeric arrives as a string or number depending on the server; the app works with numbers.
		coverage: r.coverage === null ? null : Number(r.coverage)
	}));
}
