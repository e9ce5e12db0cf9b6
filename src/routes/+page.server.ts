import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';

/** Everyone lands on their own unit. */
export const load: PageServerLoad = ({ locals }) => {
	if (!locals.membership) error(403, m.login_no_membership());
	redirect(303, `/map/${locals.membership.unit_code}`);
};
