/**
 * A community's grids, its buildings (for the assignment preview), and who works in each grid; saving the
 * grids and assigning people go through the database's functions (20261129001500_grids.sql), run as the user.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Position } from 'geojson';
import type { BuildingMove, PlanBuilding, PlannedGrid } from '$lib/domain/grid-plan';
import type { Areal } from '$lib/spatial/areal';

export interface Community {
	code: string;
	name: string;
	geometry: Areal;
	bbox: [number, number, number, number];
}

export interface GridRow {
	code: string;
	name: string;
	geometry: Areal;
	center: Position | null;
}

export interface Person {
	id: number;
	name: string;
	kind: string;
	phone_masked: string;
	grid_code: string | null;
}

/** An error the database raised on purpose: its Chinese message and the HINT the app maps. */
export class DbRefusal extends Error {
	constructor(
		message: string,
		readonly hint: string | null
	) {
		super(message);
	}
}

function refusal(error: { message: string; hint?: string | null; code?: string }): DbRefusal {
	return new DbRefusal(error.message, error.hint ?? null);
}

export async function readCommunity(supabase: SupabaseClient, code: string): Promise<Community | null> {
	const { data, error } = await supabase
		.from('units')
		.select('code, name, geometry, min_lon, min_lat, max_lon, max_lat')
		.eq('code', code)
		.eq('level', 'community')
		.maybeSingle();
	if (error) throw new Error(`units: ${error.message}`);
	if (!data || !data.geometry) return null;
	return {
		code: data.code,
		name: data.name,
		geometry: data.geometry as Areal,
		bbox: [data.min_lon, data.min_lat, data.max_lon, data.max_lat]
	};
}

export async function listGrids(supabase: SupabaseClient, community: string): Promise<GridRow[]> {
	const { data, error } = await supabase
		.from('units')
		.select('code, name, geometry, center_lon, center_lat')
		.eq('parent_code', community)
		.eq('level', 'grid')
		.order('code');
	if (error) throw new Error(`units: ${error.message}`);
	return data.map((g) => ({
		code: g.code,
		name: g.name,
		geometry: g.geometry as Areal,
		center: g.center_lon === null ? null : [g.center_lon, g.center_lat]
	}));
}

export async function listBuildings(supabase: SupabaseClient, community: string): Promise<PlanBuilding[]> {
	const { data, error } = await supabase
		.from('buildings')
		.select('id, name, lon, lat, grid_code')
		.eq('community_code', community)
		.order('id');
	if (error) throw new Error(`buildings: ${error.message}`);
	return data as PlanBuilding[];
}

/** The community's volunteers and grid workers, each with the grid they are assigned to (or null). */
export async function listPeople(supabase: SupabaseClient, community: string): Promise<Person[]> {
	const [people, members] = await Promise.all([
		supabase
			.from('volunteers')
			.select('id, name, kind, phone_masked')
			.eq('home_unit_code', community)
			.order('kind')
			.order('id'),
		supabase
			.from('grid_members')
			.select('volunteer_id, grid_code')
			.gte('grid_code', community)
			.lt('grid_code', `${community}:`)
	]);
	if (people.error) throw new Error(`volunteers: ${people.error.message}`);
	if (members.error) throw new Error(`grid_members: ${members.error.message}`);
	const gridOf = new Map(members.data.map((m) => [m.volunteer_id as number, m.grid_code as string]));
	return people.data.map((p) => ({
		...(p as Omit<Person, 'grid_code'>),
		grid_code: gridOf.get(p.id) ?? null
	}));
}

export interface SaveResult {
	grids: number;
	added: number;
	removed: number;
	buildings_moved: number;
	households_moved: number;
	residents_moved: number;
	screenings_moved: number;
	leads_moved: number;
	markets_moved: number;
	members_unassigned: number;
}

/** Saves the grids as planned; refusals come back as {@link DbRefusal}. */
export async function saveBoundaries(
	supabase: SupabaseClient,
	community: string,
	grids: PlannedGrid[],
	moves: BuildingMove[]
): Promise<SaveResult> {
	const { data, error } = await supabase.rpc('save_grid_boundaries', {
		p_community: community,
		p_grids: grids.map((g) => ({ code: g.code, name: g.name, geometry: g.geometry, center: g.center })),
		p_moves: moves.map((m) => ({ building_id: m.building_id, grid_code: m.grid_code }))
	});
	if (error) {
		if (error.hint) throw refusal(error);
		throw new Error(`save_grid_boundaries: ${error.message}`);
	}
	return data as SaveResult;
}

/** Puts a person in a grid, moves them, or (grid null) takes them out. */
export async function assignMember(
	supabase: SupabaseClient,
	volunteerId: number,
	gridCode: string | null
): Promise<void> {
	const { error } = await supabase.rpc('assign_grid_member', {
		p_volunteer_id: volunteerId,
		p_grid_code: gridCode
	});
	if (error) {
		if (error.hint) throw refusal(error);
		throw new Error(`assign_grid_member: ${error.message}`);
	}
}
