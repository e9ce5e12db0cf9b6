/** Names of layers, statuses and kinds in the user's language (message functions picked by key). */
import type { BuildingStatus, CheckpointKind, LeadStatus, StaffingClass } from '$lib/domain/map-features';
import type { LayerId } from '$lib/domain/view';
import type { SpecialGroup } from '$lib/domain/care';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

const LAYERS: Record<LayerId, () => string> = {
	units: m.layer_units,
	grids: m.layer_grids,
	buildings: m.layer_buildings,
	markets: m.layer_markets,
	checkpoints: m.layer_checkpoints,
	volunteers: m.layer_volunteers,
	leads: m.layer_leads,
	special: m.layer_special,
	heat: m.layer_heat
};
export const layerLabel = (id: LayerId): string => LAYERS[id]();

const BUILDING: Record<BuildingStatus | 'withheld', () => string> = {
	not_started: m.status_not_started,
	door: m.status_door,
	phone: m.status_phone,
	unreachable: m.status_unreachable,
	flagged: m.status_flagged,
	withheld: m.status_withheld
};
export const buildingStatusLabel = (s: string): string =>
	(BUILDING[s as BuildingStatus] ?? BUILDING.withheld)();

const STAFFING: Record<StaffingClass, () => string> = {
	full: m.staffing_full,
	short: m.staffing_short,
	empty: m.staffing_empty,
	inactive: m.staffing_inactive
};
export const staffingLabel = (s: StaffingClass): string => STAFFING[s]();

const KINDS: Record<CheckpointKind, () => string> = {
	community_gate: m.kind_community_gate,
	road_checkpoint: m.kind_road_checkpoint,
	persuasion_point: m.kind_persuasion_point,
	market_entrance: m.kind_market_entrance
};
export const checkpointKindLabel = (k: string): string => KINDS[k as CheckpointKind]?.() ?? k;

const LEADS: Record<LeadStatus, () => string> = {
	new: m.lead_new,
	verifying: m.lead_verifying,
	assigned: m.lead_assigned,
	handled: m.lead_handled,
	closed: m.lead_closed,
	dismissed: m.lead_dismissed
};
export const leadStatusLabel = (s: LeadStatus): string => LEADS[s]?.() ?? s;

/**
 * A screening round as the screens name it. Its recorded name is data, in Chinese: shown as it is in Chinese,
 * and in another language after the round's number in that language, so the reader knows what it is.
 * `rounds` oldest first (as the page loads them); the number is the round's place among them.
 */
export function roundLabel(rounds: readonly { id: number; name: string }[], id: number): string {
	const i = rounds.findIndex((r) => r.id === id);
	if (i < 0) return m.round_n({ n: String(id) });
	return m.round_named({ n: String(i + 1), name: rounds[i].name });
}

/** The rounds with their names as the screens show them (for components that print `name`). */
export function labelledRounds<R extends { id: number; name: string }>(rounds: readonly R[]): R[] {
	return rounds.map((r) => ({ ...r, name: roundLabel(rounds, r.id) }));
}

/** A message function, which may be asked for any locale (import vocabularies read every language). */
export type LocalizedMessage = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

export const GROUP_MESSAGES: Record<SpecialGroup, LocalizedMessage> = {
	elderly_alone: m.group_elderly_alone,
	disabled: m.group_disabled,
	home_isolated: m.group_home_isolated,
	pregnant: m.group_pregnant,
	chronic_illness: m.group_chronic_illness,
	low_income: m.group_low_income,
	left_behind_child: m.group_left_behind_child,
	severely_disabled: m.group_severely_disabled
};
export const specialGroupLabel = (g: string): string => GROUP_MESSAGES[g as SpecialGroup]?.() ?? g;

const METHODS: Record<string, () => string> = { door: m.method_door, phone: m.method_phone };
export const methodLabel = (x: string | null | undefined): string => (x ? (METHODS[x]?.() ?? x) : '—');

/** What the error page says for an error the app did not word itself (the framework's own words are English). */
export function errorPageMessage(status: number): string {
	if (status === 404) return m.error_page_not_found();
	return status < 500 ? m.error_page_bad_request() : m.error_internal();
}
