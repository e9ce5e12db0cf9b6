/** Household import through public.import_households (all or nothing, idempotent; see the migration). */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { ImportRow } from '$lib/domain/household-import';
import { DbRefusal } from './grids';

export interface RowError {
	row: number;
	field: string;
	message: string;
}

export type ImportResult =
	| { ok: false; errors: RowError[] }
	| { ok: true; dry_run: boolean; inserted: number; updated: number; unchanged: number };

/** Checks (dryRun) or imports the rows; a refusal of the whole call (scope, shape) throws a DbRefusal. */
export async function importHouseholds(
	supabase: SupabaseClient,
	community: string,
	rows: ImportRow[],
	dryRun: boolean
): Promise<ImportResult> {
	const { data, error } = await supabase.rpc('import_households', {
		p_community: community,
		p_rows: rows,
		p_dry_run: dryRun
	});
	if (error) {
		if (error.hint) throw new DbRefusal(error.message, error.hint);
		throw new Error(`import_households: ${error.message}`);
	}
	return data as ImportResult;
}
