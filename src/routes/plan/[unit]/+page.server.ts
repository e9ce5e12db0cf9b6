import { error, fail } from '@sveltejs/kit';
import type { FeatureCollection } from 'geojson';
import { locateCommunity, readCheckpointForm, readPoint } from '$lib/domain/checkpoint-plan';
import { isWithin, levelOfCode } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import { refuseOutsideScope } from '$lib/server/access';
import * as checkpoints from '$lib/server/checkpoints';
import * as responses from '$lib/server/responses';
import * as units from '$lib/server/units';
import { isAreal, type Areal } from '$lib/spatial/areal';
import type { Actions, PageServerLoad } from './$types';

/** Checkpoint planning is for the staff who place checkpoints: street commanders and community secretaries. */
function requireStaff(locals: App.Locals, unit: string) {
	const membership = locals.membership;
	if (!membership) error(403, m.login_no_membership());
	if (membership.role !== 'commander' && membership.role !== 'secretary') error(403, m.plan_forbidden());
	const level = levelOfCode(unit);
	if (level !== 'street' && level !== 'community') error(404, m.plan_level());
	if (!isWithin(unit, membership.unit_code)) refuseOutsideScope();
	return membership;
}

/** The unit's communities with their boundaries: a street's children, or the community itself. */
async function communitiesOf(locals: App.Locals, unit: string) {
	const areas = await units.listWithChildren(locals.supabase, unit);
	const self = areas.find((a) => a.code === unit);
	if (!self || !self.geometry) error(404, m.error_not_found());
	const communities = (unit.length === 9 ? areas.filter((a) => a.code !== unit) : [self]).map((c) => ({
		...c,
		geometry: isAreal(c.geometry) ? c.geometry : null
	}));
	return { self, communities };
}

export const load: PageServerLoad = async (event) => {
	const { params, locals } = event;
	const unit = params.unit;
	requireStaff(locals, unit);
	// Households by building as of the response's last day (today while it runs).
	const { period } = await responses.forUnit(event, unit);
	const [{ self, communities }, buildingRows, entrances, checkpointRows] = await Promise.all([
		communitiesOf(locals, unit),
		checkpoints.buildings(locals.supabase, unit, period.last),
		checkpoints.marketEntrances(locals.supabase, unit),
		checkpoints.listOpen(locals.supabase, unit)
	]);
	const boundaries: FeatureCollection = {
		type: 'FeatureCollection',
		features: communities
			.filter((c) => c.geometry)
			.map((c) => ({
				type: 'Feature',
				id: c.code,
				geometry: c.geometry!,
				properties: { code: c.code, name: c.name }
			}))
	};
	return {
		unit: { code: self.code, name: self.name, level: self.level, geometry: self.geometry as Areal },
		communities: communities.map((c) => ({ code: c.code, name: c.name })),
		boundaries,
		bounds: [self.min_lon!, self.min_lat!, self.max_lon!, self.max_lat!] as [number, number, number, number],
		buildings: buildingRows,
		entrances,
		checkpoints: checkpointRows
	};
};

/**
 * The community a point is placed in: the one whose boundary holds it. A point outside every community (so
 * outside the unit) goes to the database anyway, under the community it came from, and the database refuses it
 * in its own words: the app's check (in the browser, before sending) and the database's are separate.
 */
async function communityFor(
	locals: App.Locals,
	unit: string,
	lon: number,
	lat: number,
	fallback: string | null
) {
	const { communities } = await communitiesOf(locals, unit);
	return locateCommunity(communities, lon, lat) ?? fallback ?? communities[0].code;
}

function idOf(form: FormData): number | null {
	const id = Number(form.get('id'));
	return Number.isInteger(id) && id > 0 ? id : null;
}

export const actions: Actions = {
	create: async ({ request, params, locals }) => {
		requireStaff(locals, params.unit);
		const form = await request.formData();
		const read = readCheckpointForm(form);
		const point = readPoint(form);
		if ('errors' in read || !point)
			return fail(400, {
				action: 'create',
				errors: 'errors' in read ? read.errors : {},
				message: point ? m.plan_form_invalid() : m.plan_no_point()
			});
		const community = await communityFor(locals, params.unit, point.lon, point.lat, null);
		const result = await checkpoints.create(locals.supabase, {
			...read.values,
			...point,
			community_code: community
		});
		if ('message' in result)
			return fail(400, { action: 'create', errors: {}, message: result.message, hint: result.hint });
		return { action: 'create', id: result.id };
	},

	update: async ({ request, params, locals }) => {
		requireStaff(locals, params.unit);
		const form = await request.formData();
		const id = idOf(form);
		const read = readCheckpointForm(form);
		const status = String(form.get('status') ?? 'active');
		if (!id || 'errors' in read || !['active', 'paused'].includes(status))
			return fail(400, {
				action: 'update',
				errors: 'errors' in read ? read.errors : {},
				message: m.plan_form_invalid()
			});
		const result = await checkpoints.update(locals.supabase, id, { ...read.values, status });
		if ('message' in result)
			return fail(400, { action: 'update', errors: {}, message: result.message, hint: result.hint });
		return { action: 'update', id };
	},

	move: async ({ request, params, locals }) => {
		requireStaff(locals, params.unit);
		const form = await request.formData();
		const id = idOf(form);
		const point = readPoint(form);
		if (!id || !point) return fail(400, { action: 'move', errors: {}, message: m.plan_no_point() });
		const from = String(form.get('community_code') ?? '') || null;
		const community = await communityFor(locals, params.unit, point.lon, point.lat, from);
		const result = await checkpoints.update(locals.supabase, id, { ...point, community_code: community });
		if ('message' in result)
			return fail(400, { action: 'move', errors: {}, message: result.message, hint: result.hint });
		return { action: 'move', id };
	},

	close: async ({ request, params, locals }) => {
		requireStaff(locals, params.unit);
		const form = await request.formData();
		const id = idOf(form);
		if (!id) return fail(400, { action: 'close', errors: {}, message: m.plan_form_invalid() });
		const result = await checkpoints.update(locals.supabase, id, { status: 'closed' });
		if ('message' in result)
			return fail(400, { action: 'close', errors: {}, message: result.message, hint: result.hint });
		return { action: 'close', id };
	}
};
