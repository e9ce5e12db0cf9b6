/** Words of the screening board in the user's language (message functions picked by key). */
import type { Flag, HouseholdStatus, Outcome } from '$lib/domain/screening';
import type { EntryState } from '$lib/offline/outbox.svelte';
import { m } from '$lib/paraglide/messages';
export { buildingStatusLabel, methodLabel } from '../labels';

const OUTCOMES: Record<Outcome, () => string> = {
	normal: m.outcome_normal,
	unreachable: m.outcome_unreachable,
	flagged: m.outcome_flagged
};
export const outcomeLabel = (o: string | null | undefined): string =>
	o ? (OUTCOMES[o as Outcome]?.() ?? o) : '—';

/** A screening's outcome on the board: null there means someone was reached and the outcome is not the reader's. */
export const screeningOutcomeLabel = (o: Outcome | null): string =>
	o === null ? m.outcome_reached() : outcomeLabel(o);

const FLAGS: Record<Flag, () => string> = {
	fever: m.flag_fever,
	cough: m.flag_cough,
	travel_history: m.flag_travel_history,
	close_contact: m.flag_close_contact,
	home_isolation: m.flag_home_isolation
};
export const flagLabel = (f: string): string => FLAGS[f as Flag]?.() ?? f;

const STATUSES: Record<HouseholdStatus | 'pending' | 'no_households', () => string> = {
	not_started: m.status_not_started,
	unreachable: m.status_unreachable,
	door: m.status_door,
	phone: m.status_phone,
	flagged: m.status_flagged,
	pending: m.board_status_pending,
	no_households: m.board_status_no_households
};
export const householdStatusLabel = (s: string): string => STATUSES[s as HouseholdStatus]?.() ?? s;

/** What the page says about an entry it has just recorded, as the queue moves it on; null once discarded. */
export function entryNotice(entry: EntryState, online: boolean): { text: string; error: boolean } | null {
	switch (entry.state) {
		case 'pending':
			return {
				text: !online
					? m.board_saved_offline()
					: entry.retrying
						? m.board_saved_retrying()
						: m.board_saved_sending(),
				error: false
			};
		case 'failed':
			return { text: m.board_sync_failed({ reason: entry.error ?? '' }), error: true };
		case 'sent':
			return { text: m.board_synced(), error: false };
		case 'discarded':
			return null;
	}
}
