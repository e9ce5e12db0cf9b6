/**
 * The secretary's screens on the map: board buildings coloured by status (ringed when claimed), buildings
 * sized by households not re-screened, and leads coloured by status (ringed when overdue). Pure: rows in,
 * GeoJSON out, with the colours the legends share.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import {
	BUILDING_STATUS_COLORS,
	LEAD_STATUS_COLORS,
	OPEN_LEAD_STATUSES,
	type BuildingStatus,
	type LeadStatus
} from './map-features';

const point = (lon: number, lat: number): Point => ({ type: 'Point', coordinates: [lon, lat] });
const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

export interface BoardBuildingRow {
	id: number;
	name: string;
	lon: number;
	lat: number;
	households: number;
	reached: number;
	status: BuildingStatus | 'no_households';
	claim: { mine: boolean } | null;
}

/** Buildings with households, each with its status colour and whether (and by whom) it is claimed. */
export function boardBuildingFeatures(rows: readonly BoardBuildingRow[]): FeatureCollection {
	return collection(
		rows
			.filter((r) => r.status !== 'no_households')
			.map((r) => ({
				type: 'Feature',
				id: r.id,
				geometry: point(r.lon, r.lat),
				properties: {
					id: r.id,
					name: r.name,
					status: r.status,
					color: BUILDING_STATUS_COLORS[r.status as BuildingStatus],
					households: r.households,
					reached: r.reached,
					claim: r.claim ? (r.claim.mine ? 'mine' : 'other') : 'none'
				}
			}))
	);
}

export interface StaleBuildingRow {
	id: number;
	name: string;
	lon: number;
	lat: number;
	stale: number;
	households: number;
}

/** Buildings with households not re-screened: the share waiting decides the colour, the count the size. */
export function staleBuildingFeatures(rows: readonly StaleBuildingRow[]): FeatureCollection {
	return collection(
		rows.map((r) => {
			const share = r.households > 0 ? r.stale / r.households : 0;
			return {
				type: 'Feature',
				id: r.id,
				geometry: point(r.lon, r.lat),
				properties: {
					id: r.id,
					name: r.name,
					stale: r.stale,
					households: r.households,
					share,
					color: staleColor(share),
					label: String(r.stale)
				}
			};
		})
	);
}

/** Light orange for a few households waiting, deep red when most of the building waits. */
export const STALE_COLORS = [
	{ min: 0, color: '#fdd49e' },
	{ min: 0.25, color: '#fc8d59' },
	{ min: 0.5, color: '#d7301f' },
	{ min: 0.75, color: '#7f0000' }
] as const;

export function staleColor(share: number): string {
	let color: string = STALE_COLORS[0].color;
	for (const c of STALE_COLORS) if (share >= c.min) color = c.color;
	return color;
}

export interface LeadPointRow {
	id: number;
	title: string;
	status: LeadStatus;
	lon: number | null;
	lat: number | null;
	overdue: boolean;
}

/**
 * Leads with a place; the selected one drawn larger. Drawn in order, so the finished ones go first (below)
 * and the open ones, then the selected one, on top: a closed lead never hides an open one at the same place.
 */
export function leadPointFeatures(rows: readonly LeadPointRow[], selected: number | null): FeatureCollection {
	const layer = (r: LeadPointRow) => (r.id === selected ? 2 : OPEN_LEAD_STATUSES.includes(r.status) ? 1 : 0);
	return collection(
		rows
			.filter((r) => r.lon !== null && r.lat !== null)
			.sort((a, b) => layer(a) - layer(b))
			.map((r) => ({
				type: 'Feature',
				id: r.id,
				geometry: point(r.lon!, r.lat!),
				properties: {
					id: r.id,
					title: r.title,
					status: r.status,
					color: LEAD_STATUS_COLORS[r.status] ?? '#000000',
					overdue: r.overdue,
					selected: r.id === selected
				}
			}))
	);
}

/** One picked place (a lead being reported). */
export function pickedPointFeature(place: { lon: number; lat: number } | null): FeatureCollection {
	return collection(
		place ? [{ type: 'Feature', id: 1, geometry: point(place.lon, place.lat), properties: {} }] : []
	);
}
