import { requireMember } from '$lib/server/access';
import type { LayoutServerLoad } from './$types';

/** The board serves the unit's staff and its volunteers (who record screenings in their home community). */
export const load: LayoutServerLoad = ({ params, locals }) => {
	const membership = requireMember(
		locals.membership,
		params.unit,
		['secretary', 'commander', 'volunteer'],
		['street', 'community', 'grid']
	);
	return {
		// The phone's queue is kept per user: entries are never sent under another account.
		queueKey: `wanggetong.screenings.${locals.user!.id}`,
		staff: membership.role !== 'volunteer'
	};
};
