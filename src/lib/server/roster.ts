/**
 * The roster through the user's own session: the RPCs of migration 20261129001100 (the gap grid, candidates,
 * assigning, cancelling, swapping, copying a day, hours served) and the export of 20261129001200. Writes run as
 * the caller under RLS, and a refusal comes back as the database's Chinese message with its HINT (who and which
 * shift for a double booking).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { RosterDayRow, Slot } from '$lib/domain/roster';

/** A refusal the user should read: the database's message (Chinese) and its HINT. */
export interface Refusal {
	message: string;
	hint: string | null;
}

/** Errors a user can cause (SQLSTATE of a rule, scope or bad value); anything else is thrown. */
const USER_ERRORS = new Set(['P0001', '42501', '23P01', '22023', '23514']);

function refusal(fn: string, error: { message: string; hint?: string | null; code?: string }): Refusal {
	if (error.code && USER_ERRORS.has(error.code)) return { message: error.message, hint: error.hint ?? null };
	throw new Error(`${fn}: ${error.message}`);
}

async function call<T>(supabase: SupabaseClient, fn: string, args: Record<string, unknown>): Promise<T> {
	const { data, error } = await supabase.rpc(fn, args);
	if (error) throw new Error(`${fn}: ${error.message}`);
	return data as T;
}

async function write<T>(
	supabase: SupabaseClient,
	fn: string,
	args: Record<string, unknown>
): Promise<{ data: T } | Refusal> {
	const { data, error } = await supabase.rpc(fn, args);
	if (error) return refusal(fn, error);
	return { data: data as T };
}

export function day(
	supabase: SupabaseClient,
	unit: string,
	date: string,
	slots: Slot[]
): Promise<RosterDayRow[]> {
	return call(supabase, 'roster_day', { p_unit: unit, p_day: date, p_slots: slots });
}

export interface Candidate {
	volunteer_id: number;
	name: string;
	kind: string;
	phone_masked: string;
	organisation_id: number | null;
	organisation_name: string | null;
	team_id: number | null;
	team_name: string | null;
	skills: string[];
	home_unit_code: string;
	home_unit_name: string;
	lent: boolean;
	free: boolean;
	conflict_shift_id: number | null;
	conflict: string | null;
	distance_m: number | null;
}

export interface CandidateFilter {
	organisation: number | null;
	team: number | null;
	skill: string | null;
	home: string | null;
	freeOnly: boolean;
}

export function candidates(
	supabase: SupabaseClient,
	checkpoint: number,
	starts: string,
	ends: string,
	filter: CandidateFilter
): Promise<Candidate[]> {
	return call(supabase, 'roster_candidates', {
		p_checkpoint_id: checkpoint,
		p_starts: starts,
		p_ends: ends,
		p_organisation_id: filter.organisation,
		p_team_id: filter.team,
		p_skill: filter.skill,
		p_home_unit: filter.home,
		p_free_only: filter.freeOnly,
		p_limit: 200
	});
}

export function assign(
	supabase: SupabaseClient,
	checkpoint: number,
	volunteer: number,
	starts: string,
	ends: string
): Promise<{ data: number } | Refusal> {
	return write(supabase, 'assign_shift', {
		p_checkpoint_id: checkpoint,
		p_volunteer_id: volunteer,
		p_starts: starts,
		p_ends: ends
	});
}

export function cancel(supabase: SupabaseClient, shift: number): Promise<{ data: null } | Refusal> {
	return write(supabase, 'cancel_shift', { p_shift_id: shift });
}

export function swap(supabase: SupabaseClient, a: number, b: number): Promise<{ data: null } | Refusal> {
	return write(supabase, 'swap_shifts', { p_a: a, p_b: b });
}

export interface CopyResult {
	copied: number;
	skipped: number;
	skipped_shifts: {
		shift_id: number;
		volunteer_id: number;
		checkpoint_id: number;
		starts: string;
		ends: string;
		reason: string;
		message: string;
	}[];
}

