import { booleanPointInPolygon } from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { labelPoint } from './label-point';
import { SQUARE } from './test-helpers';

describe('labelPoint', () => {
	it('uses the centroid of a convex unit', () => {
		const [x, y] = labelPoint(SQUARE, [105.401, 28.851]);
		expect(x).toBeCloseTo(105.41, 12);
		expect(y).toBeCloseTo(28.86, 12);
	});

	it('falls back when the centroid of a U falls in its notch', () => {
		const u: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[3, 0],
					[3, 3],
					[2, 3],
					[2, 0.5],
					[1, 0.5],
					[1, 3],
					[0, 3],
					[0, 0]
				]
			]
		};
		expect(booleanPointInPolygon([1.5, 1.4], u)).toBe(false);
		expect(labelPoint(u, [0.5, 2])).toEqual([0.5, 2]);
	});

	it('uses the largest part of a MultiPolygon', () => {
		const [x, y] = labelPoint(
			{
				type: 'MultiPolygon',
				coordinates: [
					[
						[
							[0, 0],
							[0.1, 0],
							[0.1, 0.1],
							[0, 0]
						]
					],
					[
						[
							[10, 10],
							[12, 10],
							[12, 12],
							[10, 12],
							[10, 10]
						]
					]
				]
			},
			[0, 0]
		);
		expect([x, y]).toEqual([11, 11]);
	});

	it('rejects bad input', () => {
		expect(() => labelPoint({ type: 'Point' } as unknown as Polygon, [0, 0])).toThrow('geometry must be');
	});
});
