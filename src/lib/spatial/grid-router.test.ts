import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { GridRouter } from './grid-router';

const box = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
	type: 'Polygon',
	coordinates: [
		[
			[x0, y0],
			[x1, y0],
			[x1, y1],
			[x0, y1],
			[x0, y0]
		]
	]
});

// Two grids side by side sharing the edge x = 105.48, and one without a boundary yet.
const grids = [
	{ code: '510502001006001', name: '第1网格', geometry: box(105.47, 28.89, 105.48, 28.9) },
	{ code: '510502001006002', name: '第2网格', geometry: box(105.48, 28.89, 105.49, 28.9) },
	{ code: '510502001006003', name: '第3网格', geometry: null }
];

describe('routing a point to its grid', () => {
	const router = GridRouter.from(grids);

	it('finds the grid holding the point, and none outside every grid', () => {
		expect(router.size).toBe(2);
		expect(router.locate(105.475, 28.895)).toEqual({ code: '510502001006001', name: '第1网格' });
		expect(router.locate(105.485, 28.895)?.code).toBe('510502001006002');
		expect(router.locate(105.5, 28.895)).toBeNull();
		expect(router.locate(Number.NaN, 28.895)).toBeNull();
	});

	it('puts a point on the shared edge in exactly one grid, the one east of it', () => {
		expect(router.locate(105.48, 28.895)?.code).toBe('510502001006002');
	});
});
