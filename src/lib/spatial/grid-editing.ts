import type { Position } from 'geojson';
import { fromPolygons, isAreal, polygonsOf, type Areal } from './areal';
import { differenceAreal, intersectAreal, unionAreal } from './clip';
import { nodeCoverage } from './noding';
import { roundGeometry } from './round';

/*
 * Editing a tiling (a community's grids) so that it stays a tiling. Neighbouring grids share their border's
 * vertices (the seed nodes and rounds them together), so a border is edited by changing the same vertex in
 * every grid that has it:
 *
 *   moveSharedVertex    a dragged vertex moves in every grid that has it (a junction of three grids too)
 *   insertSharedVertex  a vertex added on an edge is added to the neighbour's copy of that edge
 *   removeSharedVertex  a vertex removed is removed where it lies between the same two neighbours
 *   takeArea            a drawn shape joins one grid and leaves the others (the "redraw" of a border)
 *
 * The drawing library edits one feature at a time; `editOf` says what one edit did, from the feature's
 * geometry before and after, so the change can be carried over to the neighbours.
 */

const same = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

function mapRings(geometry: Areal, f: (ring: Position[]) => Position[]): Areal {
	return fromPolygons(polygonsOf(geometry).map((rings) => rings.map(f)));
}

/**
 * Every grid with every vertex at `from` moved to `to` (the closing position of a ring too).
 *
 * @example
 * moveSharedVertex(grids, [105.441, 28.881], [105.442, 28.8805]);
 */
export function moveSharedVertex(grids: Areal[], from: Position, to: Position): Areal[] {
	return grids.map((g) => mapRings(g, (ring) => ring.map((p) => (same(p, from) ? [to[0], to[1]] : p))));
}

/** Every grid with `p` inserted into each edge a-b (either direction) it has. */
export function insertSharedVertex(grids: Areal[], a: Position, b: Position, p: Position): Areal[] {
	return grids.map((g) =>
		mapRings(g, (ring) => {
			const out: Position[] = [ring[0]];
			for (let i = 1; i < ring.length; i++) {
				const u = ring[i - 1];
				const v = ring[i];
				if ((same(u, a) && same(v, b)) || (same(u, b) && same(v, a))) out.push([p[0], p[1]]);
				out.push(v);
			}
			return out;
		})
	);
}

/**
 * Every grid with the vertex `p` removed where it lies between `a` and `b` (either order), so the neighbour
 * of a removed border vertex loses it too; elsewhere (a junction with a third grid) it stays.
 */
export function removeSharedVertex(grids: Areal[], a: Position, p: Position, b: Position): Areal[] {
	return grids.map((g) =>
		mapRings(g, (ring) => {
			// the ring without its closing position, so the vertex before the first is the last
			const open = ring.slice(0, -1);
			const n = open.length;
			const keep = open.filter((q, i) => {
				if (!same(q, p) || n <= 3) return true;
				const before = open[(i + n - 1) % n];
				const after = open[(i + 1) % n];
				return !((same(before, a) && same(after, b)) || (same(before, b) && same(after, a)));
			});
			return [...keep, keep[0]];
		})
	);
}

/** What one edit of one feature did, as {@link editOf} reads it. */
export type VertexEdit =
	| { kind: 'move'; from: Position; to: Position }
	| { kind: 'insert'; a: Position; b: Position; p: Position }
	| { kind: 'remove'; a: Position; p: Position; b: Position }
	| { kind: 'other' };

function flatRings(g: Areal): Position[][] {
	return polygonsOf(g).flat();
}

/**
 * The single vertex edit that turns `before` into `after` (one geometry, as a drawing library reports it),
 * or `other` when the change is anything else (several vertices, a whole ring).
 */
