/** Who may open the grid screens of a unit: the community's secretary, or the commander of its street. */
import { error } from '@sveltejs/kit';
import { isWithin, levelOfCode } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import { refuseOutsideScope } from '$lib/server/access';
import type { Membership } from '$lib/server/members';

/** The unit's level ('street' lists communities, 'community' edits), or an HTTP error. */
export function gridAccess(membership: Membership | null, unit: string): 'street' | 'community' {
	if (!membership) error(403, m.login_no_membership());
	const level = levelOfCode(unit);
	if (level !== 'street' && level !== 'community') error(404, m.error_not_found());
	if (membership.role !== 'secretary' && membership.role !== 'commander') error(403, m.error_forbidden());
	if (!isWithin(unit, membership.unit_code)) refuseOutsideScope();
	return level;
}
