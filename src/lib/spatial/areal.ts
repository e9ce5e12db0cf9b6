import type { MultiPolygon, Polygon, Position } from 'geojson';

/** A geometry with an area: the only kinds the unit hierarchy uses. */
export type Areal = Polygon | MultiPolygon;

/** Whether a value is a Polygon or MultiPolygon geometry object. */
export function isAreal(value: unknown): value is Areal {
	const type = (value as { type?: unknown } | null)?.type;
	return (type === 'Polygon' || type === 'MultiPolygon') && Array.isArray((value as Areal).coordinates);
}

/** The polygons of an areal geometry as a list of ring arrays (a Polygon is a list of one). */
export function polygonsOf(geometry: Areal): Position[][][] {
	return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** An areal geometry from a list of polygons: Polygon when there is one, MultiPolygon otherwise. */
export function fromPolygons(polygons: Position[][][]): Areal {
	if (polygons.length === 0) throw new Error('polygons must not be empty');
	return polygons.length === 1
		? { type: 'Polygon', coordinates: polygons[0] }
		: { type: 'MultiPolygon', coordinates: polygons };
}

/**
 * The planar area-weighted centroid of a polygon's outer ring, in degrees. Holes are ignored; for the
 * small units here (a few km across at most) the planar approximation is far inside a metre.
 *
 * @throws when the ring has no area
 */
export function ringCentroid(ring: Position[]): Position {
	if (!Array.isArray(ring) || ring.length < 4) throw new Error('ring must have at least 4 positions');
	// shift to the first vertex so the products stay small and precise
	const [x0, y0] = ring[0];
	let area2 = 0;
	let cx = 0;
	let cy = 0;
	for (let i = 1; i < ring.length; i++) {
		const ax = ring[i - 1][0] - x0;
		const ay = ring[i - 1][1] - y0;
		const bx = ring[i][0] - x0;
		const by = ring[i][1] - y0;
		const cross = ax * by - bx * ay;
		area2 += cross;
		cx += (ax + bx) * cross;
		cy += (ay + by) * cross;
	}
	if (area2 === 0) throw new Error('ring has no area');
	return [x0 + cx / (3 * area2), y0 + cy / (3 * area2)];
}

/** Twice the signed planar area of a closed ring (shoelace), in square degrees; positive when counter-clockwise. */
export function ringArea2(ring: Position[]): number {
	let sum = 0;
	for (let i = 1; i < ring.length; i++) sum += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
	return sum;
}

/** The planar area of a polygon (outer ring minus holes), in square degrees; only for comparing sizes. */
export function planarArea(rings: Position[][]): number {
	let total = 0;
	rings.forEach((ring, i) => {
		const area = Math.abs(ringArea2(ring)) / 2;
		total += i === 0 ? area : -area;
	});
	return total;
}

/**
 * The index of the largest of `parts` (the polygons of a MultiPolygon), the first one on a tie.
 *
 * @param areas each part's area, when the caller has them already (default: {@link planarArea}, each
 *   part measured once)
 */
export function largestPartIndex(parts: Position[][][], areas: number[] = parts.map(planarArea)): number {
	if (parts.length === 0 || areas.length !== parts.length) throw new Error('need one area per part');
	let best = 0;
	for (let i = 1; i < areas.length; i++) if (areas[i] > areas[best]) best = i;
	return best;
}
