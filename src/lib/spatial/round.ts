import type { Position } from 'geojson';
import { fromPolygons, isAreal, polygonsOf, ringArea2, type Areal } from './areal';

/**
 * Rounds a number to a fixed number of decimals. At 6 decimals a degree step is about 0.1 m.
 *
 * @example
 * roundTo(105.2568359375, 6); // 105.256836
 */
export function roundTo(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}

/**
 * A [lon, lat] position with both coordinates rounded to `decimals` places (default 6, about 0.1 m).
 *
 * @example
 * roundPosition([105.2568359375, 28.7333984375]); // [105.256836, 28.733398]
 */
export function roundPosition(position: Position, decimals = 6): [number, number] {
	return [roundTo(position[0], decimals), roundTo(position[1], decimals)];
}

function roundRing(ring: Position[], decimals: number): Position[] | null {
	const out: Position[] = [];
	for (const position of ring) {
		const p = roundPosition(position, decimals);
		const last = out[out.length - 1];
		if (last && last[0] === p[0] && last[1] === p[1]) continue;
		// a spike there and back (a, b, a) encloses nothing: drop its tip and the repeated point
		const beforeLast = out[out.length - 2];
		if (beforeLast && beforeLast[0] === p[0] && beforeLast[1] === p[1]) {
			out.pop();
			continue;
		}
		out.push(p);
	}
	// close the ring again if rounding merged the closing point into its neighbour
	const first = out[0];
	const last = out[out.length - 1];
	if (out.length > 1 && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0], first[1]]);
	if (out.length < 4 || ringArea2(out) === 0) return null;
	return out;
}

/**
 * Rounds every coordinate of a Polygon or MultiPolygon to `decimals` places (default 6, about 0.1 m),
 * removing vertices that rounding made repeat and rings that it collapsed to no area. Rounding is a pure
 * function of each coordinate, so two neighbours that shared a vertex before still share it after: this
 * is what keeps a tiling free of gaps and overlaps when its pieces are rounded one at a time.
 *
 * @returns the rounded geometry (a MultiPolygon with one part comes back as a Polygon), or null when
 *   nothing with an area is left
 * @example
 * roundGeometry(cell, 6);
 */
export function roundGeometry(geometry: Areal, decimals = 6): Areal | null {
	if (!isAreal(geometry)) throw new Error('geometry must be a Polygon or MultiPolygon');
	if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) {
		throw new Error('decimals must be an integer between 0 and 15');
	}
	const polygons = polygonsOf(geometry);
	const out: Position[][][] = [];
	for (const rings of polygons) {
		const outer = roundRing(rings[0], decimals);
		if (!outer) continue;
		const holes: Position[][] = [];
		for (const hole of rings.slice(1)) {
			const rounded = roundRing(hole, decimals);
			if (rounded) holes.push(rounded);
		}
		out.push([outer, ...holes]);
	}
	return out.length === 0 ? null : fromPolygons(out);
}
