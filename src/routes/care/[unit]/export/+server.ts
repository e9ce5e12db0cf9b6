/**
 * POST /care/:unit/export (form field `purpose`): the special-group registry as CSV, with what the member's
 * role may see (staff: masked rows; others: counts per grid and group) and an audit row written by the
 * database in the same call.
 */
import { error } from '@sveltejs/kit';
import { needLabel, specialGroupLabel } from '$lib/components/care/labels';
import { toCsv } from '$lib/domain/csv';
import { shanghaiDay } from '$lib/domain/time';
import { m } from '$lib/paraglide/messages';
import { requireMember } from '$lib/server/access';
import * as care from '$lib/server/care';
import { refusal } from '$lib/server/db-error';
import type { RequestHandler } from './$types';

type Row = Record<string, unknown>;
const list = (labels: (x: string) => string) => (v: unknown) =>
	((v as string[] | null) ?? []).map(labels).join('、');

export const POST: RequestHandler = async ({ params, request, locals }) => {
	requireMember(locals.membership, params.unit, ['secretary', 'commander'], ['street', 'community', 'grid']);
	const purpose = String((await request.formData()).get('purpose') ?? '').trim();
	if (purpose.length < 2) error(400, m.care_purpose_needed());
	let data: care.RegistryExport;
	try {
		data = await care.exportRegistry(locals.supabase, params.unit, purpose);
	} catch (e) {
		const r = refusal(e);
		if (!r) throw e;
		error(r.status, r.message);
	}
	const csv =
		data.shape === 'masked_rows'
			? toCsv<Row>(data.rows, [
					{ key: 'grid', title: m.care_col_grid() },
					{ key: 'building', title: m.board_building() },
					{ key: 'room', title: m.board_room() },
					{ key: 'name', title: m.care_col_name() },
					{
						key: 'gender',
						title: m.care_col_gender(),
						format: (v) => (v === 'female' ? m.care_female() : v === 'male' ? m.care_male() : '')
					},
					{ key: 'birth_year', title: m.care_col_birth_year() },
					{ key: 'special_groups', title: m.care_col_groups(), format: list(specialGroupLabel) },
					{ key: 'needs', title: m.care_col_needs(), format: list(needLabel) },
					{ key: 'phone_masked', title: m.care_col_phone() },
					{ key: 'id_number_masked', title: m.care_col_id_number() },
					{ key: 'isolation_until', title: m.care_col_isolation_until() }
				])
			: toCsv<Row>(data.rows, [
					{ key: 'grid', title: m.care_col_grid() },
					{ key: 'special_group', title: m.care_col_groups(), format: (v) => specialGroupLabel(String(v)) },
					{
						key: 'residents',
						title: m.care_col_count(),
						format: (v) => (v === null ? m.care_withheld() : String(v))
					}
				]);
	const filename = `special-groups-${params.unit}-${shanghaiDay(new Date())}.csv`;
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-store'
		}
	});
};
