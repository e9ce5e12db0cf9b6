/**
 * Spreadsheet imports through public.import_households (20261129001500) and public.import_residents
 * (20261129001600): every row checked in the database, all or nothing, the same file twice changes nothing,
 * and a dry run for the check step.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { ImportRow } from '$lib/domain/household-import';
import type { ResidentRow } from '$lib/domain/resident-import';
import { DbRefusal } from './grids';

export type ImportKind = 'households' | 'residents';

export interface RowError {
	row: number;
	field: string;
	message: string;
}

export type ImportResult =
	| { ok: false; errors: RowError[] }
	| { ok: true; dry_run: boolean; inserted: number; updated: number; unchanged: number };

export interface ImportRows {
	households: ImportRow[];
	residents: ResidentRow[];
}

const FUNCTIONS: Record<ImportKind, string> = {
	households: 'import_households',
	residents: 'import_residents'
};

/** Checks (dryRun) or imports the rows; a refusal of the whole call (scope, shape) throws a DbRefusal. */
export async function importRows<K extends ImportKind>(
	supabase: SupabaseClient,
	kind: K,
	community: string,
	rows: ImportRows[K],
	dryRun: boolean
): Promise<ImportResult> {
	const { data, error } = await supabase.rpc(FUNCTIONS[kind], {
		p_community: community,
		p_rows: rows,
		p_dry_run: dryRun
	});
	if (error) {
		if (error.hint) throw new DbRefusal(error.message, error.hint);
		throw new Error(`${FUNCTIONS[kind]}: ${error.message}`);
	}
	return data as ImportResult;
}
