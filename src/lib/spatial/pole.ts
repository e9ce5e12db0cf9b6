import type { Position } from 'geojson';
import polylabel from 'polylabel';
import { isAreal, polygonsOf, type Areal } from './areal';
import { METRES_PER_DEGREE, metresPerDegreeLon } from './metres';

/**
 * Where a unit's name goes on the map: its pole of inaccessibility, the point inside it farthest from its edges
 * (the centre of the largest circle that fits in it), as MapLibre places a polygon's label. Unlike a centroid it
 * is inside a crescent or an L-shaped grid, and clear of its edges. For a unit in several parts, the part with the
 * largest such circle. Distances are in metres on a local plane (a degree of longitude is shorter than one of
 * latitude), to within a two-hundredth of the part's size.
 *
 * @param geometry Polygon or MultiPolygon, degrees
 * @returns the point ([lon, lat], inside the geometry) and the radius of that circle in metres, or null for a
 *   geometry without area
 * @example
 * poleOfInaccessibility(grid.geometry); // { at: [105.4412, 28.8921], radiusMeters: 212 }
 */
export function poleOfInaccessibility(geometry: Areal): { at: Position; radiusMeters: number } | null {
	if (!isAreal(geometry)) throw new Error('geometry must be a Polygon or MultiPolygon');
	let best: { at: Position; radiusMeters: number } | null = null;
	for (const rings of polygonsOf(geometry)) {
		const outer = rings[0];
		if (!outer || outer.length < 4) continue;
		let minX = Infinity;
		let minY = Infinity;
		let maxX = -Infinity;
		let maxY = -Infinity;
		for (const [x, y] of outer) {
			minX = Math.min(minX, x);
			minY = Math.min(minY, y);
			maxX = Math.max(maxX, x);
			maxY = Math.max(maxY, y);
		}
		// metres east and north of the part's south-west corner
		const kx = metresPerDegreeLon((minY + maxY) / 2);
		const ky = METRES_PER_DEGREE;
		const plane = rings.map((ring) => ring.map(([x, y]) => [(x - minX) * kx, (y - minY) * ky]));
		const size = Math.max((maxX - minX) * kx, (maxY - minY) * ky);
		if (!(size > 0)) continue;
		const pole = polylabel(plane, size / 200);
		if (best === null || pole.distance > best.radiusMeters)
			best = { at: [minX + pole[0] / kx, minY + pole[1] / ky], radiusMeters: pole.distance };
	}
	return best && best.radiusMeters > 0 ? best : null;
}
