/**
 * Data of the map's layers through the user's own session: the layer functions scope and shape it per role
 * (migration 20261129001020); markets and grids are plain tables under RLS. Each returns GeoJSON.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { FeatureCollection } from 'geojson';
import {
	buildingFeatures,
	checkpointFeatures,
	heatFeatures,
	leadFeatures,
	marketFeatures,
	onDutyFeatures,
	specialGroupFeatures,
	type BuildingRow,
	type CheckpointRow,
	type HeatRow,
	type LeadRow,
	type MarketRow,
	type OnDutyRow,
	type SpecialGroupRow,
	HEX_SIZE_M,
	withHexbins
} from '$lib/domain/map-features';
import { levelOfCode } from '$lib/domain/units';
import { momentOf, type LayerId, type View } from '$lib/domain/view';
import * as units from './units';

/** The layer functions return one JSON array each (no row cap applies to a single value). */
async function rpc<T>(supabase: SupabaseClient, fn: string, args: Record<string, unknown>): Promise<T[]> {
	const { data, error } = await supabase.rpc(fn, args);
	if (error) throw new Error(`${fn}: ${error.message}`);
	return data as T[];
}

/** Grid boundaries under a district or street, labelled with their names. */
async function grids(supabase: SupabaseClient, unit: string): Promise<FeatureCollection> {
	const rows = await units.gridsUnder(supabase, unit);
	return {
		type: 'FeatureCollection',
		features: rows
			.filter((g) => g.geometry)
			.map((g) => ({
				type: 'Feature',
				id: g.code,
				geometry: g.geometry!,
				properties: { code: g.code, name: g.name }
			}))
	};
}

async function markets(supabase: SupabaseClient, unit: string): Promise<FeatureCollection> {
	let query = supabase.from('markets').select('id, name, community_code, grid_code, lon, lat, entrances');
	// A community and everything above it by its communities; a grid by the grid the market stands in.
	query =
		unit.length === 15
			? query.eq('grid_code', unit)
			: query.gte('community_code', unit).lt('community_code', `${unit}:`);
	const { data, error } = await query.order('id');
	if (error) throw new Error(`markets: ${error.message}`);
	return marketFeatures(data as MarketRow[]);
}

export async function layerData(
	supabase: SupabaseClient,
	layer: Exclude<LayerId, 'units'>,
	unit: string,
	view: View
): Promise<FeatureCollection> {
	const at = momentOf(view.date, view.time);
	const hexSize = HEX_SIZE_M[levelOfCode(unit) ?? 'city'];
	switch (layer) {
		case 'grids':
			return grids(supabase, unit);
		case 'buildings':
			return buildingFeatures(
				await rpc<BuildingRow>(supabase, 'map_buildings', {
					p_unit: unit,
					p_as_of: view.date,
					p_round_id: view.round
				})
			);
		case 'markets':
			return markets(supabase, unit);
		case 'checkpoints':
			return checkpointFeatures(
				await rpc<CheckpointRow>(supabase, 'map_checkpoints', { p_unit: unit, p_at: at })
			);
		case 'volunteers':
			return withHexbins(
				onDutyFeatures(await rpc<OnDutyRow>(supabase, 'map_on_duty', { p_unit: unit, p_at: at })),
				'volunteers',
				hexSize
			);
		case 'leads':
			return withHexbins(
				leadFeatures(await rpc<LeadRow>(supabase, 'map_leads', { p_unit: unit, p_as_of: view.date })),
				'leads',
				hexSize
			);
		case 'special':
			return specialGroupFeatures(
				await rpc<SpecialGroupRow>(supabase, 'map_special_groups', { p_unit: unit })
			);
		case 'heat':
			return withHexbins(
				heatFeatures(
					await rpc<HeatRow>(supabase, 'map_screening_heat', { p_unit: unit, p_as_of: view.date, p_days: 7 })
				),
				'screenings',
				hexSize
			);
	}
}
