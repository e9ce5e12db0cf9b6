import type { Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { bboxesIntersect, geometryBbox } from './bbox';

describe('geometryBbox', () => {
	it('covers every ring of a MultiPolygon, holes included', () => {
		expect(
			geometryBbox({
				type: 'MultiPolygon',
				coordinates: [
					[
						[
							[105.4, 28.8],
							[105.5, 28.8],
							[105.5, 28.9],
							[105.4, 28.8]
						]
					],
					[
						[
							[105.1, 29.1],
							[105.2, 29.1],
							[105.2, 29.2],
							[105.1, 29.1]
						]
					]
				]
			})
		).toEqual([105.1, 28.8, 105.5, 29.2]);
	});

	it('handles a point and a geometry collection', () => {
		expect(geometryBbox({ type: 'Point', coordinates: [105.4, 28.9] })).toEqual([105.4, 28.9, 105.4, 28.9]);
		expect(
			geometryBbox({
				type: 'GeometryCollection',
				geometries: [
					{ type: 'Point', coordinates: [1, 2] },
					{
						type: 'LineString',
						coordinates: [
							[3, -4],
							[0, 0]
						]
					}
				]
			})
		).toEqual([0, -4, 3, 2]);
	});

	it('rejects a missing or empty geometry', () => {
		expect(() => geometryBbox(null as unknown as Geometry)).toThrow('geometry is required');
		expect(() => geometryBbox({ type: 'Polygon', coordinates: [] })).toThrow('geometry has no coordinates');
	});
});

describe('bboxesIntersect', () => {
	it('counts touching edges and rejects disjoint boxes', () => {
		expect(bboxesIntersect([0, 0, 1, 1], [1, 1, 2, 2])).toBe(true);
		expect(bboxesIntersect([0, 0, 1, 1], [0.5, -1, 0.6, 3])).toBe(true);
		expect(bboxesIntersect([0, 0, 1, 1], [1.1, 0, 2, 1])).toBe(false);
	});
});
