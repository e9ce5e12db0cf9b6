/**
 * GET /grids/:unit/import/:kind?/template → an empty sheet of the kind as .xlsx: the header row as the mapping
 * step recognises it (each field's first header name), and a second sheet saying what each column takes.
 */
import { NEEDS, SPECIAL_GROUPS } from '$lib/domain/care';
import { needLabel, specialGroupLabel } from '$lib/components/care/labels';
import type { SheetSchema } from '$lib/domain/sheet-import';
import { m } from '$lib/paraglide/messages';
import { writeWorkbook } from '$lib/server/xlsx';
import { gridAccess } from '../../../access';
import { HOUSEHOLDS, kindOf, RESIDENTS } from '../../kinds';
import type { RequestHandler } from './$types';

/** What a column takes, where the header alone does not say it. */
const NOTES: Record<string, () => string> = {
	phone: m.households_note_phone,
	members: m.households_note_members,
	room: m.residents_note_household,
	gender: m.residents_note_gender,
	birth_year: m.residents_note_birth_year,
	id_number: m.residents_note_id_number,
	special_groups: () => m.residents_note_groups({ labels: SPECIAL_GROUPS.map(specialGroupLabel).join('、') }),
	needs: () => m.residents_note_needs({ labels: NEEDS.map(needLabel).join('、') }),
	isolation_until: m.residents_note_isolation_until
};

export const GET: RequestHandler = async ({ params, locals }) => {
	gridAccess(locals.membership, params.unit);
	const id = kindOf(params.kind);
	const schema: SheetSchema<string> = id === 'residents' ? RESIDENTS.schema : HOUSEHOLDS.schema;
	const label = id === 'residents' ? m.residents_kind() : m.households_kind();
	const head = schema.fields.map((f) => schema.headers[f][0]);
	// the room note is about residents (their household must exist); households create theirs
	const note = (f: string) => (f === 'room' && id === 'households' ? '' : (NOTES[f]?.() ?? ''));
	const file = await writeWorkbook(
		[
			{ name: label, head, rows: [] },
			{
				name: m.households_template_notes(),
				head: [
					m.households_template_column(),
					`${m.households_template_required()}/${m.households_template_optional()}`,
					m.households_template_rule()
				],
				rows: schema.fields.map((f, i) => [
					head[i],
					schema.required.includes(f) ? m.households_template_required() : m.households_template_optional(),
					note(f)
				])
			}
		],
		{ title: label, creator: m.app_name() }
	);
	return new Response(new Uint8Array(file), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${id}-template.xlsx"; filename*=UTF-8''${encodeURIComponent(`${m.households_template_file({ kind: label })}.xlsx`)}`,
			'cache-control': 'private, no-store'
		}
	});
};
