import { error, fail } from '@sveltejs/kit';
import type { Feature, FeatureCollection } from 'geojson';
import {
	canMove,
	DEADLINE_HOURS,
	isOverdue,
	reportProblems,
	type LeadKind,
	type LeadSource
} from '$lib/domain/leads';
import { LEAD_STATUSES, type LeadStatus } from '$lib/domain/map-features';
import { ancestorCodes, placeLabel } from '$lib/domain/units';
import { GridRouter } from '$lib/spatial/grid-router';
import { m } from '$lib/paraglide/messages';
import { requireMember } from '$lib/server/access';
import * as care from '$lib/server/care';
import { refusal } from '$lib/server/db-error';
import * as leads from '$lib/server/leads';
import * as units from '$lib/server/units';
import * as volunteers from '$lib/server/volunteers';
import * as retention from '$lib/server/retention';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['secretary', 'commander'] as const;
const LEVELS = ['street', 'community', 'grid'] as const;

function leadParam(url: URL): number | null {
	const v = url.searchParams.get('lead');
	return v && /^[1-9]\d{0,12}$/.test(v) ? Number(v) : null;
}

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const membership = requireMember(locals.membership, params.unit, ROLES, LEVELS);
	const code = params.unit;
	const now = new Date();
	const selectedId = leadParam(url);
	const [all, gridShapes, unitRows, trail, people, buildings, history, purgedAt] = await Promise.all([
		leads.list(locals.supabase, code),
		units.gridsUnder(locals.supabase, code),
		units.listWithChildren(locals.supabase, code),
		units.read(
			locals.supabase,
			ancestorCodes(code).filter((c) => c.length >= membership.unit_code.length)
		),
		volunteers.forUnit(locals.supabase, code),
		care.buildings(locals.supabase, code),
		selectedId ? leads.history(locals.supabase, selectedId) : Promise.resolve([]),
		retention.purgedAt(locals.supabase)
	]);
	const unit = unitRows.find((u) => u.code === code);
	if (!unit) error(404, m.error_not_found());
	const names = new Map(people.map((p) => [p.id, p.name]));
	// Above a community, grid names repeat (every community has a 第1网格): name the community too.
	const communities = new Map(unitRows.map((u) => [u.code, u.name]));
	const place = (gridCode: string, name: string) => placeLabel(code, gridCode, name, communities);
	const gridNames = new Map(gridShapes.map((g) => [g.code, place(g.code, g.name)]));
	const rows = all.map((l) => ({
		...l,
		overdue: isOverdue(l, now.getTime()),
		grid_name: gridNames.get(l.grid_code) ?? l.grid_code,
		assignee: l.assigned_volunteer_id ? (names.get(l.assigned_volunteer_id) ?? null) : null
	}));
	const gridFeatures: Feature[] = gridShapes.flatMap((g) =>
		g.geometry
			? [
					{
						type: 'Feature',
						id: g.code,
						geometry: g.geometry,
						// On a street's map the label says whose 第1网格 it is, on two lines.
						properties: { code: g.code, name: placeLabel(code, g.code, g.name, communities, '\n') }
					}
				]
			: []
	);
	return {
		purgedAt,
		unit: { code: unit.code, name: unit.name, level: unit.level },
		trail,
		now: now.toISOString(),
		leads: rows,
		// Overdue leads of the street: what the commander sees escalated, whichever community they are in.
		escalated: unit.level === 'street' ? rows.filter((l) => l.overdue) : [],
		selected: rows.find((l) => l.id === selectedId) ?? null,
		history,
		grids: gridShapes.map((g) => ({ ...g, label: gridNames.get(g.code) ?? g.name })),
		gridLines: { type: 'FeatureCollection', features: gridFeatures } as FeatureCollection,
		buildings: buildings.map((b) => ({ id: b.id, name: place(b.grid_code, b.name), grid_code: b.grid_code })),
		volunteers: people.map((p) => ({ id: p.id, name: p.name, kind: p.kind })),
		bounds: await units.mapExtent(
			locals.supabase,
			unit,
			unitRows.filter((a) => a.code !== code)
		)
	};
};

export const actions: Actions = {
	/** A new lead at a clicked place or a building; its grid found by point-in-polygon (checked again in SQL). */
	report: async ({ params, request, locals }) => {
		requireMember(locals.membership, params.unit, ROLES, LEVELS);
		const form = await request.formData();
		const text = (k: string) => String(form.get(k) ?? '').trim();
		let lon = Number(form.get('lon') || Number.NaN);
		let lat = Number(form.get('lat') || Number.NaN);
		const buildingId = Number(form.get('building_id') || 0);
		const values = {
			title: text('title'),
			description: text('description'),
			kind: text('kind') as LeadKind,
			source: text('source') as LeadSource,
			deadline_hours: Number(form.get('deadline_hours'))
		};
		if (buildingId > 0 && !(Number.isFinite(lon) && Number.isFinite(lat))) {
			const b = await leads.buildingPlace(locals.supabase, buildingId);
			if (b) ({ lon, lat } = b);
		}
		const problems = reportProblems({ ...values, lon, lat });
		if (problems.length > 0)
			return fail(400, {
				action: 'report',
				message: problems.includes('place') ? m.leads_pick_place() : m.error_invalid_input(),
				problems,
				values
			});
		const grid = GridRouter.from(await units.gridsUnder(locals.supabase, params.unit)).locate(lon, lat);
		if (!grid) return fail(400, { action: 'report', message: m.leads_outside_grids(), problems, values });
		try {
			const id = await leads.report(locals.supabase, {
				grid_code: grid.code,
				title: values.title,
				description: values.description || null,
				kind: values.kind,
				source: values.source,
				lon,
				lat,
				deadline: new Date(Date.now() + values.deadline_hours * 3600_000).toISOString()
			});
			return { action: 'report', ok: true, message: m.leads_reported({ grid: grid.name }), id };
		} catch (e) {
			const r = refusal(e);
			if (!r) throw e;
			return fail(r.status, { action: 'report', message: r.message, problems, values });
		}
	},

	move: async ({ params, request, locals }) => {
		requireMember(locals.membership, params.unit, ROLES, LEVELS);
		const form = await request.formData();
		const id = Number(form.get('lead_id'));
		const from = String(form.get('from')) as LeadStatus;
		const to = String(form.get('to')) as LeadStatus;
		const note = String(form.get('note') ?? '').trim();
		const volunteer = Number(form.get('volunteer_id') || 0);
		// A new deadline, counted from now, or the current one kept (empty).
		const hours = String(form.get('deadline_hours') ?? '');
		const deadlineHours = hours === '' ? null : Number(hours);
		if (
			!Number.isSafeInteger(id) ||
			!LEAD_STATUSES.includes(to) ||
			!canMove(from, to) ||
			(deadlineHours !== null && !DEADLINE_HOURS.includes(deadlineHours as (typeof DEADLINE_HOURS)[number]))
		)
			return fail(400, { action: 'move', message: m.error_invalid_input() });
		if (to === 'assigned' && volunteer <= 0)
			return fail(400, { action: 'move', message: m.leads_pick_assignee() });
		try {
			const deadline =
				deadlineHours === null ? null : new Date(Date.now() + deadlineHours * 3600_000).toISOString();
			await leads.move(locals.supabase, id, to, note || null, volunteer > 0 ? volunteer : null, deadline);
			return { action: 'move', ok: true, message: m.leads_moved() };
		} catch (e) {
			const r = refusal(e);
			if (!r) throw e;
			return fail(r.status, { action: 'move', message: r.message });
		}
	}
};
