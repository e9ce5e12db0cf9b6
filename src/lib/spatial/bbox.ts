import type { Geometry, Position } from 'geojson';

/** `[minLon, minLat, maxLon, maxLat]` in degrees, the order of the database's bbox columns. */
export type BBox = [number, number, number, number];

/**
 * The bounding box of any GeoJSON geometry, in degrees.
 *
 * @throws when the geometry is missing or has no coordinates
 * @example
 * geometryBbox({ type: 'Point', coordinates: [105.4, 28.9] }); // [105.4, 28.9, 105.4, 28.9]
 */
export function geometryBbox(geometry: Geometry): BBox {
	if (!geometry || typeof geometry !== 'object' || !('type' in geometry)) {
		throw new Error('geometry is required');
	}
	const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
	const visit = (position: Position) => {
		if (position[0] < box[0]) box[0] = position[0];
		if (position[1] < box[1]) box[1] = position[1];
		if (position[0] > box[2]) box[2] = position[0];
		if (position[1] > box[3]) box[3] = position[1];
	};
	const walk = (g: Geometry) => {
		switch (g.type) {
			case 'Point':
				visit(g.coordinates);
				break;
			case 'MultiPoint':
			case 'LineString':
				g.coordinates.forEach(visit);
				break;
			case 'MultiLineString':
			case 'Polygon':
				for (const line of g.coordinates) line.forEach(visit);
				break;
			case 'MultiPolygon':
				for (const polygon of g.coordinates) for (const ring of polygon) ring.forEach(visit);
				break;
			case 'GeometryCollection':
				g.geometries.forEach(walk);
				break;
			default:
				throw new Error(`unsupported geometry type ${(g as Geometry).type}`);
		}
	};
	walk(geometry);
	if (!Number.isFinite(box[0])) throw new Error('geometry has no coordinates');
	return box;
}

/** Whether two bboxes share any point (touching edges count). */
export function bboxesIntersect(a: BBox, b: BBox): boolean {
	return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}
