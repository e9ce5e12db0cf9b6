import { fail } from '@sveltejs/kit';
import {
	FIELD_LABELS,
	findHeaderRow,
	guessMapping,
	IMPORT_FIELDS,
	mappingFromForm,
	mappingProblems,
	readRows,
	type Cell,
	type Mapping,
	type RowError
} from '$lib/domain/volunteer-import';
import { m } from '$lib/paraglide/messages';
import * as roster from '$lib/server/roster';
import { readTable } from '$lib/server/workbook';
import * as units from '$lib/server/units';
import { requireRosterStaff } from '../access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	requireRosterStaff(locals, params.unit);
	const [unit] = await units.read(locals.supabase, [params.unit]);
	return {
		unit: { code: params.unit, name: unit?.name ?? params.unit },
		fields: IMPORT_FIELDS.map((f) => ({ id: f, label: FIELD_LABELS[f] })),
		communityRequired: params.unit.length !== 12
	};
};

const TABLE_ERRORS = {
	empty: m.import_empty,
	too_large: m.import_too_large,
	unreadable: m.import_unreadable,
	unsupported: m.import_unsupported
} as const;

/** A cell as the preview shows it (dates as YYYY-MM-DD). */
const shown = (c: Cell) => (c instanceof Date ? c.toISOString().slice(0, 10) : c === null ? '' : String(c));

/**
 * Reads the uploaded file and the mapping (guessed from the headers, or as the form chose), and checks every
 * row in the app. Each step of the page sends the file again, so the server keeps nothing between steps.
 */
async function prepare(request: Request, unit: string, guess: boolean) {
	const form = await request.formData();
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return { failure: m.import_no_file() };
	const read = await readTable(file);
	if ('error' in read) return { failure: TABLE_ERRORS[read.error]() };
	const headerRow = findHeaderRow(read.table);
	const headers = (read.table[headerRow] ?? []).map(shown);
	if (read.table.length - headerRow - 1 > 5000) return { failure: m.import_too_many() };
	const mapping: Mapping = guess ? guessMapping(headers) : mappingFromForm(form, headers.length);
	const problems = mappingProblems(mapping, { communityRequired: unit.length !== 12 });
	const { rows, errors } = readRows(read.table, mapping, headerRow);
	return {
		file: file.name,
		headers,
		mapping,
		problems,
		rows,
		errors,
		total: rows.length + new Set(errors.map((e) => e.row)).size,
		sample: read.table
			.slice(headerRow + 1, headerRow + 6)
			.map((r) => headers.map((_, i) => shown(r[i] ?? null)))
	};
}

type Prepared = Exclude<Awaited<ReturnType<typeof prepare>>, { failure: string }>;

function view(p: Prepared, extra: { errors?: RowError[]; result?: roster.ImportResult; step: string }) {
	return {
		step: extra.step,
		file: p.file,
		headers: p.headers,
		mapping: p.mapping,
		problems: p.problems,
		sample: p.sample,
		total: p.total,
		errors: (extra.errors ?? p.errors).slice(0, 200),
		errorCount: (extra.errors ?? p.errors).length,
		result: extra.result ?? null
	};
}

/** Checks in the app first; only a file without app-side errors goes to the database (dry run or for real). */
async function run(request: Request, locals: App.Locals, unit: string, dryRun: boolean) {
	const step = dryRun ? 'check' : 'import';
	const p = await prepare(request, unit, false);
	if ('failure' in p) return fail(400, { step, message: p.failure });
	if (p.problems.length > 0 || p.errors.length > 0)
		return fail(400, { ...view(p, { step }), message: m.import_has_errors() });
	const result = await roster.importVolunteers(locals.supabase, p.rows, dryRun);
	if ('message' in result) return fail(400, { ...view(p, { step }), message: result.message });
	if (result.data.errors.length > 0)
		return fail(400, {
			...view(p, { step, errors: result.data.errors as RowError[], result: result.data }),
			message: m.import_has_errors()
		});
	return view(p, { step, result: result.data });
}

export const actions: Actions = {
	preview: async ({ request, params, locals }) => {
		requireRosterStaff(locals, params.unit);
		const p = await prepare(request, params.unit, true);
		if ('failure' in p) return fail(400, { step: 'preview', message: p.failure });
		return view(p, { step: 'preview' });
	},
	check: async ({ request, params, locals }) => {
		requireRosterStaff(locals, params.unit);
		return run(request, locals, params.unit, true);
	},
	import: async ({ request, params, locals }) => {
		requireRosterStaff(locals, params.unit);
		return run(request, locals, params.unit, false);
	}
};
