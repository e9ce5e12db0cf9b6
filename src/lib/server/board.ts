/**
 * The screening board's data through the member's own session (migration 20261129001300): buildings with their
 * status in a round and live claims, one building's households and screenings, claims, recording a screening
 * (idempotent), and the households not re-screened in N days. The functions scope and mask by role.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { HouseholdStatus, Method, Outcome, ScreeningSubmission } from '$lib/domain/screening';
import { check } from './db-error';

export interface Claim {
	id: number;
	building_id: number;
	round_id: number;
	claimed_by_name: string;
	mine: boolean;
	claimed_at: string;
	expires_at: string;
}

export interface BoardBuilding {
	id: number;
	name: string;
	grid_code: string;
	lon: number;
	lat: number;
	round_id: number | null;
	households: number;
	reached: number;
	door: number;
	phone: number;
	unreachable: number;
	flagged: number;
	not_started: number;
	status: HouseholdStatus | 'no_households';
	last_screened_at: string | null;
	last_method: Method | null;
	/** Null when none, or for a volunteer when another worker reached the household (outcome withheld). */
	last_outcome: Outcome | null;
	last_screened_by: string | null;
	claim: Claim | null;
}

export async function buildings(
	supabase: SupabaseClient,
	unit: string,
	round: number | null
): Promise<BoardBuilding[]> {
	return check(
		'board_buildings',
		await supabase.rpc('board_buildings', { p_unit: unit, p_round_id: round })
	) as BoardBuilding[];
}

/** For a volunteer, another worker's screening carries no health details: outcome null (reached), no flags or note. */
export interface HouseholdScreening {
	at: string;
	method: Method;
	outcome: Outcome | null;
	flags: string[];
	note: string | null;
	by: string | null;
}

export interface BoardHousehold {
	id: number;
	room: string;
	/** For staff only (a volunteer's board has rooms, not names). */
	head_name: string | null;
	/** Masked, and for staff only. */
	phone_masked: string | null;
	members: number;
	/** In the round, newest first. */
	screenings: HouseholdScreening[];
}

export interface BoardBuildingDetail {
	building: {
		id: number;
		name: string;
		grid_code: string;
		community_code: string;
		lon: number;
		lat: number;
		floors: number | null;
	};
	round_id: number | null;
	claim: Claim | null;
	households: BoardHousehold[];
}

export async function building(
	supabase: SupabaseClient,
	buildingId: number,
	round: number | null
): Promise<BoardBuildingDetail> {
	return check(
		'board_households',
		await supabase.rpc('board_households', { p_building_id: buildingId, p_round_id: round })
	) as BoardBuildingDetail;
}

export async function claim(
	supabase: SupabaseClient,
	buildingId: number,
	round: number | null,
	minutes: number
): Promise<Claim> {
	return check(
		'claim_building',
		await supabase.rpc('claim_building', { p_building_id: buildingId, p_round_id: round, p_minutes: minutes })
	) as Claim;
}

export async function release(supabase: SupabaseClient, claimId: number): Promise<void> {
	check('release_building_claim', await supabase.rpc('release_building_claim', { p_claim_id: claimId }));
}

/** Stores a screening once: `stored` is false when its key was stored before (a replay). */
export async function record(supabase: SupabaseClient, s: ScreeningSubmission): Promise<{ stored: boolean }> {
	return check(
		'record_screening',
		await supabase.rpc('record_screening', {
			p_idempotency_key: s.key,
			p_household_id: s.household_id,
			p_round_id: s.round_id,
			p_method: s.method,
			p_outcome: s.outcome,
			p_flags: s.flags,
			p_note: s.note,
			p_screened_at: s.screened_at
		})
	) as { stored: boolean };
}

export interface StaleHousehold {
	id: number;
	building_id: number;
	building_name: string;
	grid_code: string;
	room: string;
	head_name: string;
	phone_masked: string | null;
	/** The last day it was reached, or null when never. */
	last_day: string | null;
}

export interface StaleBuilding {
	id: number;
	name: string;
	grid_code: string;
	lon: number;
	lat: number;
	stale: number;
	households: number;
	oldest_day: string | null;
}

export interface NotRescreened {
	as_of: string;
	days: number;
	/** Households never reached by the as-of day, or not for `days` days… */
	total: number;
	/** …and of them, those never reached. */
	never: number;
	households: StaleHousehold[];
	buildings: StaleBuilding[];
}

export async function notRescreened(
	supabase: SupabaseClient,
	unit: string,
	days: number,
	asOf: string,
	limit = 300
): Promise<NotRescreened> {
	return check(
		'households_not_rescreened',
		await supabase.rpc('households_not_rescreened', {
			p_unit: unit,
			p_days: days,
			p_as_of: asOf,
			p_limit: limit
		})
	) as NotRescreened;
}
