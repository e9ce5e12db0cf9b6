/**
 * Who may open a screen for a unit: a member, the unit a valid code within the member's own, and the member's
 * role among the screen's. Row-level security would return nothing outside the unit anyway; saying so is
 * kinder than an empty screen.
 */
import { error } from '@sveltejs/kit';
import { isWithin, levelOfCode, type UnitLevel } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import type { Membership, Role } from './members';

export function requireMember(
	membership: Membership | null,
	unit: string,
	roles: readonly Role[],
	levels: readonly UnitLevel[]
): Membership {
	if (!membership) error(403, m.login_no_membership());
	const level = levelOfCode(unit);
	if (level === null) error(404, m.error_not_found());
	if (!isWithin(unit, membership.unit_code) || !roles.includes(membership.role))
		error(403, m.error_forbidden());
	if (!levels.includes(level)) error(400, m.error_unit_level());
	return membership;
}
