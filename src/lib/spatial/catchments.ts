import { featureCollection, point, voronoi } from '@turf/turf';
import type { Feature, FeatureCollection, Position } from 'geojson';
import { isAreal, type Areal } from './areal';
import { geometryBbox } from './bbox';
import { intersectAreal } from './clip';
import { fromPlane, localPlane, toPlane } from './local-plane';
import type { PlaceId, ReachCheckpoint } from './reach';

/** Checkpoints closer than this (metres) share one catchment: they stand at the same place. */
export const SAME_PLACE_M = 0.01;

export interface CatchmentProperties {
	/** the first checkpoint (in input order) standing at the cell's site */
	checkpoint: PlaceId;
	/** every checkpoint standing there (more than one when points repeat) */
	checkpoints: PlaceId[];
}

/**
 * The catchment of every checkpoint: the part of the street nearer to it than to any other checkpoint
 * (a Voronoi cell clipped to the street).
 *
 * The cells are built in a local metric plane (local-plane.ts), not in raw degrees: at 28.9°N a degree of
 * longitude is 12 % shorter than one of latitude, so Voronoi in degrees would draw the borders off the
 * true bisectors. The plane is affine in lon/lat, so the cells stay straight-edged polygons in degrees.
 *
 * Defined for every input, without throwing on the ones the editor can produce:
 * - no checkpoint: no cell;
 * - one checkpoint (or several at one place): one cell, the whole street;
 * - checkpoints within {@link SAME_PLACE_M} of an earlier one join its cell (listed in `checkpoints`);
 * - a checkpoint whose cell does not reach into the street (one far outside it) gets no feature.
 *
 * @param street the street's Polygon or MultiPolygon, degrees
 * @param checkpoints ids must be unique
 * @returns one feature per cell with area inside the street, in input order of their first checkpoint
 * @throws when the street is not areal, an id repeats or a position is not finite
 * @example
 * catchments(street, [{ id: 1, lon: 105.46, lat: 28.88 }, { id: 2, lon: 105.48, lat: 28.89 }]);
 * // FeatureCollection of 2 cells, properties { checkpoint: 1, checkpoints: [1] } and { checkpoint: 2, ... }
 */
export function catchments(
	street: Areal,
	checkpoints: readonly ReachCheckpoint[]
): FeatureCollection<Areal, CatchmentProperties> {
	if (!isAreal(street)) throw new Error('street must be a Polygon or MultiPolygon');
	if (!Array.isArray(checkpoints)) throw new Error('checkpoints must be an array');
	const ids = new Set<PlaceId>();
	for (const c of checkpoints) {
		if (!c || !Number.isFinite(c.lon) || !Number.isFinite(c.lat)) {
			throw new Error(`checkpoint ${c?.id} needs a finite lon and lat`);
		}
		if (ids.has(c.id)) throw new Error(`checkpoint id ${c.id} is repeated`);
		ids.add(c.id);
	}
	if (checkpoints.length === 0) return featureCollection([]);

	const [minLon, minLat, maxLon, maxLat] = geometryBbox(street);
	const plane = localPlane((minLon + maxLon) / 2, (minLat + maxLat) / 2);

	// group checkpoints standing at one place (a handful per street, so pairwise is fine)
	const sites: { x: number; y: number; ids: PlaceId[] }[] = [];
	for (const c of checkpoints) {
		const [x, y] = toPlane(plane, c.lon, c.lat);
		const same = sites.find((s) => Math.hypot(s.x - x, s.y - y) < SAME_PLACE_M);
		if (same) same.ids.push(c.id);
		else sites.push({ x, y, ids: [c.id] });
	}
	const properties = (ids: PlaceId[]): CatchmentProperties => ({ checkpoint: ids[0], checkpoints: ids });
	if (sites.length === 1) {
		return featureCollection([
			{ type: 'Feature', properties: properties(sites[0].ids), geometry: structuredClone(street) }
		]);
	}

	// an extent holding the street and every site, with room to spare so no cell is cut short
	const [sx0, sy0] = toPlane(plane, minLon, minLat);
	const [sx1, sy1] = toPlane(plane, maxLon, maxLat);
	let x0 = sx0;
	let y0 = sy0;
	let x1 = sx1;
	let y1 = sy1;
	for (const s of sites) {
		x0 = Math.min(x0, s.x);
		y0 = Math.min(y0, s.y);
		x1 = Math.max(x1, s.x);
		y1 = Math.max(y1, s.y);
	}
	const pad = Math.max(x1 - x0, y1 - y0, 1);
	const cells = voronoi(featureCollection(sites.map((s, i) => point([s.x, s.y], { site: i }))), {
		bbox: [x0 - pad, y0 - pad, x1 + pad, y1 + pad]
	});

	const out: Feature<Areal, CatchmentProperties>[] = [];
	// d3-voronoi leaves a hole in its output for a site it merges with another (closer than its epsilon):
	// such a site simply gets no cell, like one outside the street. Cells come in site order.
	for (const cell of cells.features) {
		if (!cell) continue;
		const site = (cell.properties as { site: number }).site;
		const ring: Position[] = cell.geometry.coordinates[0].map(([x, y]) => fromPlane(plane, x, y));
		const clipped = intersectAreal(street, { type: 'Polygon', coordinates: [ring] });
		if (clipped) out.push({ type: 'Feature', properties: properties(sites[site].ids), geometry: clipped });
	}
	return featureCollection(out);
}
