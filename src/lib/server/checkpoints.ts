/**
 * Checkpoints and what their planning reads, through the user's own session: RLS scopes rows to the user's
 * unit and the table's trigger keeps a checkpoint inside its community (migration 20261129001100), so a
 * refusal comes back as the database's Chinese message with a HINT.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { CheckpointValues } from '$lib/domain/checkpoint-plan';
import type { CheckpointKind } from '$lib/domain/map-features';

export interface Checkpoint {
	id: number;
	name: string;
	kind: CheckpointKind;
	status: 'active' | 'paused' | 'closed';
	community_code: string;
	lon: number;
	lat: number;
	staff_required: number;
	open_from: string;
	open_until: string;
}

const COLUMNS = 'id, name, kind, status, community_code, lon, lat, staff_required, open_from, open_until';

/** A refusal the user should read: the database's message (Chinese) and its HINT. */
export interface Refusal {
	message: string;
	hint: string | null;
}

/** Errors a user can cause and read (a place outside the unit, a bad value); anything else is thrown. */
function refusal(error: { message: string; hint?: string | null; code?: string }): Refusal {
	if (error.code === 'P0001' || error.code === '42501' || error.code === '23514' || error.code === '22023')
		return { message: error.message, hint: error.hint ?? null };
	throw new Error(`checkpoints: ${error.message}`);
}

/** Checkpoints of a unit (a street or a community), closed ones left out. */
export async function listOpen(supabase: SupabaseClient, unit: string): Promise<Checkpoint[]> {
	const { data, error } = await supabase
		.from('checkpoints')
		.select(COLUMNS)
		.gte('community_code', unit)
		.lt('community_code', `${unit}:`)
		.neq('status', 'closed')
		.order('id');
	if (error) throw new Error(`checkpoints: ${error.message}`);
	return data as Checkpoint[];
}

export async function create(
	supabase: SupabaseClient,
	values: CheckpointValues & { community_code: string; lon: number; lat: number }
): Promise<{ id: number } | Refusal> {
	const { data, error } = await supabase.from('checkpoints').insert(values).select('id').single();
	if (error) return refusal(error);
	return { id: Number(data.id) };
}

/** Updates one checkpoint; a row RLS hides (another unit's) is refused as not found. */
export async function update(
	supabase: SupabaseClient,
	id: number,
	patch: Partial<CheckpointValues> & { community_code?: string; lon?: number; lat?: number; status?: string }
): Promise<{ id: number } | Refusal> {
	const { data, error } = await supabase.from('checkpoints').update(patch).eq('id', id).select('id');
	if (error) return refusal(error);
	if (!data || data.length === 0)
		return { message: '检查点不存在或不在你的管辖范围内', hint: 'outside_scope' };
	return { id };
}

/** Buildings of a street or community with their households, for the reach model (map_buildings). */
export async function buildings(
	supabase: SupabaseClient,
	unit: string,
	asOf: string
): Promise<{ id: number; name: string; lon: number; lat: number; households: number }[]> {
	const { data, error } = await supabase.rpc('map_buildings', { p_unit: unit, p_as_of: asOf });
	if (error) throw new Error(`map_buildings: ${error.message}`);
	return (data as { id: number; name: string; lon: number; lat: number; households: number | null }[]).map(
		(b) => ({ id: b.id, name: b.name, lon: b.lon, lat: b.lat, households: b.households ?? 0 })
	);
}

/** Entrances of the markets of a unit (each market's MultiPoint). */
export async function marketEntrances(
	supabase: SupabaseClient,
	unit: string
): Promise<{ market: number; name: string; lon: number; lat: number }[]> {
	const { data, error } = await supabase
		.from('markets')
		.select('id, name, entrances')
		.gte('community_code', unit)
		.lt('community_code', `${unit}:`)
		.order('id');
	if (error) throw new Error(`markets: ${error.message}`);
	return (data as { id: number; name: string; entrances: { coordinates: [number, number][] } }[]).flatMap(
		(m) => m.entrances.coordinates.map(([lon, lat]) => ({ market: m.id, name: m.name, lon, lat }))
	);
}
