/**
 * Special groups and service requests through the member's own session: the registry (public.care_registry:
 * phones and ID numbers masked, each read audited; the personal columns are not selectable from the table),
 * adding a resident, requests and their progress, audited reveals and the audited export (migrations
 * 20261129001320, 20261207000100).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Need, RequestKind, RequestStatus, ResidentInput, SpecialGroup } from '$lib/domain/care';
import { check } from './db-error';

export interface Resident {
	id: number;
	household_id: number;
	grid_code: string;
	name: string;
	gender: 'female' | 'male' | null;
	birth_year: number | null;
	id_number_masked: string | null;
	phone_masked: string | null;
	special_groups: SpecialGroup[];
	needs: Need[];
	isolation_until: string | null;
	note: string | null;
	household: { room: string; building: { id: number; name: string } | null } | null;
}

const PAGE = 1000;

/** The unit's registry, newest first; the database writes the read to the audit log (read_personal). */
export async function residents(supabase: SupabaseClient, unit: string): Promise<Resident[]> {
	return check('care_registry', await supabase.rpc('care_registry', { p_unit: unit })) as Resident[];
}

export interface BuildingOption {
	id: number;
	name: string;
	grid_code: string;
}

export async function buildings(supabase: SupabaseClient, unit: string): Promise<BuildingOption[]> {
	return check(
		'buildings',
		await supabase
			.from('buildings')
			.select('id, name, grid_code')
			.gte('grid_code', unit)
			.lt('grid_code', `${unit}:`)
			.order('id')
			.limit(PAGE)
	) as BuildingOption[];
}

export interface HouseholdOption {
	id: number;
	room: string;
	head_name: string;
}

/** A building's households for the resident form (board_households: heads for staff, the read audited). */
export async function households(supabase: SupabaseClient, buildingId: number): Promise<HouseholdOption[]> {
	const detail = check(
		'board_households',
		await supabase.rpc('board_households', { p_building_id: buildingId })
	) as { households: { id: number; room: string; head_name: string | null }[] };
	return detail.households.map(({ id, room, head_name }) => ({ id, room, head_name: head_name ?? '' }));
}

/** Adds a resident; the database takes the grid from the household and checks phone and ID number again. */
export async function addResident(supabase: SupabaseClient, r: ResidentInput): Promise<number> {
	const row = check(
		'residents insert',
		await supabase
			.from('residents')
			.insert({ ...r, grid_code: null })
			.select('id')
			.single()
	) as { id: number };
	return row.id;
}

export interface ServiceRequest {
	id: number;
	resident_id: number;
	grid_code: string;
	kind: RequestKind;
	status: RequestStatus;
	detail: string | null;
	due_at: string | null;
	assigned_volunteer_id: number | null;
	created_at: string;
	done_at: string | null;
	volunteer: { name: string } | null;
}

/**
 * The unit's requests: open ones by due time first, then the rest newest first (at most 1,000 of those). The
 * residents' names come from the registry (`residents`), which the database audits.
 */
export async function requests(supabase: SupabaseClient, unit: string): Promise<ServiceRequest[]> {
	const select =
		'id, resident_id, grid_code, kind, status, detail, due_at, assigned_volunteer_id, created_at, done_at, volunteer:volunteers(name)';
	const [open, closed] = await Promise.all([
		supabase
			.from('service_requests')
			.select(select)
			.gte('grid_code', unit)
			.lt('grid_code', `${unit}:`)
			.in('status', ['open', 'assigned', 'in_progress'])
			.order('due_at', { nullsFirst: false })
			.limit(PAGE),
		supabase
			.from('service_requests')
			.select(select)
			.gte('grid_code', unit)
			.lt('grid_code', `${unit}:`)
			.in('status', ['done', 'cancelled'])
			.order('created_at', { ascending: false })
			.limit(PAGE)
	]);
	return [
		...(check('service_requests', open) as unknown as ServiceRequest[]),
		...(check('service_requests', closed) as unknown as ServiceRequest[])
	];
}

export interface NewRequest {
	resident_id: number;
	kind: RequestKind;
	detail: string | null;
	due_at: string;
	assigned_volunteer_id: number | null;
}

export async function createRequest(supabase: SupabaseClient, r: NewRequest): Promise<number> {
	const row = check(
		'service_requests insert',
		await supabase
			.from('service_requests')
			.insert({ ...r, grid_code: null, status: r.assigned_volunteer_id ? 'assigned' : 'open' })
			.select('id')
			.single()
	) as { id: number };
	return row.id;
}

/** Moves a request on (the database keeps done_at in step); assigning names who serves it. */
export async function updateRequest(
	supabase: SupabaseClient,
	id: number,
	status: RequestStatus,
	volunteerId: number | null
): Promise<void> {
	const patch: { status: RequestStatus; assigned_volunteer_id?: number } = { status };
	if (volunteerId !== null) patch.assigned_volunteer_id = volunteerId;
	const rows = check(
		'service_requests update',
		await supabase.from('service_requests').update(patch).eq('id', id).select('id')
	) as { id: number }[];
	if (rows.length === 0) throw new Error('service_requests update: no row (gone or outside the unit)');
}

/** The full phone of a resident, written to the audit log with the purpose. */
export async function revealPhone(
	supabase: SupabaseClient,
	residentId: number,
	purpose: string
): Promise<string> {
	return check(
		'reveal_phone',
		await supabase.rpc('reveal_phone', { p_table: 'residents', p_id: residentId, p_purpose: purpose })
	) as string;
}

/** The full ID number of a resident, written to the audit log with the purpose. */
export async function revealIdNumber(
	supabase: SupabaseClient,
	residentId: number,
	purpose: string
): Promise<string> {
	return check(
		'reveal_id_number',
		await supabase.rpc('reveal_id_number', { p_resident_id: residentId, p_purpose: purpose })
	) as string;
}

export type RegistryExport =
	| { shape: 'masked_rows'; rows: Record<string, unknown>[] }
	| { shape: 'counts'; rows: { grid: string; special_group: string; residents: number | null }[] };

/** The registry as the caller's role may export it, with an audit row written in the same call. */
export async function exportRegistry(
	supabase: SupabaseClient,
	unit: string,
	purpose: string
): Promise<RegistryExport> {
	return check(
		'export_special_groups',
		await supabase.rpc('export_special_groups', { p_unit: unit, p_purpose: purpose })
	) as RegistryExport;
}
