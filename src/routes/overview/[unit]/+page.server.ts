import { error } from '@sveltejs/kit';
import { parseRanking, rankingLevels } from '$lib/domain/ranking';
import { ancestorCodes } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import * as coverage from '$lib/server/coverage';
import { requireLeaderView } from '$lib/server/leader-access';
import * as ranking from '$lib/server/ranking';
import * as responses from '$lib/server/responses';
import * as units from '$lib/server/units';
import type { PageServerLoad } from './$types';

/** How many lagging units the overview lists. */
const RANKED = 20;

export const load: PageServerLoad = async (event) => {
	const { params, url, locals } = event;
	const code = params.unit;
	const membership = requireLeaderView(locals.membership, code);
	const { response, period, context } = await responses.forUnit(event, code);
	const query = parseRanking(url.searchParams, code, period);
	if ('error' in query)
		error(
			400,
			query.error === 'bad_date'
				? m.error_bad_date(period)
				: query.error === 'bad_level'
					? m.overview_error_level()
					: m.overview_error_valid()
		);

	const [rows, trail, ranked] = await Promise.all([
		coverage.byUnit(locals.supabase, code, query.date, null, query.validDays),
		units.read(
			locals.supabase,
			ancestorCodes(code).filter((c) => c.length >= membership.unit_code.length)
		),
		query.level
			? ranking.lagging(locals.supabase, code, { ...query, level: query.level }, RANKED)
			: Promise.resolve([])
	]);
	const summary = rows.find((r) => r.is_parent);
	if (!summary) error(404, m.error_not_found());
	return {
		unit: { code, name: summary.name, level: summary.level },
		trail,
		query,
		period,
		responseParam: context.isDefault ? null : response.id,
		levels: rankingLevels(code),
		summary,
		children: rows.filter((r) => !r.is_parent),
		ranking: ranked
	};
};
