/**
 * Rows of the map-layer functions (migration 20261129001020) as GeoJSON features, with the colours and
 * classes the map and its legend share. Pure: the server shapes layers with these, tests check them directly.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import { hexagonPolygons, hexbin } from '$lib/spatial/hexbin';
import { formatNumber } from './coverage';
import type { UnitLevel } from './units';

export type BuildingStatus = 'not_started' | 'door' | 'phone' | 'unreachable' | 'flagged';
export const BUILDING_STATUS_COLORS: Record<BuildingStatus | 'withheld', string> = {
	not_started: '#9e9e9e',
	door: '#1a9850',
	phone: '#2b83ba',
	unreachable: '#fdae61',
	flagged: '#b2182b',
	withheld: '#ffffff'
};
export const BUILDING_STATUSES = Object.keys(BUILDING_STATUS_COLORS).filter(
	(s) => s !== 'withheld'
) as BuildingStatus[];

export type LeadStatus = 'new' | 'verifying' | 'assigned' | 'handled' | 'closed' | 'dismissed';
export const LEAD_STATUS_COLORS: Record<LeadStatus, string> = {
	new: '#d7301f',
	verifying: '#fc8d59',
	assigned: '#fdbb84',
	handled: '#74add1',
	closed: '#1a9850',
	dismissed: '#9e9e9e'
};
export const LEAD_STATUSES = Object.keys(LEAD_STATUS_COLORS) as LeadStatus[];
export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ['new', 'verifying', 'assigned'];

/** Staffing of a checkpoint at a moment: full, short (some staff but fewer than required), empty, or closed. */
export type StaffingClass = 'full' | 'short' | 'empty' | 'inactive';
export const STAFFING_COLORS: Record<StaffingClass, string> = {
	full: '#1a9850',
	short: '#fdae61',
	empty: '#d7301f',
	inactive: '#9e9e9e'
};
export const CHECKPOINT_KINDS = [
	'community_gate',
	'road_checkpoint',
	'persuasion_point',
	'market_entrance'
] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];
/** One character on the marker, so kinds read apart at a glance (门 gate, 卡 road checkpoint, 劝 persuasion, 市 market). */
export const CHECKPOINT_GLYPHS: Record<CheckpointKind, string> = {
	community_gate: '门',
	road_checkpoint: '卡',
	persuasion_point: '劝',
	market_entrance: '市'
};

export function staffingClass(status: string, staffed: number, required: number): StaffingClass {
	if (status !== 'active') return 'inactive';
	if (staffed >= required) return 'full';
	return staffed === 0 ? 'empty' : 'short';
}

function point(lon: number, lat: number): Point {
	return { type: 'Point', coordinates: [lon, lat] };
}

function collection(features: Feature[]): FeatureCollection {
	return { type: 'FeatureCollection', features };
}

export interface BuildingRow {
	id: number;
	name: string;
	grid_code: string;
	lon: number;
	lat: number;
	households: number | null;
	reached: number | null;
	door: number | null;
	phone: number | null;
	unreachable: number | null;
	flagged: number | null;
	not_started: number | null;
	status: BuildingStatus | 'no_households' | null;
	last_screened_at: string | null;
	last_method: string | null;
	suppressed: boolean;
}

export function buildingFeatures(rows: BuildingRow[]): FeatureCollection {
	return collection(
		rows
			.filter((r) => r.status !== 'no_households')
			.map((r) => ({
				type: 'Feature',
				id: r.id,
				geometry: point(r.lon, r.lat),
				properties: {
					...r,
					status: r.status ?? 'withheld',
					color: BUILDING_STATUS_COLORS[(r.status as BuildingStatus | null) ?? 'withheld']
				}
			}))
	);
}

export interface CheckpointRow {
	id: number;
	name: string;
	kind: CheckpointKind;
	status: string;
	community_code: string;
	lon: number;
	lat: number;
	staff_required: number;
	staffed: number;
	open_from: string;
	open_until: string;
}

export function checkpointFeatures(rows: CheckpointRow[]): FeatureCollection {
	return collection(
		rows.map((r) => {
			const staffing = staffingClass(r.status, r.staffed, r.staff_required);
			return {
				type: 'Feature',
				id: r.id,
				geometry: point(r.lon, r.lat),
				properties: {
					...r,
					staffing,
					color: STAFFING_COLORS[staffing],
					glyph: CHECKPOINT_GLYPHS[r.kind] ?? '?',
					gap: Math.max(0, r.staff_required - r.staffed)
				}
			};
		})
	);
}

export interface OnDutyRow {
	place: string;
	lon: number;
	lat: number;
	volunteers: number;
	names: string[] | null;
}

export function onDutyFeatures(rows: OnDutyRow[]): FeatureCollection {
	return collection(
		rows
			.filter((r) => r.lon !== null && r.lat !== null)
			.map((r, i) => ({
				type: 'Feature',
				id: i + 1,
				geometry: point(r.lon, r.lat),
				// MapLibre flattens nested properties to JSON strings: names travel as one string.
				properties: { place: r.place, volunteers: r.volunteers, names: r.names ? r.names.join('、') : null }
			}))
	);
}

