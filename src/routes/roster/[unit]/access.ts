/** Who may open a unit's roster: its community or street staff; volunteers see their own shifts. */
import { error, type RequestEvent } from '@sveltejs/kit';
import { DEFAULT_SLOTS_TEXT, parseDay, parseSlots, type Slot } from '$lib/domain/roster';
import { addDays } from '$lib/domain/response';
import * as responses from '$lib/server/responses';
import { isWithin, levelOfCode } from '$lib/domain/units';
import { refuseOutsideScope } from '$lib/server/access';
import type { Membership } from '$lib/server/members';
import { m } from '$lib/paraglide/messages';

export function requireRosterStaff(locals: App.Locals, unit: string): Membership {
	const membership = locals.membership;
	if (!membership) error(403, m.login_no_membership());
	if (membership.role !== 'commander' && membership.role !== 'secretary') error(403, m.roster_forbidden());
	const level = levelOfCode(unit);
	if (level !== 'street' && level !== 'community') error(404, m.roster_level());
	if (!isWithin(unit, membership.unit_code)) refuseOutsideScope();
	return membership;
}

/** How far ahead a running response's roster may be planned (as public.roster_day allows). */
export const PLAN_AHEAD_DAYS = 14;

/**
 * The day and slots of a roster view, from its URL (defaults: the response's last day, today while it runs, and
 * four slots). A running response's roster may be planned up to two weeks ahead.
 */
export async function rosterView(
	event: Pick<RequestEvent, 'locals' | 'url' | 'params'>,
	unit: string
): Promise<{
	day: string;
	slots: Slot[];
	slotsText: string;
	first: string;
	last: string;
	/** The response when the link names one that is not the user's default (links keep it). */
	response: number | null;
}> {
	const { response, period, context } = await responses.forUnit(event, unit);
	const first = period.first;
	const last = period.running ? addDays(period.last, PLAN_AHEAD_DAYS) : period.last;
	const dayParam = event.url.searchParams.get('day');
	const day = dayParam === null ? period.last : parseDay(dayParam);
	if (!day || day < first || day > last) error(400, m.roster_bad_day());
	const url = event.url;
	const slotsText = url.searchParams.get('slots') ?? DEFAULT_SLOTS_TEXT;
	const parsed = parseSlots(slotsText);
	if ('error' in parsed) error(400, m.roster_bad_slots({ piece: parsed.error }));
	return {
		day,
		slots: parsed.slots,
		slotsText,
		first,
		last,
		response: context.isDefault ? null : response.id
	};
}
