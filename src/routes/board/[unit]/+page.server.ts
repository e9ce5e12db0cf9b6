import { error } from '@sveltejs/kit';
import { parseBoardView } from '$lib/domain/board';
import { coverageChoropleth } from '$lib/domain/choropleth';
import { shanghaiDay } from '$lib/domain/time';
import { ancestorCodes } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import * as board from '$lib/server/board';
import * as coverage from '$lib/server/coverage';
import * as rounds from '$lib/server/rounds';
import * as units from '$lib/server/units';
import * as retention from '$lib/server/retention';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url, locals, parent }) => {
	const { staff } = await parent();
	const membership = locals.membership!;
	const code = params.unit;
	// The board works in the present: today in China, whatever the server's zone.
	const today = shanghaiDay(new Date());
	const roundList = await rounds.forUnit(locals.supabase, code);
	const view = parseBoardView(url.searchParams, today, roundList);
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
		summary: byCode.get(code) ?? null,
		areaNames: Object.fromEntries(areas.map((a) => [a.code, a.name])),
		choropleth,
		bounds: [unit.min_lon ?? 105.4, unit.min_lat ?? 27.7, unit.max_lon ?? 106.2, unit.max_lat ?? 29.4] as [
			number,
			number,
			number,
			number
		],
		buildings,
		stale
	};
};