export interface LeadRow {
	id: number | null;
	grid_code: string;
	title: string | null;
	kind: string | null;
	status: LeadStatus;
	overdue: boolean;
	deadline: string | null;
	reported_at: string | null;
	lon: number;
	lat: number;
	leads: number;
}

/** Each lead for staff; for leaders (rows without id) one feature per grid and status, sized by count. */
export function leadFeatures(rows: LeadRow[]): FeatureCollection {
	return collection(
		rows.map((r, i) => ({
			type: 'Feature',
			id: r.id ?? -(i + 1),
			geometry: point(r.lon, r.lat),
			properties: {
				...r,
				aggregate: r.id === null,
				open: OPEN_LEAD_STATUSES.includes(r.status),
				color: LEAD_STATUS_COLORS[r.status] ?? '#000000'
			}
		}))
	);
}

export interface SpecialGroupRow {
	grid_code: string;
	name: string;
	lon: number;
	lat: number;
	total: number | null;
	groups: Record<string, number | null> | null;
	suppressed: boolean;
}

export function specialGroupFeatures(rows: SpecialGroupRow[]): FeatureCollection {
	return collection(
		rows.map((r) => ({
			type: 'Feature',
			id: r.grid_code,
			geometry: point(r.lon, r.lat),
			properties: {
				grid_code: r.grid_code,
				name: r.name,
				total: r.total,
				label: r.total === null ? '<3' : String(r.total),
				groups: JSON.stringify(r.groups ?? {}),
				suppressed: r.suppressed
			}
		}))
	);
}

export interface HeatRow {
	lon: number;
	lat: number;
	screenings: number;
}

export function heatFeatures(rows: HeatRow[]): FeatureCollection {
	return collection(
		rows.map((r, i) => ({
			type: 'Feature',
			id: i + 1,
			geometry: point(r.lon, r.lat),
			properties: { screenings: r.screenings }
		}))
	);
}

export interface MarketRow {
	id: number;
	name: string;
	community_code: string;
	lon: number;
	lat: number;
	entrances: { type: 'MultiPoint'; coordinates: [number, number][] } | null;
}

/** A market as its point, and each entrance as a point of its own (numbered), both tagged with `role`. */
export function marketFeatures(rows: MarketRow[]): FeatureCollection {
	const features: Feature[] = [];
	for (const r of rows) {
		const entrances = r.entrances?.coordinates ?? [];
		features.push({
			type: 'Feature',
			id: r.id * 100,
			geometry: point(r.lon, r.lat),
			properties: { role: 'market', id: r.id, name: r.name, entrances: entrances.length }
		});
		entrances.forEach(([lon, lat], i) =>
			features.push({
				type: 'Feature',
				id: r.id * 100 + i + 1,
				geometry: point(lon, lat),
				properties: { role: 'entrance', id: r.id, name: r.name, entrance: i + 1 }
			})
		);
	}
	return collection(features);
}

/**
 * Hexagon sizes (circumradius, metres) for the view of a unit at each level: a few hundred bins over the unit.
 * The map shows the bins at mid zoom, between the heatmap (low zoom) and the points (high zoom).
 */
export const HEX_SIZE_M: Record<UnitLevel, number> = {
	city: 1500,
	district: 800,
	street: 250,
	community: 100,
	grid: 60
};
/** A fixed origin (central Luzhou), so a hexagon stays where it is from one view and day to the next. */
export const HEX_ORIGIN: [number, number] = [105.44, 28.87];
/** Bins holding fewer than this are not shown to anyone (as the roll-ups withhold counts of 1–2). */
export const HEX_MIN_COUNT = 3;

/**
 * Hexagon bins of weighted points (a building with 12 screenings counts 12), as polygon features tagged
 * `role: 'hex'` with their count; bins under {@link HEX_MIN_COUNT} are left out.
 */
export function hexFeatures(
	points: { lon: number; lat: number; weight: number }[],
	sizeMetres: number
): Feature[] {
	const coords = new Float64Array(points.length * 2);
	const weights = new Int32Array(points.length);
	points.forEach((p, i) => {
		coords[2 * i] = p.lon;
		coords[2 * i + 1] = p.lat;
		weights[i] = Number.isFinite(p.weight) ? Math.max(0, Math.round(p.weight)) : 0;
	});
	const bins = hexbin(coords, sizeMetres, { origin: HEX_ORIGIN, minCount: HEX_MIN_COUNT, weights });
	return hexagonPolygons(bins).features.map((f) => ({
		...f,
		id: `hex:${f.properties.q}:${f.properties.r}`,
		properties: { ...f.properties, role: 'hex', label: formatNumber(f.properties.count) }
	}));
}

/** A layer's point features with its hexagon bins added (weights from `weight` of each feature). */
export function withHexbins(fc: FeatureCollection, weight: string, sizeMetres: number): FeatureCollection {
	const points = fc.features.flatMap((f) =>
		f.geometry.type === 'Point'
			? [
					{
						lon: f.geometry.coordinates[0],
						lat: f.geometry.coordinates[1],
						weight: Number(f.properties?.[weight] ?? 0)
					}
				]
			: []
	);
	return { type: 'FeatureCollection', features: [...fc.features, ...hexFeatures(points, sizeMetres)] };
}
