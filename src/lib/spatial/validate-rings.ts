import type { Position } from 'geojson';
import { fromPolygons, ringArea2, type Areal } from './areal';
import { containsPoint } from './polygon-index';

/*
 * Ring validity for boundaries that people draw or import (grids, issue #5), checked before anything is
 * compared, clipped or saved. What is refused, each with its place so the UI can point at it:
 *
 *   not_areal          not a Polygon or MultiPolygon (a Point, a LineString, a Feature, nothing)
 *   bad_position       a position that is not [lon, lat] numbers in range (NaN, strings, lat 95)
 *   unclosed           a ring whose last position is not its first
 *   too_few_positions  fewer than 4 positions once repeated neighbours are dropped (a triangle is 4: a b c a)
 *   zero_area          a ring that encloses nothing (all its vertices on one line)
 *   self_intersection  a ring that crosses or touches itself (the bowtie), or folds back along an edge
 *   rings_cross        two rings of one polygon (shell and hole, or two holes) that cross or touch
 *   hole_outside       a hole that lies outside its shell
 *
 * What is repaired rather than refused: a repeated position (a a) is dropped, and a ring wound the wrong way
 * is rewound, as RFC 7946 §3.1.6 asks (outer rings counter-clockwise, holes clockwise; KML and Shapefile
 * exports often wind the other way). Overlaps between the parts of a MultiPolygon are left to the tiling
 * check, which measures them.
 */

export type RingProblemKind =
	| 'not_areal'
	| 'bad_position'
	| 'unclosed'
	| 'too_few_positions'
	| 'zero_area'
	| 'self_intersection'
	| 'rings_cross'
	| 'hole_outside';

/** One reason a geometry is refused, and where: polygon and ring by index (0 is the shell), `at` a position. */
export interface RingProblem {
	kind: RingProblemKind;
	polygon: number;
	ring: number;
	at?: Position;
}

/** What {@link checkRings} found. */
export interface RingCheck {
	/** The geometry with repeated positions dropped and rings rewound; null when there is any problem. */
	geometry: Areal | null;
	problems: RingProblem[];
	/** How many rings were rewound. */
	rewound: number;
}

const isPosition = (p: unknown): p is Position =>
	Array.isArray(p) &&
	p.length >= 2 &&
	typeof p[0] === 'number' &&
	typeof p[1] === 'number' &&
	Number.isFinite(p[0]) &&
	Number.isFinite(p[1]) &&
	p[0] >= -180 &&
	p[0] <= 180 &&
	p[1] >= -90 &&
	p[1] <= 90;

/** The ring without repeated neighbours, as [lon, lat] (extra ordinates dropped). */
function dropRepeats(ring: Position[]): Position[] {
	const out: Position[] = [];
	for (const p of ring) {
		const last = out[out.length - 1];
		if (last && last[0] === p[0] && last[1] === p[1]) continue;
		out.push([p[0], p[1]]);
	}
	return out;
}

