import { booleanPointInPolygon } from '@turf/turf';
import type { Position } from 'geojson';
import { isAreal, polygonsOf, type Areal } from './areal';
import { METRES_PER_DEGREE, metresPerDegreeLon } from './metres';
import { pointSegmentDistanceSq } from './planar';

/**
 * The shortest distance from a point to any edge (outer ring or hole) of a polygon, in metres.
 * Uses a local equirectangular projection around the point: accurate to well under 1 % for the
 * distances this is meant for (margins of metres to a few kilometres), and much faster than Turf's
 * geodesic `pointToLineDistance` on rings with hundreds of vertices.
 *
 * @param point [lon, lat] in degrees
 * @param polygon Polygon or MultiPolygon in degrees
 * @returns distance in metres, whether the point is inside or outside
 * @example
 * distanceToBoundaryMeters([105.4, 28.9], street); // 312.5
 */
export function distanceToBoundaryMeters(point: Position, polygon: Areal): number {
	if (!Array.isArray(point) || point.length < 2) throw new Error('point must be [lon, lat]');
	if (!isAreal(polygon)) throw new Error('polygon must be a Polygon or MultiPolygon geometry');
	const [lon0, lat0] = point;
	const kx = metresPerDegreeLon(lat0);
	const ky = METRES_PER_DEGREE;
	let best = Infinity;
	for (const rings of polygonsOf(polygon)) {
		for (const ring of rings) {
			for (let i = 1; i < ring.length; i++) {
				// the point is the origin of the local plane
				const d = pointSegmentDistanceSq(
					0,
					0,
					(ring[i - 1][0] - lon0) * kx,
					(ring[i - 1][1] - lat0) * ky,
					(ring[i][0] - lon0) * kx,
					(ring[i][1] - lat0) * ky
				);
				if (d < best) best = d;
			}
		}
	}
	return Math.sqrt(best);
}

/**
 * Whether a point is strictly inside a polygon and at least `marginMeters` from every edge (holes too).
 *
 * @example
 * isWellInside(center, grid, 0.5); // true: 0.5 m or more from the grid's edges
 */
export function isWellInside(point: Position, polygon: Areal, marginMeters: number): boolean {
	return (
		booleanPointInPolygon(point, polygon, { ignoreBoundary: true }) &&
		distanceToBoundaryMeters(point, polygon) >= marginMeters
	);
}
