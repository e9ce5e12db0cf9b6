import { error } from '@sveltejs/kit';
import { parseDayIn } from '$lib/domain/response';
import { ancestorCodes } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import { requireLeaderView } from '$lib/server/leader-access';
import * as organisations from '$lib/server/organisations';
import * as responses from '$lib/server/responses';
import * as units from '$lib/server/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { params, url, locals } = event;
	const code = params.unit;
	const membership = requireLeaderView(locals.membership, code);
	const { response, period, context } = await responses.forUnit(event, code);
	const dateParam = url.searchParams.get('date');
	const date = dateParam ? parseDayIn(dateParam, period) : period.last;
	if (!date) error(400, m.error_bad_date(period));

	const [overview, trail, children] = await Promise.all([
		organisations.overview(locals.supabase, code, date),
		units.read(
			locals.supabase,
			ancestorCodes(code).filter((c) => c.length >= membership.unit_code.length)
		),
		units.listChildren(locals.supabase, code)
	]);
	const unit = trail.find((t) => t.code === code);
	if (!unit) error(404, m.error_not_found());
	return {
		unit: { code, name: unit.name },
		date,
		period,
		responseParam: context.isDefault ? null : response.id,
		trail,
		// Grids have no organisations of their own: the list stops at communities.
		children: code.length < 12 ? children : [],
		overview
	};
};