export async function copyDay(
	supabase: SupabaseClient,
	unit: string,
	from: string,
	to: string
): Promise<{ data: CopyResult } | Refusal> {
	const result = await write<CopyResult[]>(supabase, 'copy_roster_day', {
		p_unit: unit,
		p_from: from,
		p_to: to
	});
	return 'data' in result ? { data: result.data[0] } : result;
}

export interface HoursRow {
	group_by: string;
	id: number | null;
	name: string;
	volunteers: number;
	shifts: number;
	hours: number;
}

export function hours(
	supabase: SupabaseClient,
	unit: string,
	to: string | null,
	by: 'organisation' | 'team' | 'volunteer'
): Promise<HoursRow[]> {
	return call(supabase, 'hours_served', { p_unit: unit, p_from: null, p_to: to, p_by: by });
}

/** A volunteer's own shifts (RLS: a volunteer sees only theirs), newest first. */
export async function ownShifts(supabase: SupabaseClient, volunteerId: number) {
	const { data, error } = await supabase
		.from('shifts')
		.select('id, period, status, checkpoint_id, grid_code, checkpoints(name, kind, lon, lat)')
		.eq('volunteer_id', volunteerId)
		.order('period', { ascending: false })
		.limit(100);
	if (error) throw new Error(`shifts: ${error.message}`);
	return data as unknown as {
		id: number;
		period: string;
		status: string;
		checkpoint_id: number | null;
		grid_code: string | null;
		checkpoints: { name: string; kind: string } | null;
	}[];
}

/** Organisations and teams of the volunteers living in the unit, for the candidate filters. */
export async function filterOptions(supabase: SupabaseClient, unit: string) {
	const orgIds = new Set<number>();
	const teamIds = new Set<number>();
	const skills = new Set<string>();
	const PAGE = 1000;
	for (let from = 0; ; from += PAGE) {
		const { data, error } = await supabase
			.from('volunteers')
			.select('organisation_id, team_id, skills')
			.gte('home_unit_code', unit)
			.lt('home_unit_code', `${unit}:`)
			.order('id')
			.range(from, from + PAGE - 1);
		if (error) throw new Error(`volunteers: ${error.message}`);
		for (const v of data as { organisation_id: number | null; team_id: number | null; skills: string[] }[]) {
			if (v.organisation_id) orgIds.add(v.organisation_id);
			if (v.team_id) teamIds.add(v.team_id);
			for (const s of v.skills) skills.add(s);
		}
		if (data.length < PAGE) break;
	}
	const [orgs, teams] = await Promise.all([
		supabase
			.from('organisations')
			.select('id, name')
			.in('id', [...orgIds])
			.order('name'),
		supabase
			.from('volunteer_teams')
			.select('id, name, organisation_id')
			.in('id', [...teamIds])
			.order('name')
	]);
	if (orgs.error) throw new Error(`organisations: ${orgs.error.message}`);
	if (teams.error) throw new Error(`volunteer_teams: ${teams.error.message}`);
	return {
		organisations: orgs.data as { id: number; name: string }[],
		teams: teams.data as { id: number; name: string; organisation_id: number }[],
		skills: [...skills].sort()
	};
}

export interface ExportRow {
	shift_id: number;
	checkpoint_id: number;
	checkpoint_name: string;
	checkpoint_kind: string;
	community_code: string;
	community_name: string;
	volunteer_name: string;
	volunteer_kind: string;
	organisation_name: string | null;
	team_name: string | null;
	phone_masked: string | null;
	home_community_name: string;
	lent: boolean;
	starts: string;
	ends: string;
	status: string;
}

/** The day's shifts for the spreadsheet; the database records the export in the audit log. */
export function exportShifts(supabase: SupabaseClient, unit: string, date: string): Promise<ExportRow[]> {
	return call(supabase, 'roster_export', { p_unit: unit, p_from: date, p_to: date });
}

export interface ImportResult {
	written: boolean;
	inserted: number;
	updated: number;
	unchanged: number;
	errors: { row: number; field: string; message: string }[];
}

export function importVolunteers(
	supabase: SupabaseClient,
	rows: unknown[],
	dryRun: boolean
): Promise<{ data: ImportResult } | Refusal> {
	return write(supabase, 'import_volunteers', { p_rows: rows, p_dry_run: dryRun });
}
