import { isAreal, polygonsOf, type Areal } from './areal';

/** `[minLon, minLat, maxLon, maxLat]` in degrees, the order of the database's bbox columns. */
export type BBox = [number, number, number, number];

/**
 * The bounding box of a Polygon or MultiPolygon, holes included, in degrees.
 *
 * @throws when the geometry is not areal or has no coordinates
 * @example
 * geometryBbox(street); // [105.41, 28.85, 105.44, 28.88]
 */
export function geometryBbox(geometry: Areal): BBox {
	if (!isAreal(geometry)) throw new Error('geometry must be a Polygon or MultiPolygon');
	let minX = Infinity;
	let minY = Infinity;
	let maxX = -Infinity;
	let maxY = -Infinity;
	for (const rings of polygonsOf(geometry)) {
		for (const ring of rings) {
			for (const p of ring) {
				if (p[0] < minX) minX = p[0];
				if (p[1] < minY) minY = p[1];
				if (p[0] > maxX) maxX = p[0];
				if (p[1] > maxY) maxY = p[1];
			}
		}
	}
	if (!Number.isFinite(minX)) throw new Error('geometry has no coordinates');
	return [minX, minY, maxX, maxY];
}

/** Whether two bboxes share any point (touching edges count). */
export function bboxesIntersect(a: BBox, b: BBox): boolean {
	return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}
