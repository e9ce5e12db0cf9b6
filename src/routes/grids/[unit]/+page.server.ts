import { error, fail } from '@sveltejs/kit';
import { planGrids, type GridDraft } from '$lib/domain/grid-plan';
import { m } from '$lib/paraglide/messages';
import * as coverage from '$lib/server/coverage';
import * as grids from '$lib/server/grids';
import * as units from '$lib/server/units';
import { gridAccess } from './access';
import type { Actions, PageServerLoad } from './$types';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export const load: PageServerLoad = async ({ params, locals }) => {
	const level = gridAccess(locals.membership, params.unit);
	if (level === 'street') {
		const areas = await units.listWithChildren(locals.supabase, params.unit);
		const street = areas.find((a) => a.code === params.unit);
		if (!street) error(404, m.error_not_found());
		return {
			level,
			unit: { code: street.code, name: street.name },
			communities: areas.filter((a) => a.code !== street.code).map((a) => ({ code: a.code, name: a.name }))
		};
	}
	const community = await grids.readCommunity(locals.supabase, params.unit);
	if (!community) error(404, m.error_not_found());
	const [gridRows, buildings, people, counts] = await Promise.all([
		grids.listGrids(locals.supabase, community.code),
		grids.listBuildings(locals.supabase, community.code),
		grids.listPeople(locals.supabase, community.code),
		coverage.byUnit(locals.supabase, community.code, today())
	]);
	const households = Object.fromEntries(
		counts.filter((c) => !c.is_parent).map((c) => [c.code, c.households])
	);
	return {
		level,
		unit: { code: community.code, name: community.name },
		community,
		grids: gridRows,
		buildings,
		people,
		households
	};
};

/** The JSON of a form field, or undefined when it is missing or not JSON. */
function jsonField(form: FormData, name: string): unknown {
	const value = form.get(name);
	if (typeof value !== 'string') return undefined;
	try {
		return JSON.parse(value);
	} catch {
		return undefined;
	}
}

export const actions: Actions = {
	/** Saves the grids as drawn: planned again here (rings, tiling, moves) before the database checks them too. */
	save: async ({ params, request, locals }) => {
		if (gridAccess(locals.membership, params.unit) !== 'community') error(400, m.error_bad_view());
		const form = await request.formData();
		const drafts = jsonField(form, 'grids');
		if (!Array.isArray(drafts) || drafts.length === 0 || drafts.length > 999)
			return fail(400, { save: { message: m.grids_error_grids_empty() } });
		const community = await grids.readCommunity(locals.supabase, params.unit);
		if (!community) error(404, m.error_not_found());
		const buildings = await grids.listBuildings(locals.supabase, community.code);
		const plan = planGrids({
			community: { code: community.code, geometry: community.geometry },
			grids: drafts.map((d: Partial<GridDraft>): GridDraft => ({
				code: String(d?.code ?? ''),
				name: String(d?.name ?? ''),
				geometry: d?.geometry,
				center: Array.isArray(d?.center) ? d.center : null
			})),
			buildings
		});
		if (!plan.ok)
			return fail(400, { save: { message: m.grids_error_plan(), problems: plan.problems.length } });
		try {
			const result = await grids.saveBoundaries(locals.supabase, community.code, plan.grids, plan.moves);
			return { save: { result } };
		} catch (e) {
			if (e instanceof grids.DbRefusal) return fail(409, { save: { message: e.message, hint: e.hint } });
			throw e;
		}
	},

	/** Puts a person in a grid, or takes them out (grid ''). */
	assign: async ({ params, request, locals }) => {
		gridAccess(locals.membership, params.unit);
		const form = await request.formData();
		const id = Number(form.get('volunteer_id'));
		const grid = String(form.get('grid_code') ?? '');
		if (!Number.isInteger(id) || id <= 0 || (grid !== '' && !grid.startsWith(params.unit)))
			return fail(400, { assign: { id, message: m.grids_error_member() } });
		try {
			await grids.assignMember(locals.supabase, id, grid === '' ? null : grid);
			return { assign: { id, grid } };
		} catch (e) {
			if (e instanceof grids.DbRefusal) return fail(409, { assign: { id, message: e.message } });
			throw e;
		}
	}
};
