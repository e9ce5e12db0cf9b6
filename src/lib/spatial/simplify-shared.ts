import type { Position } from 'geojson';
import { fromPolygons, isAreal, polygonsOf, type Areal } from './areal';
import { pointSegmentDistanceSq, positionKey } from './planar';

/*
 * Douglas-Peucker simplification that keeps shared borders shared.
 *
 * Simplifying each district on its own (turf.simplify) moves the two copies of a common border
 * differently and opens gaps and overlaps between neighbours. Here the rings are first cut into arcs at
 * junctions (vertices where the set of rings passing through changes), so a border shared by two
 * districts is the same arc, vertex for vertex, in both; each arc is simplified in a canonical direction,
 * so both copies come out identical. This is the idea behind TopoJSON's `toposimplify`, without the
 * arc-index encoding.
 *
 * The input must share borders exactly (identical vertices), as boundaries cut from one dataset do.
 */

/** Distance from p to segment a-b, in the coordinates' own units (planar). */
function segmentDistance(p: Position, a: Position, b: Position): number {
	return Math.sqrt(pointSegmentDistanceSq(p[0], p[1], a[0], a[1], b[0], b[1]));
}

/** Douglas-Peucker over an open polyline, keeping both ends; iterative, ties go to the first index. */
function douglasPeucker(points: Position[], tolerance: number): Position[] {
	if (points.length <= 2) return points;
	const keep = new Uint8Array(points.length);
	keep[0] = 1;
	keep[points.length - 1] = 1;
	const stack: [number, number][] = [[0, points.length - 1]];
	while (stack.length > 0) {
		const [first, last] = stack.pop()!;
		let maxDistance = -1;
		let index = -1;
		for (let i = first + 1; i < last; i++) {
			const d = segmentDistance(points[i], points[first], points[last]);
			if (d > maxDistance) {
				maxDistance = d;
				index = i;
			}
		}
		if (index >= 0 && maxDistance > tolerance) {
			keep[index] = 1;
			stack.push([first, index], [index, last]);
		}
	}
	return points.filter((_, i) => keep[i] === 1);
}

/** Simplifies an arc the same way whichever direction it is walked in. */
function simplifyArc(arc: Position[], tolerance: number): Position[] {
	const head = positionKey(arc[0]);
	const tail = positionKey(arc[arc.length - 1]);
	const reversed = head === tail ? positionKey(arc[1]) > positionKey(arc[arc.length - 2]) : head > tail;
	if (!reversed) return douglasPeucker(arc, tolerance);
	return douglasPeucker(arc.slice().reverse(), tolerance).reverse();
}

/** Drops repeated consecutive vertices and the closing vertex: the ring as a cycle. */
function openRing(ring: Position[]): Position[] {
	const out: Position[] = [];
	for (const p of ring) {
		const last = out[out.length - 1];
		if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
	}
	if (out.length > 1 && positionKey(out[0]) === positionKey(out[out.length - 1])) out.pop();
	return out;
}

/**
 * Simplifies polygons that share borders (districts of one city) with Douglas-Peucker, keeping every
 * shared border identical in all the polygons that share it, so no gap or overlap opens between them.
 *
 * @param geometries Polygons or MultiPolygons in degrees whose common borders have identical vertices
 * @param tolerance largest distance a removed vertex may lie from the simplified line, in degrees
 *   (planar, as turf.simplify; 0.001° is about 100 m north-south)
 * @returns the simplified geometries, in input order. A ring that would shrink below a triangle is kept
 *   as it was. The result is not re-validated: a simplified arc can in rare cases cross a nearby arc,
 *   so clean the output (e.g. by a polygon-clipping pass) before relying on it.
 * @example
 * const [jiangyang, naxi] = simplifySharedBorders([jiangyangRaw, naxiRaw], 0.001);
 */
export function simplifySharedBorders(geometries: Areal[], tolerance: number): Areal[] {
	if (!Array.isArray(geometries)) throw new Error('geometries must be an array');
	geometries.forEach((g, i) => {
		if (!isAreal(g)) throw new Error(`geometry ${i} must be a Polygon or MultiPolygon`);
	});
	if (!(tolerance >= 0)) throw new Error('tolerance must be a number >= 0');

	const rings = geometries.map((g) => polygonsOf(g).map((rs) => rs.map(openRing)));

	// which rings pass through each vertex, as a signature string
	const owners = new Map<string, string[]>();
	rings.forEach((polygons, g) =>
		polygons.forEach((rs, p) =>
			rs.forEach((ring, r) => {
				const id = `${g}.${p}.${r}`;
				for (const v of ring) {
					const list = owners.get(positionKey(v));
					if (list) list.push(id);
					else owners.set(positionKey(v), [id]);
				}
			})
		)
	);
	const signature = new Map<string, string>();
	for (const [k, list] of owners) signature.set(k, list.sort().join('|'));

	// junctions: a vertex where the ring set changes along any ring, or that a ring visits twice
	const junctions = new Set<string>();
	for (const [k, list] of owners) {
		if (new Set(list).size !== list.length) junctions.add(k);
	}
	for (const polygons of rings) {
		for (const rs of polygons) {
			for (const ring of rs) {
				const n = ring.length;
				for (let i = 0; i < n; i++) {
					const here = signature.get(positionKey(ring[i]));
					if (
						here !== signature.get(positionKey(ring[(i + n - 1) % n])) ||
						here !== signature.get(positionKey(ring[(i + 1) % n]))
					) {
						junctions.add(positionKey(ring[i]));
					}
				}
			}
		}
	}

	return rings.map((polygons, g) =>
		fromPolygons(
			polygons.map((rs, p) =>
				rs.map((ring, r) => {
					const original = polygonsOf(geometries[g])[p][r];
					if (ring.length < 4) return original;
					const simplified = simplifyRing(ring, junctions, tolerance);
					return simplified.length >= 4 ? simplified : original;
				})
			)
		)
	);
}

/** Simplifies one open ring arc by arc between its fixed vertices; returns it closed. */
function simplifyRing(ring: Position[], junctions: Set<string>, tolerance: number): Position[] {
	const n = ring.length;
	let fixed: number[] = [];
	for (let i = 0; i < n; i++) if (junctions.has(positionKey(ring[i]))) fixed.push(i);
	if (fixed.length < 2) {
		// no (or one) junction: pin the smallest vertex and the one farthest from it, both canonical
		let start = fixed[0] ?? -1;
		if (start < 0) {
			start = 0;
			for (let i = 1; i < n; i++) if (positionKey(ring[i]) < positionKey(ring[start])) start = i;
		}
		let far = start;
		let farDistance = -1;
		for (let i = 0; i < n; i++) {
			const d = Math.hypot(ring[i][0] - ring[start][0], ring[i][1] - ring[start][1]);
			if (d > farDistance || (d === farDistance && positionKey(ring[i]) < positionKey(ring[far]))) {
				farDistance = d;
				far = i;
			}
		}
		fixed = [start, far].sort((a, b) => a - b);
	}
	const out: Position[] = [];
	for (let f = 0; f < fixed.length; f++) {
		const from = fixed[f];
		const to = fixed[(f + 1) % fixed.length];
		const arc: Position[] = [];
		for (let i = from; ; i = (i + 1) % n) {
			arc.push(ring[i]);
			if (i === to && arc.length > 1) break;
		}
		const simplified = simplifyArc(arc, tolerance);
		out.push(...simplified.slice(0, -1));
	}
	out.push(out[0]);
	return out;
}
