/**
 * Who may open a screen for a unit: a member, the unit a valid code within the member's own, and the member's
 * role among the screen's. Row-level security would return nothing outside the unit anyway; saying so is
 * kinder than an empty screen.
 */
import { error } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';
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
	if (!isWithin(unit, membership.unit_code)) refuseOutsideScope();
	if (!roles.includes(membership.role)) error(403, m.error_forbidden());
	if (!levels.includes(level)) error(400, m.error_unit_level());
	return membership;
}

/**
 * Refuses the unit of this request, which lies outside the member's own: "not found" when no unit has its
 * code, else "forbidden". Whether it exists was asked once per request in hooks.server.ts (the member cannot
 * read units outside their scope); the request's locals are reached through SvelteKit's getRequestEvent, so
 * every screen's check stays a plain call.
 */
export function refuseOutsideScope(): never {
	if (getRequestEvent().locals.unitMissing) error(404, m.error_not_found());
	error(403, m.error_forbidden());
}
