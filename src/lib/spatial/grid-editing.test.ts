import type { Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Areal } from './areal';
import {
	addArea,
	applyEdit,
	editOf,
	insertSharedVertex,
	moveSharedVertex,
	removeSharedVertex,
	takeArea
} from './grid-editing';
import { box } from './test-helpers';
import { tilingDefects } from './tiling-defects';

// a 2 × 2 tiling of a 0.004° × 0.002° community, all four grids sharing the vertex in the middle
const X = 105.44;
const Y = 28.88;
const d = 0.001;
const community = box(X, Y, X + 4 * d, Y + 2 * d);
const grids: Areal[] = [
	box(X, Y, X + 2 * d, Y + d),
	box(X + 2 * d, Y, X + 4 * d, Y + d),
	box(X, Y + d, X + 2 * d, Y + 2 * d),
	box(X + 2 * d, Y + d, X + 4 * d, Y + 2 * d)
];
const middle: Position = [X + 2 * d, Y + d];

const ring = (g: Areal) => (g as Polygon).coordinates[0];

describe('shared vertex edits keep the tiling', () => {
	it('moves a junction vertex in every grid that has it', () => {
		const to: Position = [X + 2.5 * d, Y + 1.2 * d];
		const next = moveSharedVertex(grids, middle, to);
		for (const g of next) expect(ring(g).some(([x, y]) => x === middle[0] && y === middle[1])).toBe(false);
		expect(next.filter((g) => ring(g).some(([x, y]) => x === to[0] && y === to[1]))).toHaveLength(4);
		expect(tilingDefects(community, next)).toEqual([]);
	});

	it('moving a vertex of one grid only opens a gap and an overlap, which the tiling check reports', () => {
		const moved = grids.slice();
		moved[0] = moveSharedVertex([grids[0]], middle, [X + 2.5 * d, Y + 1.2 * d])[0];
		const kinds = tilingDefects(community, moved).map((x) => x.kind);
		expect(kinds).toContain('overlap');
	});

	it('inserts a vertex into both copies of a shared edge, then moves it as one', () => {
		const a: Position = [X + 2 * d, Y];
		const p: Position = [X + 2 * d, Y + 0.5 * d];
		const next = insertSharedVertex(grids, a, middle, p);
		expect(ring(next[0])).toHaveLength(6);
		expect(ring(next[1])).toHaveLength(6);
		expect(ring(next[2])).toHaveLength(5);
		const bent = moveSharedVertex(next, p, [X + 2.3 * d, Y + 0.5 * d]);
		expect(tilingDefects(community, bent)).toEqual([]);
		// and removes it from both again
		const back = removeSharedVertex(bent, a, [X + 2.3 * d, Y + 0.5 * d], middle);
		expect(back.map(ring)).toEqual(grids.map(ring));
	});
});

describe('editOf', () => {
	const before = grids[0];
	it('reads a move, an insert and a removal from one feature', () => {
		const to: Position = [X + 2.2 * d, Y + 1.1 * d];
		expect(editOf(before, moveSharedVertex([before], middle, to)[0])).toEqual({
			kind: 'move',
			from: middle,
			to
		});
		const p: Position = [X + d, Y];
		const inserted = insertSharedVertex([before], [X, Y], [X + 2 * d, Y], p)[0];
		expect(editOf(before, inserted)).toEqual({ kind: 'insert', a: [X, Y], b: [X + 2 * d, Y], p });
		expect(editOf(inserted, before)).toEqual({ kind: 'remove', a: [X, Y], p, b: [X + 2 * d, Y] });
	});

	it('reads a move of the first vertex (which is also the closing one)', () => {
		const to: Position = [X - 0.1 * d, Y - 0.1 * d];
		const after = moveSharedVertex([before], [X, Y], to)[0];
		expect(editOf(before, after)).toEqual({ kind: 'move', from: [X, Y], to });
	});

	it('calls anything bigger "other", and applyEdit leaves the grids alone for it', () => {
		expect(editOf(before, grids[1])).toEqual({ kind: 'other' });
		expect(applyEdit(grids, { kind: 'other' })).toBe(grids);
	});

	it('carries a drag of one feature over to its neighbours', () => {
		const to: Position = [X + 1.8 * d, Y + 0.9 * d];
		const dragged = moveSharedVertex([grids[3]], middle, to)[0];
		const next = applyEdit(grids, editOf(grids[3], dragged));
		expect(tilingDefects(community, next)).toEqual([]);
		expect(next[3]).toEqual(dragged);
	});
});

describe('takeArea', () => {
	it('gives the drawn area to the target and takes it from the others: still a tiling', () => {
		// a box over the middle, reaching outside the community to the south
		const drawn = box(X + 1.5 * d, Y - d, X + 2.5 * d, Y + 1.5 * d);
		const next = takeArea(grids, 3, drawn, community);
		expect(next.every((g) => g !== null)).toBe(true);
		expect(tilingDefects(community, next as Areal[])).toEqual([]);
		// the target now reaches the community's south border
		const south = Math.min(...(next[3] as Polygon).coordinates[0].map(([, y]) => y));
		expect(south).toBe(Y);
	});

	it('returns null for a grid left with no area', () => {
		const next = takeArea(grids, 1, box(X - d, Y - d, X + 2 * d, Y + d), community);
		expect(next[0]).toBeNull();
		expect(
			tilingDefects(
				community,
				next.filter((g): g is Areal => g !== null)
			)
		).toEqual([]);
	});

	it('changes nothing for a shape outside the community, and checks its input', () => {
		expect(takeArea(grids, 0, box(X + 5 * d, Y, X + 6 * d, Y + d), community)).toEqual(grids);
		expect(() => takeArea(grids, 4, community, community)).toThrow('target');
	});
});

describe('addArea', () => {
	it('cuts a new grid out of the grids a shape covers: still a tiling, the new grid last', () => {
		const next = addArea(grids, box(X + d, Y + 0.5 * d, X + 3 * d, Y + 1.5 * d), community);
		expect(next).toHaveLength(5);
		expect(next.every((g) => g !== null)).toBe(true);
		expect(tilingDefects(community, next as Areal[])).toEqual([]);
		// its 4 corners and, noded in, the 4 points where the old borders meet its edges (and the closing one)
		expect((next[4] as Polygon).coordinates[0]).toHaveLength(9);
	});

	it('adds nothing for a shape outside the community', () => {
		expect(addArea(grids, box(X + 5 * d, Y, X + 6 * d, Y + d), community)).toEqual([...grids, null]);
	});
});
