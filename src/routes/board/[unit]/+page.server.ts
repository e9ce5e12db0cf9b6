import { error } from '@sveltejs/kit';
import { openRoundOf, parseBoardView } from '$lib/domain/board';
import { coverageChoropleth } from '$lib/domain/choropleth';
import { ancestorCodes } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import * as board from '$lib/server/board';
import * as coverage from '$lib/server/coverage';
import * as responses from '$lib/server/responses';
import * as rounds from '$lib/server/rounds';
import * as units from '$lib/server/units';
import * as retention from '$lib/server/retention';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { params, url, locals, parent } = event;
	const { staff } = await parent();
	const membership = locals.membership!;
	const code = params.unit;
	// The board works in the present: today in China while the response runs, its last day once it has ended.
	const { response, period, context } = await responses.forUnit(event, code);
	const today = period.last;
	// Rounds over the unit or above it: a grid's own round is that grid's board's business.
	const roundList = (await rounds.forUnit(locals.supabase, code, response.id)).filter((r) =>
		code.startsWith(r.unit_code ?? '')
	);
	const view = parseBoardView(url.searchParams, period, roundList);
	if ('error' in view) error(400, m.board_error_view());
	// The households not re-screened carry names: staff only.
	if (view.view === 'stale' && !staff) error(403, m.error_forbidden());

	const [areas, trail, buildings, rows, stale, purgedAt] = await Promise.all([
		units.listWithChildren(locals.supabase, code),
		units.read(
			locals.supabase,
			ancestorCodes(code).filter((c) => c.length >= membership.unit_code.length)
		),
		board.buildings(locals.supabase, code, view.round),
		coverage.byUnit(locals.supabase, code, today, view.round),
		view.view === 'stale'
			? board.notRescreened(locals.supabase, code, view.days, view.asOf)
			: Promise.resolve(null),
		retention.purgedAt(locals.supabase)
	]);
	const unit = areas.find((a) => a.code === code);
	if (!unit) error(404, m.error_not_found());
	const byCode = new Map(rows.map((r) => [r.code, r]));
	const children = areas.filter((a) => a.code !== code && a.geometry);
	const choropleth = coverageChoropleth(children.length > 0 ? children : [unit], rows);

	return {
		purgedAt,
		unit: { code: unit.code, name: unit.name, level: unit.level },
		trail,
		today,
		view,
		rounds: roundList.filter((r) => r.starts_on <= today),
		round: roundList.find((r) => r.id === view.round) ?? null,
		// The round a screening recorded now is filed under (null: none is open, and screenings are refused).
		openRound: period.running ? (openRoundOf(roundList, context.today) ?? null) : null,
		response,
		responseParam: context.isDefault ? null : response.id,
		summary: byCode.get(code) ?? null,
		areaNames: Object.fromEntries(areas.map((a) => [a.code, a.name])),
		choropleth,
		bounds: await units.mapExtent(
			locals.supabase,
			unit,
			areas.filter((a) => a.code !== code)
		),
		buildings,
		stale
	};
};
