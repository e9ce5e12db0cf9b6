import { area, kinks, simplify } from '@turf/turf';
import type { Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { polygonsOf, type Areal } from './areal';
import { intersectAreal, unionAreal } from './clip';
import { mulberry32 } from './random';
import { simplifySharedBorders } from './simplify-shared';
import { readDistrict } from './test-helpers';

/*
 * Fixture: three districts of about 10 km sharing noisy borders, like boundaries quantised to a coarse
 * grid. L (west) and R (east) meet along a zigzag running north; both sit on B (south), whose border
 * with them is another zigzag. The noise reaches the tolerance, so a little of it survives.
 */
const TOLERANCE = 0.001;
const rng = mulberry32(2020);
const noise = () => (rng() - 0.5) * 2 * TOLERANCE;
const x0 = 105.3;
const x1 = 105.4;
const x2 = 105.5;
const y0 = 28.8;
const y1 = 28.9;
// the L|R border from south to north, and the L+R|B border from west to east
const north: Position[] = Array.from({ length: 40 }, (_, i) => [
	x1 + noise(),
	y0 + ((i + 1) * (y1 - y0)) / 41
]);
const eastward: Position[] = Array.from({ length: 80 }, (_, i) => [
	x0 + ((i + 1) * (x2 - x0)) / 81,
	y0 + noise()
]);
const junction: Position = [x1, y0];
const westHalf = eastward.filter((p) => p[0] < x1);
const eastHalf = eastward.filter((p) => p[0] > x1);

const L: Polygon = {
	type: 'Polygon',
	coordinates: [[[x0, y0], ...westHalf, junction, ...north, [x1, y1], [x0, y1], [x0, y0]]]
};
// R walks the shared border the other way
const R: Polygon = {
	type: 'Polygon',
	coordinates: [[junction, ...eastHalf, [x2, y0], [x2, y1], [x1, y1], ...north.slice().reverse(), junction]]
};
const B: Polygon = {
	type: 'Polygon',
	coordinates: [
		[
			[x0, y0],
			[x0, y0 - 0.1],
			[x2, y0 - 0.1],
			[x2, y0],
			...eastHalf.slice().reverse(),
			junction,
			...westHalf.slice().reverse(),
			[x0, y0]
		]
	]
};

const vertexCount = (g: Areal) =>
	polygonsOf(g).reduce((n, rings) => n + rings.reduce((m, r) => m + r.length, 0), 0);
const overlap = (a: Areal, b: Areal) => {
	const shared = intersectAreal(a, b);
	return shared ? area(shared) : 0;
};

describe('simplifySharedBorders', () => {
	const [l, r, b] = simplifySharedBorders([L, R, B], TOLERANCE);

	it('removes most of the noise', () => {
		expect(vertexCount(l)).toBeLessThan(vertexCount(L) / 2);
		expect(vertexCount(r)).toBeLessThan(vertexCount(R) / 2);
		expect(vertexCount(b)).toBeLessThan(vertexCount(B) / 2);
	});

	it('keeps each shared border identical on both sides (walked in opposite directions)', () => {
		const onBorder = (g: Areal) =>
			(g as Polygon).coordinates[0].filter(
				(p) => p[1] > y0 + 0.002 && p[1] < y1 - 0.0001 && Math.abs(p[0] - x1) < 0.01
			);
		expect(onBorder(l).length).toBeGreaterThan(2);
		expect(onBorder(l)).toEqual(onBorder(r).reverse());
	});

	it('opens no gap and no overlap between neighbours', () => {
		expect(overlap(l, r)).toBeLessThan(1e-3);
		expect(overlap(l, b)).toBeLessThan(1e-3);
		expect(overlap(r, b)).toBeLessThan(1e-3);
		const before = area(unionAreal([L, R, B])!);
		const after = area(unionAreal([l, r, b])!);
		// the outer frame is straight, so the union keeps its area exactly
		expect(Math.abs(after - before) / before).toBeLessThan(1e-9);
		for (const g of [l, r, b]) expect(kinks(g as Polygon).features).toHaveLength(0);
	});

	it('keeps the junction of three borders', () => {
		for (const g of [l, r, b]) expect((g as Polygon).coordinates[0]).toContainEqual(junction);
	});

	it('keeps the real border of 江阳区 and 龙马潭区 shared, where turf.simplify overlaps by 0.7 km²', () => {
		const [jiangyang, longmatan] = [readDistrict('510502'), readDistrict('510504')];
		expect(overlap(jiangyang, longmatan)).toBe(0);
		const [a, b] = simplifySharedBorders([jiangyang, longmatan], TOLERANCE);
		expect(overlap(a, b)).toBe(0);
		const alone = [jiangyang, longmatan].map((g) => simplify(g, { tolerance: TOLERANCE }) as Polygon);
		expect(overlap(alone[0], alone[1])).toBeGreaterThan(100_000); // m²
	});

	it('simplifies a ring that shares nothing, keeping it a polygon', () => {
		const circle: Polygon = {
			type: 'Polygon',
			coordinates: [
				Array.from({ length: 101 }, (_, i) => {
					const a = ((i % 100) / 100) * 2 * Math.PI;
					return [105 + 0.01 * Math.cos(a), 28 + 0.01 * Math.sin(a)];
				})
			]
		};
		const [out] = simplifySharedBorders([circle], 0.0005);
		const ring = (out as Polygon).coordinates[0];
		expect(ring.length).toBeLessThan(40);
		expect(ring.length).toBeGreaterThanOrEqual(4);
		expect(ring[0]).toEqual(ring[ring.length - 1]);
		expect(area(out) / area(circle)).toBeGreaterThan(0.95);
	});

	it('rejects bad input', () => {
		expect(() => simplifySharedBorders([L], -1)).toThrow('tolerance must be a number >= 0');
		expect(() => simplifySharedBorders([{ type: 'Point' } as unknown as Polygon], 1)).toThrow(
			'geometry 0 must be'
		);
	});
});
