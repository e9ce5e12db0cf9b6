import type { MultiPolygon, Polygon, Position } from 'geojson';

/** Mean Earth radius in metres (the value Turf uses). */
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

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
export function distanceToBoundaryMeters(point: Position, polygon: Polygon | MultiPolygon): number {
	if (!Array.isArray(point) || point.length < 2) throw new Error('point must be [lon, lat]');
	if (!polygon || (polygon.type !== 'Polygon' && polygon.type !== 'MultiPolygon')) {
		throw new Error('polygon must be a Polygon or MultiPolygon geometry');
	}
	const [lon0, lat0] = point;
	const kx = Math.cos(lat0 * RAD) * RAD * EARTH_RADIUS_M;
	const ky = RAD * EARTH_RADIUS_M;
	const polygons = polygon.type === 'Polygon' ? [polygon.coordinates] : polygon.coordinates;
	let best = Infinity;
	for (const rings of polygons) {
		for (const ring of rings) {
			for (let i = 1; i < ring.length; i++) {
				const ax = (ring[i - 1][0] - lon0) * kx;
				const ay = (ring[i - 1][1] - lat0) * ky;
				const bx = (ring[i][0] - lon0) * kx;
				const by = (ring[i][1] - lat0) * ky;
				// distance from the origin (the point) to segment a-b
				const dx = bx - ax;
				const dy = by - ay;
				const lengthSq = dx * dx + dy * dy;
				const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / lengthSq));
				const cx = ax + t * dx;
				const cy = ay + t * dy;
				const d = cx * cx + cy * cy;
				if (d < best) best = d;
			}
		}
	}
	return Math.sqrt(best);
}
