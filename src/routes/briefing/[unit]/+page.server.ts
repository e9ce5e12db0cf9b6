import { error } from '@sveltejs/kit';
import { ancestorCodes } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import * as briefing from '$lib/server/briefing';
import * as units from '$lib/server/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const { code, date } = briefing.parseRequest(locals.membership, params.unit, url);
	const own = locals.membership!.unit_code;
	const [data, trail] = await Promise.all([
		briefing.read(locals.supabase, code, date),
		units.read(
			locals.supabase,
			ancestorCodes(code).filter((c) => c.length >= own.length)
		)
	]);
	if (!data) error(404, m.error_not_found());
	return { ...data, trail };
};
