import { error, fail } from '@sveltejs/kit';
import { HOUSEHOLD_SCHEMA, readRows, type HouseholdField } from '$lib/domain/household-import';
import {
	cellText,
	columnCount,
	findHeaderRow,
	guessMapping,
	mappingFromForm,
	mappingProblems,
	type Mapping
} from '$lib/domain/sheet-import';
import { m } from '$lib/paraglide/messages';
import * as units from '$lib/server/units';
import { DbRefusal } from '$lib/server/grids';
import { importHouseholds } from '$lib/server/households';
import { readTable } from '$lib/server/workbook';
import { gridAccess } from '../access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const level = gridAccess(locals.membership, params.unit);
	const areas = await units.listWithChildren(locals.supabase, params.unit);
	const unit = areas.find((a) => a.code === params.unit);
	if (!unit) error(404, m.error_not_found());
	return {
		level,
		unit: { code: unit.code, name: unit.name },
		communities:
			level === 'street'
				? areas.filter((a) => a.code !== unit.code).map((a) => ({ code: a.code, name: a.name }))
				: []
	};
};

const READ_ERRORS = {
	empty: m.households_error_empty,
	too_large: m.households_error_too_large,
	unreadable: m.households_error_unreadable,
	unsupported: m.households_error_unsupported
} as const;

/**
 * The uploaded file as a table, its header row, and the mapping (from the form when the secretary has set it,
 * guessed from the headers otherwise). Each step posts the file again: nothing is kept on the server between.
 */
async function readUpload(form: FormData) {
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return { error: m.households_error_no_file() };
	const read = await readTable(file);
	if ('error' in read) return { error: READ_ERRORS[read.error]() };
	const table = read.table;
	const header = findHeaderRow(HOUSEHOLD_SCHEMA, table);
	const columns = columnCount(table);
	const mapping: Mapping<HouseholdField> = form.has('mapped')
		? mappingFromForm(HOUSEHOLD_SCHEMA, (f) => form.get(f) as string | null)
		: guessMapping(HOUSEHOLD_SCHEMA, table[header] ?? []);
	return {
		fileName: file.name,
		table,
		header,
		columns,
		mapping,
		headers: Array.from(
			{ length: columns },
			(_, i) => cellText(table[header]?.[i]) || m.households_column_n({ n: String(i + 1) })
		)
	};
}

async function run(params: { unit: string }, request: Request, locals: App.Locals, dryRun: boolean) {
	if (gridAccess(locals.membership, params.unit) !== 'community') error(400, m.error_bad_view());
	const upload = await readUpload(await request.formData());
	if ('error' in upload) return fail(400, { step: 'read' as const, message: upload.error });
	const { table, header, columns, mapping, headers, fileName } = upload;
	const problems = mappingProblems(HOUSEHOLD_SCHEMA, mapping, columns);
	const base = {
		fileName,
		headers,
		mapping,
		preview: table.slice(header + 1, header + 6).map((r) => headers.map((_, i) => cellText(r[i])))
	};
	if (problems.missing.length || problems.shared.length || problems.outOfRange.length)
		return fail(400, { step: 'map' as const, ...base, problems });
	const rows = readRows(table, header, mapping);
	if (rows.length === 0)
		return fail(400, { step: 'map' as const, ...base, message: m.households_error_no_rows() });
	try {
		const result = await importHouseholds(locals.supabase, params.unit, rows, dryRun);
		if (!result.ok)
			return fail(400, { step: 'errors' as const, ...base, rows: rows.length, errors: result.errors });
		return {
			step: dryRun ? ('checked' as const) : ('imported' as const),
			...base,
			rows: rows.length,
			result
		};
	} catch (e) {
		if (e instanceof DbRefusal) return fail(403, { step: 'read' as const, message: e.message });
		throw e;
	}
}

export const actions: Actions = {
	/** Reads the file and proposes the column mapping. */
	read: async ({ params, request, locals }) => {
		if (gridAccess(locals.membership, params.unit) !== 'community') error(400, m.error_bad_view());
		const upload = await readUpload(await request.formData());
		if ('error' in upload) return fail(400, { step: 'read' as const, message: upload.error });
		const { table, header, columns, mapping, headers, fileName } = upload;
		return {
			step: 'map' as const,
			fileName,
			headers,
			mapping,
			problems: mappingProblems(HOUSEHOLD_SCHEMA, mapping, columns),
			preview: table.slice(header + 1, header + 6).map((r) => headers.map((_, i) => cellText(r[i])))
		};
	},
	/** Checks every row in the database without writing. */
	check: ({ params, request, locals }) => run(params, request, locals, true),
	/** Writes the file, all or nothing. */
	import: ({ params, request, locals }) => run(params, request, locals, false)
};
