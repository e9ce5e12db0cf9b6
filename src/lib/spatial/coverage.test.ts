import { area, kinks } from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { polygonsOf } from './areal';
import { unionAreal } from './clip';
import { dropSmallParts, fillSmallGaps, normalizeAreal } from './coverage';

/** Coordinates in units of 0.001° (about 100 m) from a corner near Luzhou. */
const at = (x: number, y: number) => [105.4 + x * 0.001, 28.85 + y * 0.001];
const poly = (...points: [number, number][]): Polygon => ({
	type: 'Polygon',
	coordinates: [[...points.map(([x, y]) => at(x, y)), at(...points[0])]]
});

describe('normalizeAreal', () => {
	it('splits a bow-tie into two valid triangles with the same area', () => {
		const bowTie = poly([0, 0], [2, 2], [2, 0], [0, 2]);
		const out = normalizeAreal(bowTie)!;
		expect(out.type).toBe('MultiPolygon');
		expect(polygonsOf(out)).toHaveLength(2);
		// each triangle is a simple ring (they touch at one point, which kinks would report across parts)
		for (const rings of polygonsOf(out))
			expect(kinks({ type: 'Polygon', coordinates: rings }).features).toHaveLength(0);
		expect(area(out) / (2 * area(poly([0, 0], [1, 1], [0, 2])))).toBeCloseTo(1, 6);
	});

	it('rejects bad input', () => {
		expect(() => normalizeAreal({ type: 'Point' } as unknown as Polygon)).toThrow('geometry must be');
	});
});

describe('dropSmallParts', () => {
	const big = poly([0, 0], [10, 0], [10, 10], [0, 10]).coordinates; // about 1 km²
	const speck = poly([20, 20], [21, 20], [21, 21]).coordinates; // about 0.5 ha

	it('drops parts under the threshold', () => {
		expect(dropSmallParts({ type: 'MultiPolygon', coordinates: [big, speck] }, 100_000)).toEqual({
			type: 'Polygon',
			coordinates: big
		});
	});

	it('keeps the largest part when every part is small', () => {
		expect(dropSmallParts({ type: 'MultiPolygon', coordinates: [speck, big] }, 1e9)).toEqual({
			type: 'Polygon',
			coordinates: big
		});
	});
});

describe('fillSmallGaps', () => {
	// four districts around a 100 m square of no-man's-land; they share vertices along their borders
	const west = poly([0, 0], [1, 0], [1, 1], [1, 2], [1, 3], [0, 3]);
	const south = poly([1, 0], [2, 0], [2, 1], [1, 1]);
	const east = poly([2, 0], [3, 0], [3, 3], [2, 3], [2, 2], [2, 1]);
	const north = poly([1, 2], [2, 2], [2, 3], [1, 3]);
	const hole = poly([1, 1], [2, 1], [2, 2], [1, 2]);

	it('gives a small gap to a neighbour and leaves no hole', () => {
		const before = [west, south, east, north];
		const geometries = fillSmallGaps(before, 100_000);
		// exactly one neighbour grew, by the area of the hole
		const grown = geometries.flatMap((g, i) => (g === before[i] ? [] : [i]));
		expect(grown).toHaveLength(1);
		const taker = grown[0];
		expect(area(geometries[taker]) / (area(before[taker]) + area(hole))).toBeCloseTo(1, 6);
		const union = unionAreal(geometries)!;
		expect(polygonsOf(union).flatMap((rings) => rings.slice(1))).toHaveLength(0);
	});

	it('keeps a gap larger than the threshold (a lake, a neighbouring city)', () => {
		expect(fillSmallGaps([west, south, east, north], 1_000)).toEqual([west, south, east, north]);
	});

	it('does not fill an enclave: a hole another geometry covers is not a gap', () => {
		const outer = poly([0, 0], [3, 0], [3, 3], [0, 3]);
		const ring: Polygon = {
			type: 'Polygon',
			coordinates: [outer.coordinates[0], hole.coordinates[0].slice().reverse()]
		};
		const geometries = fillSmallGaps([ring, hole], 100_000);
		expect(geometries[0]).toBe(ring);
		expect(geometries[1]).toBe(hole);
	});

	it('rejects bad input', () => {
		expect(() => fillSmallGaps([], 1)).toThrow('geometries must be a non-empty array');
		expect(() => fillSmallGaps([west], -1)).toThrow('maxAreaM2 must be >= 0');
	});
});
