/**
 * /grids/:community/import/:kind? — households (the default) or special-group residents from an .xlsx or .csv:
 * read the file and guess the column mapping, check every row in the database (a dry run that reports each
 * bad row), then import all or nothing. Each step posts the file again: nothing is kept on the server between.
 */
import { error, fail } from '@sveltejs/kit';
import {
	cellText,
	columnCount,
	findHeaderRow,
	guessMapping,
	mappingFromForm,
	mappingProblems,
	mappingUsable,
	type Cell
} from '$lib/domain/sheet-import';
import { m } from '$lib/paraglide/messages';
import { DbRefusal } from '$lib/server/grids';
import * as units from '$lib/server/units';
import { readTable } from '$lib/server/workbook';
import { gridAccess } from '../../access';
import { HOUSEHOLDS, kindOf, RESIDENTS, type SheetKind } from '../kinds';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const level = gridAccess(locals.membership, params.unit);
	const areas = await units.listWithChildren(locals.supabase, params.unit);
	const unit = areas.find((a) => a.code === params.unit);
	if (!unit) error(404, m.error_not_found());
	return {
		level,
		kind: kindOf(params.kind),
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

/** The first rows below the header, as text, for the mapping step. */
const preview = (table: Cell[][], header: number, headers: string[]) =>
	table.slice(header + 1, header + 6).map((r) => headers.map((_, i) => cellText(r[i])));

/**
 * The uploaded file as a table, its header row, and the mapping (from the form when the secretary has set it,
 * guessed from the headers otherwise).
 */
async function readUpload<F extends string>(kind: SheetKind<F>, form: FormData) {
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return { error: m.households_error_no_file() };
	const read = await readTable(file);
	if ('error' in read) return { error: READ_ERRORS[read.error]() };
	const table = read.table;
	const header = findHeaderRow(kind.schema, table);
	const columns = columnCount(table);
	const mapping = form.has('mapped')
		? mappingFromForm(kind.schema, (f) => form.get(f) as string | null)
		: guessMapping(kind.schema, table[header] ?? []);
	const headers = Array.from(
		{ length: columns },
		(_, i) => cellText(table[header]?.[i]) || m.households_column_n({ n: String(i + 1) })
	);
	return { fileName: file.name, table, header, columns, mapping, headers };
}

async function read<F extends string>(kind: SheetKind<F>, request: Request) {
	const upload = await readUpload(kind, await request.formData());
	if ('error' in upload) return fail(400, { step: 'read' as const, message: upload.error });
	const { table, header, columns, mapping, headers, fileName } = upload;
	return {
		step: 'map' as const,
		fileName,
		headers,
		mapping: mapping as Record<string, number | null>,
		problems: mappingProblems(kind.schema, mapping, columns),
		preview: preview(table, header, headers)
	};
}

async function run<F extends string>(
	kind: SheetKind<F>,
	community: string,
	request: Request,
	locals: App.Locals,
	dryRun: boolean
) {
	const upload = await readUpload(kind, await request.formData());
	if ('error' in upload) return fail(400, { step: 'read' as const, message: upload.error });
	const { table, header, columns, mapping, headers, fileName } = upload;
	const problems = mappingProblems(kind.schema, mapping, columns);
	const base = {
		fileName,
		headers,
		mapping: mapping as Record<string, number | null>,
		preview: preview(table, header, headers)
	};
	if (!mappingUsable(problems)) return fail(400, { step: 'map' as const, ...base, problems });
	try {
		const sent = await kind.send(locals.supabase, community, { table, header, mapping }, dryRun);
		if (!('result' in sent))
			return fail(400, { step: 'map' as const, ...base, message: m.households_error_no_rows() });
		const { rows, result } = sent;
		if (!result.ok) return fail(400, { step: 'errors' as const, ...base, rows, errors: result.errors });
		return { step: dryRun ? ('checked' as const) : ('imported' as const), ...base, rows, result };
	} catch (e) {
		if (e instanceof DbRefusal) return fail(403, { step: 'read' as const, message: e.message });
		throw e;
	}
}

/** Only a community's page imports (a street's lists its communities). */
function community(params: { unit: string }, locals: App.Locals): string {
	if (gridAccess(locals.membership, params.unit) !== 'community') error(400, m.error_bad_view());
	return params.unit;
}

export const actions: Actions = {
	/** Reads the file and proposes the column mapping. */
	read: async ({ params, request, locals }) => {
		community(params, locals);
		return kindOf(params.kind) === 'residents' ? read(RESIDENTS, request) : read(HOUSEHOLDS, request);
	},
	/** Checks every row in the database without writing. */
	check: async ({ params, request, locals }) => {
		const code = community(params, locals);
		return kindOf(params.kind) === 'residents'
			? run(RESIDENTS, code, request, locals, true)
			: run(HOUSEHOLDS, code, request, locals, true);
	},
	/** Writes the file, all or nothing. */
	import: async ({ params, request, locals }) => {
		const code = community(params, locals);
		return kindOf(params.kind) === 'residents'
			? run(RESIDENTS, code, request, locals, false)
			: run(HOUSEHOLDS, code, request, locals, false);
	}
};
