import { booleanPointInPolygon } from '@turf/turf';
import type { Position } from 'geojson';
import { isAreal, largestPartIndex, polygonsOf, ringCentroid, type Areal } from './areal';

/**
 * A point to label or centre a unit on: the centroid of its largest part when that lies strictly inside
 * the geometry, otherwise `fallback` (for a generated unit, the seed it grew from). A concave unit (a
 * crescent along a river) has its centroid outside, where a label or a "fly to" would mislead.
 *
 * @param geometry Polygon or MultiPolygon, degrees
 * @param fallback [lon, lat] known to be inside the geometry
 * @returns [lon, lat]
 * @example
 * labelPoint(street, streetSeed); // [105.44, 28.88]
 */
export function labelPoint(geometry: Areal, fallback: Position): Position {
	if (!isAreal(geometry)) throw new Error('geometry must be a Polygon or MultiPolygon');
	if (!Array.isArray(fallback) || fallback.length < 2) throw new Error('fallback must be [lon, lat]');
	const parts = polygonsOf(geometry);
	const centroid = ringCentroid(parts[largestPartIndex(parts)][0]);
	return booleanPointInPolygon(centroid, geometry, { ignoreBoundary: true }) ? centroid : fallback;
}
