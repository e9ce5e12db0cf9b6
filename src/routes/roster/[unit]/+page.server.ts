import { error, fail } from '@sveltejs/kit';
import type { FeatureCollection } from 'geojson';
import { addDays, rosterGrid } from '$lib/domain/roster';
import { isWithin, levelOfCode } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import { refuseOutsideScope } from '$lib/server/access';
import * as roster from '$lib/server/roster';
import * as units from '$lib/server/units';
import { requireRosterStaff, rosterView } from './access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { params, locals } = event;
	const membership = locals.membership;
	if (!membership) error(403, m.login_no_membership());
	const unit = params.unit;
	if (levelOfCode(unit) === null) error(404, m.error_not_found());
	if (!isWithin(unit, membership.unit_code)) refuseOutsideScope();

	// A volunteer: their own shifts and hours, wherever served.
	if (membership.role === 'volunteer') {
		if (!membership.volunteer_id) error(403, m.roster_no_volunteer());
		const [shifts, hours] = await Promise.all([
			roster.ownShifts(locals.supabase, membership.volunteer_id),
			roster.hours(locals.supabase, unit, null, 'volunteer')
		]);
		return { mode: 'volunteer' as const, unitCode: unit, shifts, hours: hours[0] ?? null };
	}

	requireRosterStaff(locals, unit);
	const view = await rosterView(event, unit);
	const [self, rows, filters, byOrganisation, byTeam, byVolunteer] = await Promise.all([
		units.listWithChildren(locals.supabase, unit),
		roster.day(locals.supabase, unit, view.day, view.slots),
		roster.filterOptions(locals.supabase, unit),
		roster.hours(locals.supabase, unit, view.day, 'organisation'),
		roster.hours(locals.supabase, unit, view.day, 'team'),
		roster.hours(locals.supabase, unit, view.day, 'volunteer')
	]);
	const me = self.find((u) => u.code === unit);
	if (!me) error(404, m.error_not_found());
	const communities = unit.length === 9 ? self.filter((u) => u.code !== unit) : [me];
	const boundaries: FeatureCollection = {
		type: 'FeatureCollection',
		features: communities.flatMap((c) =>
			c.geometry
				? [{ type: 'Feature', geometry: c.geometry, properties: { code: c.code, name: c.name } }]
				: []
		)
	};
	return {
		mode: 'staff' as const,
		boundaries,
		unit: { code: me.code, name: me.name, level: me.level },
		bounds: [me.min_lon!, me.min_lat!, me.max_lon!, me.max_lat!] as [number, number, number, number],
		view,
		grid: rosterGrid(rows),
		filters: {
			...filters,
			communities: communities.map((c) => ({ code: c.code, name: c.name }))
		},
		hours: { organisation: byOrganisation, team: byTeam, volunteer: byVolunteer.slice(0, 50) }
	};
};

const positiveInt = (value: FormDataEntryValue | null) => {
	const n = Number(value);
	return Number.isInteger(n) && n > 0 ? n : null;
};

export const actions: Actions = {
	assign: async ({ request, params, locals }) => {
		requireRosterStaff(locals, params.unit);
		const form = await request.formData();
		const checkpoint = positiveInt(form.get('checkpoint'));
		const volunteer = positiveInt(form.get('volunteer'));
		const starts = String(form.get('starts') ?? '');
		const ends = String(form.get('ends') ?? '');
		if (!checkpoint || !volunteer || Number.isNaN(Date.parse(starts)) || Number.isNaN(Date.parse(ends)))
			return fail(400, { action: 'assign', message: m.roster_bad_request() });
		const result = await roster.assign(locals.supabase, checkpoint, volunteer, starts, ends);
		if ('message' in result)
			return fail(400, { action: 'assign', message: result.message, hint: result.hint, volunteer });
		return { action: 'assign', shift: result.data, volunteer };
	},

	cancel: async ({ request, params, locals }) => {
		requireRosterStaff(locals, params.unit);
		const shift = positiveInt((await request.formData()).get('shift'));
		if (!shift) return fail(400, { action: 'cancel', message: m.roster_bad_request() });
		const result = await roster.cancel(locals.supabase, shift);
		if ('message' in result)
			return fail(400, { action: 'cancel', message: result.message, hint: result.hint });
		return { action: 'cancel', shift };
	},

	swap: async ({ request, params, locals }) => {
		requireRosterStaff(locals, params.unit);
		const form = await request.formData();
		const a = positiveInt(form.get('a'));
		const b = positiveInt(form.get('b'));
		if (!a || !b || a === b) return fail(400, { action: 'swap', message: m.roster_bad_request() });
		const result = await roster.swap(locals.supabase, a, b);
		if ('message' in result) return fail(400, { action: 'swap', message: result.message, hint: result.hint });
		return { action: 'swap' };
	},

	copy: async (event) => {
		const { request, params, locals } = event;
		requireRosterStaff(locals, params.unit);
		const view = await rosterView(event, params.unit);
		const to = String((await request.formData()).get('to') ?? addDays(view.day));
		const result = await roster.copyDay(locals.supabase, params.unit, view.day, to);
		if ('message' in result) return fail(400, { action: 'copy', message: result.message, hint: result.hint });
		return { action: 'copy', to, ...result.data };
	}
};
