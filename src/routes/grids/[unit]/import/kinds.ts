/**
 * The kinds of spreadsheet import: for each, the fields of its sheets (domain schemas) and how a mapped sheet
 * becomes the rows its database function takes. Households are known by building and room, special-group
 * residents by ID number (or household and name), both checked and written all or nothing in the database.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { labelsInEveryLocale } from '$lib/components/care/labels';
import {
	HOUSEHOLD_SCHEMA,
	readRows as readHouseholds,
	type HouseholdField
} from '$lib/domain/household-import';
import {
	readRows as readResidents,
	RESIDENT_SCHEMA,
	vocabulary,
	type ResidentField
} from '$lib/domain/resident-import';
import type { Cell, Mapping, SheetSchema } from '$lib/domain/sheet-import';
import { importRows, type ImportKind, type ImportResult } from '$lib/server/imports';

export type { ImportKind };

/** The kind named by the route's optional parameter (the matcher lets only these two through). */
export const kindOf = (param: string | undefined): ImportKind =>
	param === 'residents' ? 'residents' : 'households';

export interface SheetKind<F extends string> {
	schema: SheetSchema<F>;
	/** Reads the rows of a mapped sheet and has the database check (dryRun) or import them. */
	send(
		supabase: SupabaseClient,
		community: string,
		sheet: { table: Cell[][]; header: number; mapping: Mapping<F> },
		dryRun: boolean
	): Promise<{ rows: number; result: ImportResult } | { rows: 0 }>;
}

export const HOUSEHOLDS: SheetKind<HouseholdField> = {
	schema: HOUSEHOLD_SCHEMA,
	async send(supabase, community, { table, header, mapping }, dryRun) {
		const rows = readHouseholds(table, header, mapping);
		if (rows.length === 0) return { rows: 0 };
		return { rows: rows.length, result: await importRows(supabase, 'households', community, rows, dryRun) };
	}
};

export const RESIDENTS: SheetKind<ResidentField> = {
	schema: RESIDENT_SCHEMA,
	async send(supabase, community, { table, header, mapping }, dryRun) {
		const rows = readResidents(table, header, mapping, vocabulary(labelsInEveryLocale()));
		if (rows.length === 0) return { rows: 0 };
		return { rows: rows.length, result: await importRows(supabase, 'residents', community, rows, dryRun) };
	}
};
