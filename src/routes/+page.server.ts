import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { PageServerLoad } from './$types';

/** Everyone lands on their own unit: an administrator on its people, everyone else on its map. */
export const load: PageServerLoad = ({ locals }) => {
	if (!locals.membership) error(403, m.login_no_membership());
	const { role, unit_code } = locals.membership;
	redirect(303, role === 'admin' ? `/people/${unit_code}` : `/map/${unit_code}`);
};
