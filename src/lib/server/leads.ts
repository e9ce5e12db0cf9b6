/**
 * Leads (线索) through the member's own session: the unit's leads and their history (RLS: staff of the unit),
 * the grids a new lead is routed among, reporting (the database checks the place lies in the grid) and moving a
 * lead one step (public.move_lead, migration 20261129001310).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { LeadKind, LeadSource } from '$lib/domain/leads';
import type { LeadStatus } from '$lib/domain/map-features';
import { check } from './db-error';

export interface Lead {
	id: number;
	grid_code: string;
	title: string;
	description: string | null;
	kind: LeadKind;
	source: LeadSource;
	status: LeadStatus;
	lon: number | null;
	lat: number | null;
	reported_at: string;
	deadline: string | null;
	assigned_volunteer_id: number | null;
	closed_at: string | null;
}

export interface LeadEvent {
	id: number;
	lead_id: number;
	from_status: LeadStatus | null;
	to_status: LeadStatus;
	at: string;
	by_name: string | null;
	note: string | null;
}

const LEAD_COLUMNS =
	'id, grid_code, title, description, kind, source, status, lon, lat, reported_at, deadline, assigned_volunteer_id, closed_at';

/** Supabase caps a response at 1,000 rows (PostgREST max-rows): read page by page. */
const PAGE = 1000;

/** The unit's leads, newest first (open and closed alike; a community has a few hundred at most). */
export async function list(supabase: SupabaseClient, unit: string): Promise<Lead[]> {
	const rows: Lead[] = [];
	for (let from = 0; ; from += PAGE) {
		const data = check(
			'leads',
			await supabase
				.from('leads')
				.select(LEAD_COLUMNS)
				.gte('grid_code', unit)
				.lt('grid_code', `${unit}:`)
				.order('reported_at', { ascending: false })
				.order('id', { ascending: false })
				.range(from, from + PAGE - 1)
		) as Lead[];
		rows.push(...data);
		if (data.length < PAGE) return rows;
	}
}

/** Open leads of the unit whose deadline has passed: what escalates to the street commander. */
export async function overdue(supabase: SupabaseClient, unit: string, now: Date): Promise<Lead[]> {
	return check(
		'leads overdue',
		await supabase
			.from('leads')
			.select(LEAD_COLUMNS)
			.gte('grid_code', unit)
			.lt('grid_code', `${unit}:`)
			.in('status', ['new', 'verifying', 'assigned'])
			.lt('deadline', now.toISOString())
			.order('deadline')
			.limit(PAGE)
	) as Lead[];
}

export async function read(supabase: SupabaseClient, id: number): Promise<Lead | null> {
	return check(
		'lead',
		await supabase.from('leads').select(LEAD_COLUMNS).eq('id', id).maybeSingle()
	) as Lead | null;
}

/** Every step of the lead, oldest first (kept by a trigger, never edited). */
export async function history(supabase: SupabaseClient, leadId: number): Promise<LeadEvent[]> {
	return check(
		'lead_events',
		await supabase
			.from('lead_events')
			.select('id, lead_id, from_status, to_status, at, by_name, note')
			.eq('lead_id', leadId)
			.order('at')
			.order('id')
	) as LeadEvent[];
}

/** Where a building stands (under RLS: a building outside the member's unit is null). */
export async function buildingPlace(
	supabase: SupabaseClient,
	id: number
): Promise<{ lon: number; lat: number } | null> {
	return check(
		'buildings',
		await supabase.from('buildings').select('lon, lat').eq('id', id).maybeSingle()
	) as { lon: number; lat: number } | null;
}

export interface NewLead {
	grid_code: string;
	title: string;
	description: string | null;
	kind: LeadKind;
	source: LeadSource;
	lon: number;
	lat: number;
	deadline: string;
}

export async function report(supabase: SupabaseClient, lead: NewLead): Promise<number> {
	const row = check('leads insert', await supabase.from('leads').insert(lead).select('id').single()) as {
		id: number;
	};
	return row.id;
}

export async function move(
	supabase: SupabaseClient,
	id: number,
	to: LeadStatus,
	note: string | null,
	volunteerId: number | null,
	deadline: string | null = null
): Promise<void> {
	check(
		'move_lead',
		await supabase.rpc('move_lead', {
			p_lead_id: id,
			p_to_status: to,
			p_note: note,
			p_volunteer_id: volunteerId,
			p_deadline: deadline
		})
	);
}
