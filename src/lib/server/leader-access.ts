/**
 * Who may open the leaders' screens (overview, organisations, daily briefing) of a unit: leaders, street
 * commanders and community secretaries, for their own unit and below. The database checks scope again in
 * every function these screens call; this only turns a refusal into a clear page instead of a failed query.
 */
import { error } from '@sveltejs/kit';
import { isWithin, levelOfCode } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import { refuseOutsideScope } from './access';
import type { Membership, Role } from './members';

export const LEADER_VIEW_ROLES: readonly Role[] = ['leader', 'commander', 'secretary'];

export function requireLeaderView(membership: Membership | null, code: string): Membership {
	if (!membership) error(403, m.login_no_membership());
	if (levelOfCode(code) === null) error(404, m.error_not_found());
	if (!isWithin(code, membership.unit_code)) refuseOutsideScope();
	if (!LEADER_VIEW_ROLES.includes(membership.role)) error(403, m.error_forbidden());
	return membership;
}
