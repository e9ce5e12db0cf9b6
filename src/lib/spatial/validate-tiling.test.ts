import { area } from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { box, SQUARE } from './test-helpers';
import { validateTiling } from './validate-tiling';

const parent = SQUARE;

describe('validateTiling', () => {
	it('reports zeros for a perfect tiling', () => {
		const report = validateTiling(parent, [
			box(105.4, 28.85, 105.41, 28.87),
			box(105.41, 28.85, 105.42, 28.87)
		]);
		expect(report.gapArea).toBeLessThan(1e-6);
		expect(report.overlapArea).toBeLessThan(1e-6);
		expect(report.outsideArea).toBeLessThan(1e-6);
		expect(report.overlaps).toEqual([]);
		expect(report.childrenArea / report.parentArea).toBeCloseTo(1, 9);
	});

	it('measures a known gap, overlap and overhang, and names the overlapping pair', () => {
		// child 0 and 1 overlap in a 0.001° strip; nothing covers 105.419-105.42; child 2 sticks out north
		const children = [
			box(105.4, 28.85, 105.411, 28.86),
			box(105.41, 28.85, 105.419, 28.86),
			box(105.4, 28.86, 105.419, 28.875),
			box(105.419, 28.86, 105.42, 28.87)
		];
		const report = validateTiling(parent, children);
		const gap = area(box(105.419, 28.85, 105.42, 28.86));
		const overlap = area(box(105.41, 28.85, 105.411, 28.86));
		const outside = area(box(105.4, 28.87, 105.419, 28.875));
		expect(report.gapArea / gap).toBeCloseTo(1, 6);
		expect(report.overlapArea / overlap).toBeCloseTo(1, 6);
		expect(report.outsideArea / outside).toBeCloseTo(1, 6);
		expect(report.overlaps).toHaveLength(1);
		expect(report.overlaps[0]).toMatchObject({ a: 0, b: 1 });
		expect(report.overlaps[0].area / overlap).toBeCloseTo(1, 6);
	});

	it('lists children without area', () => {
		const flat: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					// along one meridian: no area
					[105.4, 28.85],
					[105.4, 28.86],
					[105.4, 28.87],
					[105.4, 28.85]
				]
			]
		};
		expect(validateTiling(parent, [parent, flat]).emptyChildren).toEqual([1]);
	});

	it('rejects bad input', () => {
		expect(() => validateTiling(parent, [])).toThrow('children must be a non-empty array');
		expect(() => validateTiling({} as Polygon, [parent])).toThrow('parent must be');
		expect(() => validateTiling(parent, [{ type: 'Point' } as unknown as Polygon])).toThrow(
			'child 0 must be a Polygon or MultiPolygon'
		);
	});
});
