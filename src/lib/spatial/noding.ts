import type { Position } from 'geojson';
import { fromPolygons, isAreal, polygonsOf, type Areal } from './areal';
import { positionKey } from './planar';

/*
 * Why noding matters before rounding: where a child's edge ends on its neighbour's edge (a T-junction:
 * a Voronoi edge meeting the parent's border), the junction vertex lies exactly on the neighbour's edge,
 * but only one of the two polygons has it. Round both to 6 decimals and the vertex moves off the
 * neighbour's edge by up to 5 cm: a thin gap or overlap appears. Inserting the vertex into the
 * neighbour's edge first gives both polygons the same vertex, which rounds to the same place.
 */

/** Options for {@link nodeCoverage}. */
export interface NodeCoverageOptions {
	/** How close a vertex must be to an edge to count as lying on it, in degrees (default 1e-9, 0.1 mm). */
	tolerance?: number;
}

/**
 * Inserts into every edge of every geometry the vertices of all the geometries that lie on that edge
 * (T-junctions), so that shared borders have the same vertices on both sides. Nothing moves: the
 * inserted vertices lie on the edges already, within `tolerance`.
 *
 * @param geometries Polygons or MultiPolygons in degrees, typically every level of a nested tiling
 * @returns the geometries in input order with the vertices inserted
 * @example
 * const [district, ...streets] = nodeCoverage([district, ...streets]).map((g) => roundGeometry(g));
 */
export function nodeCoverage(geometries: Areal[], options: NodeCoverageOptions = {}): Areal[] {
	if (!Array.isArray(geometries)) throw new Error('geometries must be an array');
	geometries.forEach((g, i) => {
		if (!isAreal(g)) throw new Error(`geometry ${i} must be a Polygon or MultiPolygon`);
	});
	const tolerance = options.tolerance ?? 1e-9;
	if (!(tolerance > 0)) throw new Error('tolerance must be > 0');

	const vertices = new Map<string, Position>();
	let minX = Infinity;
	let minY = Infinity;
	let maxX = -Infinity;
	let maxY = -Infinity;
	for (const g of geometries) {
		for (const rings of polygonsOf(g)) {
			for (const ring of rings) {
				for (const p of ring) {
					vertices.set(positionKey(p), p);
					if (p[0] < minX) minX = p[0];
					if (p[1] < minY) minY = p[1];
					if (p[0] > maxX) maxX = p[0];
					if (p[1] > maxY) maxY = p[1];
				}
			}
		}
	}
	if (vertices.size === 0) return geometries.slice();

	// a uniform grid index over the vertices, about 4 per cell on average
	const cell = Math.max(
		(maxX - minX) / 1024,
		(maxY - minY) / 1024,
		Math.sqrt(((maxX - minX) * (maxY - minY) * 4) / vertices.size),
		1e-6
	);
	const index = new Map<string, Position[]>();
	for (const p of vertices.values()) {
		const k = `${Math.floor((p[0] - minX) / cell)},${Math.floor((p[1] - minY) / cell)}`;
		const bucket = index.get(k);
		if (bucket) bucket.push(p);
		else index.set(k, [p]);
	}

	const nodeRing = (ring: Position[]): Position[] => {
		const out: Position[] = [ring[0]];
		for (let i = 1; i < ring.length; i++) {
			const a = ring[i - 1];
			const b = ring[i];
			const dx = b[0] - a[0];
			const dy = b[1] - a[1];
			const lengthSq = dx * dx + dy * dy;
			if (lengthSq > 0) {
				const onEdge: { t: number; p: Position }[] = [];
				const x0 = Math.floor((Math.min(a[0], b[0]) - tolerance - minX) / cell);
				const x1 = Math.floor((Math.max(a[0], b[0]) + tolerance - minX) / cell);
				const y0 = Math.floor((Math.min(a[1], b[1]) - tolerance - minY) / cell);
				const y1 = Math.floor((Math.max(a[1], b[1]) + tolerance - minY) / cell);
				const length = Math.sqrt(lengthSq);
				for (let x = x0; x <= x1; x++) {
					for (let y = y0; y <= y1; y++) {
						const bucket = index.get(`${x},${y}`);
						if (!bucket) continue;
						for (const p of bucket) {
							if ((p[0] === a[0] && p[1] === a[1]) || (p[0] === b[0] && p[1] === b[1])) continue;
							const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / lengthSq;
							if (t * length <= tolerance || (1 - t) * length <= tolerance) continue;
							const distance = Math.abs((p[0] - a[0]) * dy - (p[1] - a[1]) * dx) / length;
							if (distance <= tolerance) onEdge.push({ t, p });
						}
					}
				}
				onEdge.sort((u, v) => u.t - v.t || u.p[0] - v.p[0] || u.p[1] - v.p[1]);
				for (const { p } of onEdge) out.push(p);
			}
			out.push(b);
		}
		return out;
	};

	return geometries.map((g) => fromPolygons(polygonsOf(g).map((rings) => rings.map(nodeRing))));
}