export function editOf(before: Areal, after: Areal): VertexEdit {
	const r0 = flatRings(before);
	const r1 = flatRings(after);
	if (r0.length !== r1.length) return { kind: 'other' };
	let edit: VertexEdit | null = null;
	for (let r = 0; r < r0.length; r++) {
		const u = r0[r].slice(0, -1);
		const v = r1[r].slice(0, -1);
		if (u.length === v.length && u.every((p, i) => same(p, v[i]))) continue;
		if (edit) return { kind: 'other' }; // two rings changed
		const n = u.length;
		if (u.length === v.length) {
			const moved = u.flatMap((p, i) => (same(p, v[i]) ? [] : [i]));
			if (moved.length !== 1) return { kind: 'other' };
			edit = { kind: 'move', from: u[moved[0]], to: v[moved[0]] };
		} else if (v.length === n + 1) {
			// the first index where they differ is the inserted vertex (or it is the last one)
			let i = 0;
			while (i < n && same(u[i], v[i])) i++;
			if (!u.slice(i).every((p, k) => same(p, v[i + 1 + k]))) return { kind: 'other' };
			edit = { kind: 'insert', a: u[(i + n - 1) % n], b: u[i % n], p: v[i] };
		} else if (v.length === n - 1) {
			let i = 0;
			while (i < n - 1 && same(u[i], v[i])) i++;
			if (!v.slice(i).every((p, k) => same(p, u[i + 1 + k]))) return { kind: 'other' };
			edit = { kind: 'remove', a: u[(i + n - 1) % n], p: u[i], b: u[(i + 1) % n] };
		} else return { kind: 'other' };
	}
	return edit ?? { kind: 'other' };
}

/** Carries one feature's edit (from {@link editOf}) over to all grids; `other` changes nothing else. */
export function applyEdit(grids: Areal[], edit: VertexEdit): Areal[] {
	switch (edit.kind) {
		case 'move':
			return moveSharedVertex(grids, edit.from, edit.to);
		case 'insert':
			return insertSharedVertex(grids, edit.a, edit.b, edit.p);
		case 'remove':
			return removeSharedVertex(grids, edit.a, edit.p, edit.b);
		default:
			return grids;
	}
}

/** Nodes the surviving grids together with the community and rounds them as the seed stores them. */
function settle(next: (Areal | null)[], community: Areal): (Areal | null)[] {
	// node the survivors with the community so shared borders keep shared vertices through the rounding
	const alive = next.flatMap((g, i) => (g ? [i] : []));
	const noded = nodeCoverage([community, ...alive.map((i) => next[i] as Areal)]).slice(1);
	const out: (Areal | null)[] = next.map(() => null);
	alive.forEach((i, k) => (out[i] = roundGeometry(noded[k], 6)));
	return out;
}

/**
 * Redraws a border by area: the part of `drawn` inside `community` joins grid `target`, and leaves every other
 * grid, so the result tiles the community whenever the input did. The grids come back noded together with the
 * community and rounded to 6 decimals (about 0.1 m), as the seed stores them; a grid left with no area is null.
 *
 * @param grids the community's grids, degrees
 * @param target index of the grid that takes the area
 * @param drawn the shape drawn on the map, degrees
 * @example
 * const next = takeArea(grids, 2, drawnPolygon, community);
 */
export function takeArea(grids: Areal[], target: number, drawn: Areal, community: Areal): (Areal | null)[] {
	if (!isAreal(drawn)) throw new Error('drawn must be a Polygon or MultiPolygon');
	if (!isAreal(community)) throw new Error('community must be a Polygon or MultiPolygon');
	if (!Number.isInteger(target) || target < 0 || target >= grids.length)
		throw new Error('target must be the index of a grid');
	const taken = intersectAreal(drawn, community);
	if (!taken) return grids.slice();
	return settle(
		grids.map((g, i) => (i === target ? unionAreal([g, taken]) : differenceAreal(g, taken))),
		community
	);
}

/**
 * A new grid from a drawn shape: the part of `drawn` inside `community`, taken from the grids it covers. The
 * new grid comes last; like {@link takeArea}, the result is noded, rounded, and null where nothing is left
 * (the last entry too, when the shape lies outside the community).
 *
 * @example
 * const [...grids, added] = addArea(grids, drawnPolygon, community);
 */
export function addArea(grids: Areal[], drawn: Areal, community: Areal): (Areal | null)[] {
	if (!isAreal(drawn)) throw new Error('drawn must be a Polygon or MultiPolygon');
	if (!isAreal(community)) throw new Error('community must be a Polygon or MultiPolygon');
	const taken = intersectAreal(drawn, community);
	if (!taken) return [...grids, null];
	return settle([...grids.map((g) => differenceAreal(g, taken)), taken], community);
}
