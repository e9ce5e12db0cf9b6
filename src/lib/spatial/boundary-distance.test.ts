import { pointToLineDistance } from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { distanceToBoundaryMeters } from './boundary-distance';
import { box, SQUARE } from './test-helpers';

/** A 0.02° square at Luzhou with a 0.004° hole off centre. */
const withHole: Polygon = {
	type: 'Polygon',
	coordinates: [SQUARE.coordinates[0], box(105.412, 28.858, 105.416, 28.862).coordinates[0].slice().reverse()]
};

describe('distanceToBoundaryMeters', () => {
	it('agrees with Turf geodesic distance to the nearest edge within 0.5 %', () => {
		for (const p of [
			[105.401, 28.86],
			[105.41, 28.851],
			[105.419, 28.869],
			[105.43, 28.86]
		]) {
			const outer = pointToLineDistance(
				p,
				{ type: 'LineString', coordinates: withHole.coordinates[0] },
				{
					units: 'meters'
				}
			);
			const hole = pointToLineDistance(
				p,
				{ type: 'LineString', coordinates: withHole.coordinates[1] },
				{
					units: 'meters'
				}
			);
			const expected = Math.min(outer, hole);
			expect(Math.abs(distanceToBoundaryMeters(p, withHole) - expected) / expected).toBeLessThan(0.005);
		}
	});

	it('measures to the hole when the hole is nearer', () => {
		// 0.001° of latitude north of the hole's top edge: about 111 m
		expect(distanceToBoundaryMeters([105.414, 28.863], withHole)).toBeCloseTo(111.2, 0);
	});

	it('is zero on an edge', () => {
		expect(distanceToBoundaryMeters([105.4, 28.86], withHole)).toBe(0);
	});

	it('rejects bad input', () => {
		expect(() => distanceToBoundaryMeters([105.4] as number[], withHole)).toThrow('point must be [lon, lat]');
		expect(() => distanceToBoundaryMeters([105.4, 28.8], null as unknown as Polygon)).toThrow(
			'polygon must be a Polygon or MultiPolygon'
		);
	});
});
