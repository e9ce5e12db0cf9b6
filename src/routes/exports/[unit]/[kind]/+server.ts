/**
 * POST /exports/:unit/:kind (form field `purpose`) → the export as an .xlsx download. The database shapes the
 * rows by role and writes the audit row (public.export_unit); the columns follow what came back: records for
 * community and street staff, counts for leaders.
 */
import { error } from '@sveltejs/kit';
import { leadStatusLabel, specialGroupLabel } from '$lib/components/labels';
import { rowCells, type Column, type ExportKind } from '$lib/domain/export-sheets';
import type { LeadStatus } from '$lib/domain/map-features';
import { isWithin, levelOfCode } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import { refuseOutsideScope } from '$lib/server/access';
import { EXPORT_KINDS, exportUnit } from '$lib/server/exports';
import { DbRefusal } from '$lib/server/grids';
import * as units from '$lib/server/units';
import { writeWorkbook } from '$lib/server/xlsx';
import type { RequestHandler } from './$types';

const LEAD_KINDS: Record<string, () => string> = {
	travel_history: m.export_lead_kind_travel_history,
	symptoms: m.export_lead_kind_symptoms,
	gathering: m.export_lead_kind_gathering,
	quarantine_breach: m.export_lead_kind_quarantine_breach,
	supplies: m.export_lead_kind_supplies,
	other: m.export_lead_kind_other
};
const NEEDS: Record<string, () => string> = {
	food: m.export_need_food,
	medicine: m.export_need_medicine,
	medical_visit: m.export_need_medical_visit,
	counselling: m.export_need_counselling,
	supplies: m.export_need_supplies,
	daily_call: m.export_need_daily_call,
	transport: m.export_need_transport
};
const yesNo = (v: string) => (v === 'true' ? m.export_yes() : m.export_no());
const gender = (v: string) => (v === 'female' ? m.export_female() : v === 'male' ? m.export_male() : v);

function columns(kind: ExportKind, level: 'records' | 'counts'): Column[] {
	const grid: Column[] = [
		{ key: 'grid_code', head: m.export_col_grid_code() },
		{ key: 'grid_name', head: m.export_col_grid() }
	];
	if (kind === 'progress')
		return [
			...grid,
			...(level === 'records'
				? [
						{ key: 'building_name', head: m.export_col_building() },
						{ key: 'residents', head: m.export_col_residents(), format: 'count' as const }
					]
				: []),
			{ key: 'households', head: m.export_col_households(), format: 'count' },
			{ key: 'screened', head: m.export_col_screened(), format: 'count' },
			{ key: 'remaining', head: m.export_col_remaining(), format: 'count' },
			{ key: 'coverage', head: m.export_col_coverage(), format: 'share' },
			...(level === 'records'
				? [
						{ key: 'flagged', head: m.export_col_flagged(), format: 'count' as const },
						{ key: 'unreachable', head: m.export_col_unreachable(), format: 'count' as const },
						{ key: 'not_started', head: m.export_col_not_started(), format: 'count' as const }
					]
				: [])
		];
	if (kind === 'special_groups')
		return level === 'records'
			? [
					...grid,
					{ key: 'building_name', head: m.export_col_building() },
					{ key: 'room', head: m.export_col_room() },
					{ key: 'name', head: m.export_col_name() },
					{ key: 'gender', head: m.export_col_gender(), words: gender },
					{ key: 'birth_year', head: m.export_col_birth_year(), format: 'count' },
					{ key: 'id_number_masked', head: m.export_col_id_number() },
					{ key: 'phone_masked', head: m.export_col_phone() },
					{ key: 'special_groups', head: m.export_col_groups(), words: specialGroupLabel },
					{ key: 'needs', head: m.export_col_needs(), words: (v) => NEEDS[v]?.() ?? v },
					{ key: 'isolation_until', head: m.export_col_isolation_until() }
				]
			: [
					...grid,
					{ key: 'special_group', head: m.export_col_groups(), words: specialGroupLabel },
					{ key: 'residents', head: m.export_col_people(), format: 'count' }
				];
	return level === 'records'
		? [
				{ key: 'id', head: m.export_col_lead_id(), format: 'count' },
				...grid,
				{ key: 'title', head: m.export_col_title() },
				{ key: 'kind', head: m.export_col_lead_kind(), words: (v) => LEAD_KINDS[v]?.() ?? v },
				{ key: 'status', head: m.export_col_status(), words: (s) => leadStatusLabel(s as LeadStatus) },
				{ key: 'reported_at', head: m.export_col_reported_at(), format: 'datetime' },
				{ key: 'deadline', head: m.export_col_deadline(), format: 'datetime' },
				{ key: 'overdue', head: m.export_col_overdue(), words: yesNo },
				{ key: 'assignee', head: m.export_col_assignee() },
				{ key: 'closed_at', head: m.export_col_closed_at(), format: 'datetime' }
			]
		: [
				...grid,
				{ key: 'status', head: m.export_col_status(), words: (s) => leadStatusLabel(s as LeadStatus) },
				{ key: 'leads', head: m.export_col_count(), format: 'count' }
			];
}

const TITLES: Record<ExportKind, () => string> = {
	progress: m.export_progress,
	special_groups: m.export_special_groups,
	leads: m.export_leads
};

export const POST: RequestHandler = async ({ params, request, locals }) => {
	const membership = locals.membership;
	if (!membership) error(403, m.login_no_membership());
	const kind = params.kind as ExportKind;
	if (levelOfCode(params.unit) === null || !EXPORT_KINDS.includes(kind)) error(404, m.error_not_found());
	if (!isWithin(params.unit, membership.unit_code)) refuseOutsideScope();
	if (membership.role === 'volunteer') error(403, m.error_forbidden());
	const purpose = String((await request.formData()).get('purpose') ?? '').trim();
	if (purpose.length < 2) error(400, m.export_purpose_required());
	let data;
	try {
		data = await exportUnit(locals.supabase, params.unit, kind, purpose);
	} catch (e) {
		if (e instanceof DbRefusal) error(403, e.message);
		throw e;
	}
	const [unit] = await units.read(locals.supabase, [params.unit]);
	const cols = columns(kind, data.level);
	const title = `${unit?.name ?? params.unit}${TITLES[kind]()}`;
	const file = await writeWorkbook(
		[
			{
				name: TITLES[kind](),
				head: cols.map((c) => c.head),
				rows: data.rows.map((r) => rowCells(r, cols)),
				formats: Object.fromEntries(
					cols.flatMap((c, i) =>
						c.format === 'share' ? [[i, '0.0%']] : c.format === 'count' ? [[i, '#,##0']] : []
					)
				)
			}
		],
		{ title, creator: membership.display_name || m.app_name() }
	);
	const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
	const name = `${title}-${day}.xlsx`;
	return new Response(new Uint8Array(file), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="export-${kind}-${day}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
			'cache-control': 'private, no-store'
		}
	});
};