/** Sign of the cross product (b - a) × (c - a): 1 left turn, -1 right turn, 0 collinear. */
function orient(a: Position, b: Position, c: Position): number {
	const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
	return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** Whether c, collinear with a-b, lies within the segment's box. */
function onSegment(a: Position, b: Position, c: Position): boolean {
	return (
		Math.min(a[0], b[0]) <= c[0] &&
		c[0] <= Math.max(a[0], b[0]) &&
		Math.min(a[1], b[1]) <= c[1] &&
		c[1] <= Math.max(a[1], b[1])
	);
}

/** Whether segments a-b and c-d share any point (crossing, touching, or overlapping). */
export function segmentsIntersect(a: Position, b: Position, c: Position, d: Position): boolean {
	const o1 = orient(a, b, c);
	const o2 = orient(a, b, d);
	const o3 = orient(c, d, a);
	const o4 = orient(c, d, b);
	if (o1 !== o2 && o3 !== o4) return true;
	return (
		(o1 === 0 && onSegment(a, b, c)) ||
		(o2 === 0 && onSegment(a, b, d)) ||
		(o3 === 0 && onSegment(c, d, a)) ||
		(o4 === 0 && onSegment(c, d, b))
	);
}

/** A point where two segments meet, for pointing at a problem (their crossing, or a shared end). */
function meetingPoint(a: Position, b: Position, c: Position, d: Position): Position {
	const den = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0]);
	if (den !== 0) {
		const t = ((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / den;
		return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
	}
	for (const p of [c, d]) if (onSegment(a, b, p)) return p;
	return a;
}

interface Edge {
	ring: number;
	i: number;
	a: Position;
	b: Position;
	minX: number;
	maxX: number;
}

/**
 * Edges of a polygon's rings that meet where they should not, found by a sweep over x (edges sorted by their
 * west end, each compared only with those whose x range it overlaps). Neighbouring edges of a ring share
 * their vertex by construction: they count only when they fold back along each other.
 */
function findCrossings(rings: Position[][]): { ringA: number; ringB: number; at: Position }[] {
	const edges: Edge[] = [];
	rings.forEach((ring, r) => {
		for (let i = 0; i + 1 < ring.length; i++) {
			const a = ring[i];
			const b = ring[i + 1];
			edges.push({ ring: r, i, a, b, minX: Math.min(a[0], b[0]), maxX: Math.max(a[0], b[0]) });
		}
	});
	edges.sort((u, v) => u.minX - v.minX);
	const found: { ringA: number; ringB: number; at: Position }[] = [];
	for (let s = 0; s < edges.length; s++) {
		const e = edges[s];
		for (let t = s + 1; t < edges.length && edges[t].minX <= e.maxX; t++) {
			const f = edges[t];
			if (e.ring === f.ring) {
				const n = rings[e.ring].length - 1; // edges in the ring
				const gap = Math.abs(e.i - f.i);
				if (gap === 1 || gap === n - 1) {
					// neighbours share a vertex; a problem only if they run back along each other (a spike)
					const [first, second] = e.i < f.i ? [e, f] : [f, e];
					const [shared, before, after] =
						gap === 1 ? [first.b, first.a, second.b] : [first.a, first.b, second.a];
					if (
						orient(shared, before, after) === 0 &&
						(before[0] - shared[0]) * (after[0] - shared[0]) +
							(before[1] - shared[1]) * (after[1] - shared[1]) >
							0
					)
						found.push({ ringA: e.ring, ringB: f.ring, at: shared });
					continue;
				}
			}
			if (segmentsIntersect(e.a, e.b, f.a, f.b))
				found.push({ ringA: e.ring, ringB: f.ring, at: meetingPoint(e.a, e.b, f.a, f.b) });
		}
	}
	return found;
}

/**
 * Checks the rings of a Polygon or MultiPolygon that someone drew or imported, and repairs what RFC 7946
 * allows repairing (winding, repeated positions). Positions are [lon, lat] degrees; extra ordinates (height)
 * are dropped.
 *
 * @returns the repaired geometry, or null and every problem found
 * @example
 * const { geometry, problems } = checkRings(feature.geometry);
 * if (!geometry) showReasons(problems); // [{ kind: 'self_intersection', polygon: 0, ring: 0, at: [...] }]
 */
export function checkRings(value: unknown): RingCheck {
	const type = (value as { type?: unknown } | null)?.type;
	const coordinates = (value as { coordinates?: unknown } | null)?.coordinates;
	if (
		(type !== 'Polygon' && type !== 'MultiPolygon') ||
		!Array.isArray(coordinates) ||
		coordinates.length === 0
	)
		return { geometry: null, problems: [{ kind: 'not_areal', polygon: 0, ring: 0 }], rewound: 0 };

	const polygons = (type === 'Polygon' ? [coordinates] : coordinates) as unknown[];
	const problems: RingProblem[] = [];
	const out: Position[][][] = [];
	let rewound = 0;

	polygons.forEach((polygon, p) => {
		if (!Array.isArray(polygon) || polygon.length === 0) {
			problems.push({ kind: 'not_areal', polygon: p, ring: 0 });
			return;
		}
		const rings: Position[][] = [];
		let usable = true;
		polygon.forEach((ring: unknown, r) => {
			if (!Array.isArray(ring) || ring.length === 0) {
				problems.push({ kind: 'too_few_positions', polygon: p, ring: r });
				usable = false;
				return;
			}
			const bad = ring.find((q) => !isPosition(q));
			if (bad !== undefined) {
				problems.push({ kind: 'bad_position', polygon: p, ring: r });
				usable = false;
				return;
			}
			const positions = ring as Position[];
			const first = positions[0];
			const last = positions[positions.length - 1];
			if (first[0] !== last[0] || first[1] !== last[1]) {
				problems.push({ kind: 'unclosed', polygon: p, ring: r, at: [last[0], last[1]] });
				usable = false;
				return;
			}
			const clean = dropRepeats(positions);
			if (clean.length < 4) {
				problems.push({ kind: 'too_few_positions', polygon: p, ring: r });
				usable = false;
				return;
			}
			if (clean.every((q) => orient(clean[0], clean[1], q) === 0)) {
				problems.push({ kind: 'zero_area', polygon: p, ring: r, at: clean[0] });
				usable = false;
				return;
			}
			rings.push(clean);
		});
		if (!usable) return;

		const crossings = findCrossings(rings);
		const seen = new Set<string>();
		for (const c of crossings) {
			const kind = c.ringA === c.ringB ? 'self_intersection' : 'rings_cross';
			const key = `${kind}:${Math.min(c.ringA, c.ringB)}:${Math.max(c.ringA, c.ringB)}`;
			if (seen.has(key)) continue; // one report per ring (or pair), at its first meeting point
			seen.add(key);
			problems.push({ kind, polygon: p, ring: Math.min(c.ringA, c.ringB), at: c.at });
		}
		if (crossings.length > 0) return;

		// shells counter-clockwise (positive area), holes clockwise
		rings.forEach((ring, r) => {
			if ((r === 0) !== ringArea2(ring) > 0) {
				ring.reverse();
				rewound++;
			}
		});

		const shell: Areal = { type: 'Polygon', coordinates: [rings[0]] };
		rings.slice(1).forEach((hole, h) => {
			// the rings do not cross, so one vertex tells whether the whole hole is inside
			if (!containsPoint(shell, hole[0][0], hole[0][1]))
				problems.push({ kind: 'hole_outside', polygon: p, ring: h + 1, at: hole[0] });
		});
		out.push(rings);
	});

	if (problems.length > 0) return { geometry: null, problems, rewound };
	return { geometry: fromPolygons(out), problems, rewound };
}
