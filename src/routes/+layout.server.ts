import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	membership: locals.membership,
	email: locals.user?.email ?? null
});
