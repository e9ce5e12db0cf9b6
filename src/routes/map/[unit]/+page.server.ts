import { error } from '@sveltejs/kit';
import { coverageChoropleth } from '$lib/domain/choropleth';
import { ancestorCodes, isWithin, levelOfCode } from '$lib/domain/units';
import { layerHref, layersAvailable, parseView } from '$lib/domain/view';
import { m } from '$lib/paraglide/messages';
import { refuseOutsideScope } from '$lib/server/access';
import * as coverage from '$lib/server/coverage';
import * as dashboard from '$lib/server/dashboard';
import * as responses from '$lib/server/responses';
import * as rounds from '$lib/server/rounds';
import * as units from '$lib/server/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { params, url, locals } = event;
	const membership = locals.membership;
	if (!membership) error(403, m.login_no_membership());
	const code = params.unit;
	if (levelOfCode(code) === null) error(404, m.error_not_found());
	// RLS would return nothing above the user's unit anyway; saying so is kinder than an empty map.
	if (!isWithin(code, membership.unit_code)) refuseOutsideScope();
	const { response, period, context } = await responses.forUnit(event, code);
	const view = parseView(url.searchParams, code, period, context.isDefault ? null : response.id);
	if ('error' in view) error(400, view.error === 'bad_date' ? m.error_bad_date(period) : m.error_bad_view());
	// Coverage that expires is a window over all rounds: a round chosen as well would mean nothing.
	if (view.valid !== null) view.round = null;
	const asOf = view.date;
	// The layers' data is asked for with the document's first bytes (see hooks.server.ts).
	locals.preload = view.layers.filter((l) => l !== 'units').map((l) => layerHref(code, l, view));

	const [areas, rows, panel, roundList, trail] = await Promise.all([
		units.listWithChildren(locals.supabase, code),
		coverage.byUnit(locals.supabase, code, asOf, view.round, view.valid),
		dashboard.read(locals.supabase, code, view),
		rounds.forUnit(locals.supabase, code, response.id),
		units.read(
			locals.supabase,
			ancestorCodes(code).filter((c) => c.length >= membership.unit_code.length)
		)
	]);
	const unit = areas.find((a) => a.code === code);
	if (!unit) error(404, m.error_not_found());
	const byCode = new Map(rows.map((r) => [r.code, r]));
	const children = areas.filter((a) => a.code !== code && a.geometry);

	// Children as the choropleth; a grid (no children) shows itself.
	const choropleth = coverageChoropleth(children.length > 0 ? children : [unit], rows);
	const bounds = await units.mapExtent(locals.supabase, unit, children);

	return {
		unit: { code: unit.code, name: unit.name, level: unit.level },
		trail,
		asOf,
		view,
		period,
		availableLayers: layersAvailable(code),
		panel,
		rounds: roundList,
		summary: byCode.get(code) ?? null,
		children: rows.filter((r) => !r.is_parent),
		choropleth,
		bounds,
		drillable: children.length > 0
	};
};
