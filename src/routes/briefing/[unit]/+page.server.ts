import { error } from '@sveltejs/kit';
import { ancestorCodes } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import * as briefing from '$lib/server/briefing';
import * as units from '$lib/server/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { params, locals } = event;
	const { code, date, period, responseParam } = await briefing.parseRequest(event, params.unit);
	const own = locals.membership!.unit_code;
	const [data, trail] = await Promise.all([
		briefing.read(locals.supabase, code, date, period.first),
		units.read(
			locals.supabase,
			ancestorCodes(code).filter((c) => c.length >= own.length)
		)
	]);
	if (!data) error(404, m.error_not_found());
	return { ...data, trail, period, responseParam };
};
