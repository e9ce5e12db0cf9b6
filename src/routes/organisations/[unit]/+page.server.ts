import { error } from '@sveltejs/kit';
import { RESPONSE_END, parseResponseDate } from '$lib/domain/response';
import { ancestorCodes } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import { requireLeaderView } from '$lib/server/leader-access';
import * as organisations from '$lib/server/organisations';
import * as units from '$lib/server/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const code = params.unit;
	const membership = requireLeaderView(locals.membership, code);
	const dateParam = url.searchParams.get('date');
	const date = dateParam ? parseResponseDate(dateParam) : RESPONSE_END;
	if (!date) error(400, m.error_bad_date());

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
		trail,
		// Grids have no organisations of their own: the list stops at communities.
		children: code.length < 12 ? children : [],
		overview
	};
};
