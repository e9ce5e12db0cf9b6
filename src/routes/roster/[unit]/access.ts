/** Who may open a unit's roster: its community or street staff; volunteers see their own shifts. */
import { error } from '@sveltejs/kit';
import { DEFAULT_SLOTS_TEXT, parseDay, parseSlots, type Slot } from '$lib/domain/roster';
import { RESPONSE_END } from '$lib/domain/response';
import { isWithin, levelOfCode } from '$lib/domain/units';
import type { Membership } from '$lib/server/members';
import { m } from '$lib/paraglide/messages';

export function requireRosterStaff(locals: App.Locals, unit: string): Membership {
	const membership = locals.membership;
	if (!membership) error(403, m.login_no_membership());
	if (membership.role !== 'commander' && membership.role !== 'secretary') error(403, m.roster_forbidden());
	const level = levelOfCode(unit);
	if (level !== 'street' && level !== 'community') error(404, m.roster_level());
	if (!isWithin(unit, membership.unit_code)) error(403, m.error_forbidden());
	return membership;
}

/** The day and slots of a roster view, from its URL (defaults: the response's last day, four slots). */
export function rosterView(url: URL): { day: string; slots: Slot[]; slotsText: string } {
	const dayParam = url.searchParams.get('day');
	const day = dayParam === null ? RESPONSE_END : parseDay(dayParam);
	if (!day) error(400, m.roster_bad_day());
	const slotsText = url.searchParams.get('slots') ?? DEFAULT_SLOTS_TEXT;
	const parsed = parseSlots(slotsText);
	if ('error' in parsed) error(400, m.roster_bad_slots({ piece: parsed.error }));
	return { day, slots: parsed.slots, slotsText };
}
