import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { bboxesIntersect, geometryBbox, unionBbox } from './bbox';

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

	it('rejects a missing, non-areal or empty geometry', () => {
		expect(() => geometryBbox(null as unknown as Polygon)).toThrow(
			'geometry must be a Polygon or MultiPolygon'
		);
		expect(() => geometryBbox({ type: 'Point', coordinates: [105.4, 28.9] } as unknown as Polygon)).toThrow(
			'geometry must be a Polygon or MultiPolygon'
		);
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

describe('unionBbox', () => {
	it('spans the boxes that exist and is null when none does', () => {
		const none = { min_lon: null, min_lat: null, max_lon: null, max_lat: null };
		expect(unionBbox([none])).toBeNull();
		expect(
			unionBbox([
				{ min_lon: 1, min_lat: 2, max_lon: 3, max_lat: 4 },
				none,
				{ min_lon: 0, min_lat: 3, max_lon: 2, max_lat: 5 }
			])
		).toEqual([0, 2, 3, 5]);
	});
});
