/** Units as the signed-in user may see them (RLS: own unit, below it, and the ancestors' names). */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Geometry } from 'geojson';
import { ancestorCodes, type UnitLevel } from '$lib/domain/units';
import { unionBbox, type BBox } from '$lib/spatial/bbox';

export interface Unit {
	code: string;
	name: string;
	level: UnitLevel;
	parent_code: string | null;
}

export interface UnitWithGeometry extends Unit {
	geometry: Geometry | null;
	min_lon: number | null;
	min_lat: number | null;
	max_lon: number | null;
	max_lat: number | null;
}

export async function read(supabase: SupabaseClient, codes: string[]): Promise<Unit[]> {
	const { data, error } = await supabase
		.from('units')
		.select('code, name, level, parent_code')
		.in('code', codes)
		.order('code');
	if (error) throw new Error(`units: ${error.message}`);
	return data as Unit[];
}

/** Whether any unit has this code, within the user's scope or not (public.unit_exists). */
export async function exists(supabase: SupabaseClient, code: string): Promise<boolean> {
	const { data, error } = await supabase.rpc('unit_exists', { p_code: code });
	if (error) throw new Error(`unit_exists: ${error.message}`);
	return data === true;
}

/** The unit and its children, with boundaries. */
export async function listWithChildren(supabase: SupabaseClient, code: string): Promise<UnitWithGeometry[]> {
	const { data, error } = await supabase
		.from('units')
		.select('code, name, level, parent_code, geometry, min_lon, min_lat, max_lon, max_lat')
		.or(`code.eq.${code},parent_code.eq.${code}`)
		.order('code');
	if (error) throw new Error(`units: ${error.message}`);
	return data as UnitWithGeometry[];
}

/** The whole world: where a map opens when no unit around this one has a boundary yet (a city just loaded). */
const WORLD: BBox = [-180, -85, 180, 85];

/**
 * Where a map of the unit opens, from the data: its own box, else its children's, else the nearest ancestor's
 * that has one (a community whose boundary is not drawn yet opens on its street).
 */
export async function mapExtent(
	supabase: SupabaseClient,
	unit: UnitWithGeometry,
	children: readonly UnitWithGeometry[]
): Promise<BBox> {
	const own = unionBbox([unit]) ?? unionBbox(children);
	if (own) return own;
	const { data, error } = await supabase
		.from('units')
		.select('code, min_lon, min_lat, max_lon, max_lat')
		.in('code', ancestorCodes(unit.code).slice(0, -1))
		.not('min_lon', 'is', null)
		.order('code', { ascending: false })
		.limit(1);
	if (error) throw new Error(`units: ${error.message}`);
	return unionBbox(data) ?? WORLD;
}

/** The unit's children, without boundaries (for lists and pickers). */
export async function listChildren(supabase: SupabaseClient, code: string): Promise<Unit[]> {
	const { data, error } = await supabase
		.from('units')
		.select('code, name, level, parent_code')
		.eq('parent_code', code)
		.order('code');
	if (error) throw new Error(`units: ${error.message}`);
	return data as Unit[];
}

/** Page size for table reads: PostgREST caps a response at 1,000 rows (max-rows). */
const PAGE = 1000;

export interface GridShape {
	code: string;
	name: string;
	geometry: Geometry | null;
}

/** The grids under a unit with their boundaries (the unit itself when it is a grid), read page by page. */
export async function gridsUnder(supabase: SupabaseClient, unit: string): Promise<GridShape[]> {
	const rows: GridShape[] = [];
	for (let from = 0; ; from += PAGE) {
		const { data, error } = await supabase
			.from('units')
			.select('code, name, geometry')
			.eq('level', 'grid')
			.gte('code', unit)
			.lt('code', `${unit}:`)
			.order('code')
			.range(from, from + PAGE - 1);
		if (error) throw new Error(`units: ${error.message}`);
		rows.push(...(data as GridShape[]));
		if (data.length < PAGE) return rows;
	}
}
