import { area } from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { differenceAreal, intersectAreal, unionAreal } from './clip';
import { box, SQUARE } from './test-helpers';

const a = SQUARE;
const b = box(105.41, 28.85, 105.43, 28.87);
const far = box(106, 29, 106.01, 29.01);

describe('clip wrappers', () => {
	it('intersect: the shared half, or null when disjoint', () => {
		const shared = intersectAreal(a, b)!;
		expect(area(shared) / area(box(105.41, 28.85, 105.42, 28.87))).toBeCloseTo(1, 9);
		expect(intersectAreal(a, far)).toBeNull();
	});

	it('union: one polygon for overlapping inputs, the input itself for one', () => {
		const u = unionAreal([a, b])!;
		expect(u.type).toBe('Polygon');
		expect(area(u) / area(box(105.4, 28.85, 105.43, 28.87))).toBeCloseTo(1, 9);
		expect(unionAreal([a])).toBe(a);
		expect(unionAreal([])).toBeNull();
	});

	it('difference: what is left, or null when nothing is', () => {
		expect(area(differenceAreal(a, b)!) / area(box(105.4, 28.85, 105.41, 28.87))).toBeCloseTo(1, 9);
		expect(differenceAreal(box(105.41, 28.86, 105.415, 28.865), a)).toBeNull();
	});

	it('rejects non-polygons', () => {
		expect(() => intersectAreal(a, { type: 'Point', coordinates: [0, 0] } as unknown as Polygon)).toThrow(
			'every geometry must be a Polygon or MultiPolygon'
		);
	});
});
