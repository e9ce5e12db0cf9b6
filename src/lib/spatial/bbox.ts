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

/** A stored box: the database's four bbox columns, null when the unit has no boundary. */
export interface StoredBox {
	min_lon: number | null;
	min_lat: number | null;
	max_lon: number | null;
	max_lat: number | null;
}

/** The box around the stored boxes that have one, or null when none has. */
export function unionBbox(boxes: readonly StoredBox[]): BBox | null {
	let out: BBox | null = null;
	for (const b of boxes) {
		if (b.min_lon === null || b.min_lat === null || b.max_lon === null || b.max_lat === null) continue;
		out = out
			? [
					Math.min(out[0], b.min_lon),
					Math.min(out[1], b.min_lat),
					Math.max(out[2], b.max_lon),
					Math.max(out[3], b.max_lat)
				]
			: [b.min_lon, b.min_lat, b.max_lon, b.max_lat];
	}
	return out;
}
