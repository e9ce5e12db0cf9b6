import { error } from '@sveltejs/kit';
import { isWithin, levelOfCode } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import { refuseOutsideScope } from '$lib/server/access';
import * as units from '$lib/server/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const membership = locals.membership;
	if (!membership) error(403, m.login_no_membership());
	if (levelOfCode(params.unit) === null) error(404, m.error_not_found());
	if (!isWithin(params.unit, membership.unit_code)) refuseOutsideScope();
	if (membership.role === 'volunteer') error(403, m.error_forbidden());
	const [unit] = await units.read(locals.supabase, [params.unit]);
	if (!unit) error(404, m.error_not_found());
	return { unit: { code: unit.code, name: unit.name }, counts: membership.role === 'leader' };
};
