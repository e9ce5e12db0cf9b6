import { booleanPointInPolygon } from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { moveSharedVertex } from '$lib/spatial/grid-editing';
import { mulberry32 } from '$lib/spatial/random';
import { box } from '$lib/spatial/test-helpers';
import { nextGridCode, planGrids, type PlanBuilding } from './grid-plan';

const C = '510502001006';
const X = 105.44;
const Y = 28.88;
const d = 0.001;
const community = box(X, Y, X + 4 * d, Y + 2 * d);
const drafts = [
	{ code: `${C}001`, name: '第1网格', geometry: box(X, Y, X + 2 * d, Y + d) },
	{ code: `${C}002`, name: '第2网格', geometry: box(X + 2 * d, Y, X + 4 * d, Y + d) },
	{ code: `${C}003`, name: '第3网格', geometry: box(X, Y + d, X + 2 * d, Y + 2 * d) },
	{ code: `${C}004`, name: '第4网格', geometry: box(X + 2 * d, Y + d, X + 4 * d, Y + 2 * d) }
];

/** 200 buildings at random inside the community, each in the grid Turf puts it in. */
function buildings(): PlanBuilding[] {
	const rng = mulberry32(7);
	return Array.from({ length: 200 }, (_, i) => {
		const lon = X + 4 * d * rng();
		const lat = Y + 2 * d * rng();
		const grid = drafts.find((g) => booleanPointInPolygon([lon, lat], g.geometry, { ignoreBoundary: true }))!;
		return { id: i + 1, name: `${i + 1}栋`, lon, lat, grid_code: grid?.code ?? drafts[0].code };
	});
}

describe('planGrids', () => {
	it('accepts the grids as they are: no problems, no defects, no moves, label points inside', () => {
		const plan = planGrids({
			community: { code: C, geometry: community },
			grids: drafts,
			buildings: buildings()
		});
		expect(plan.ok).toBe(true);
		expect(plan.moves).toEqual([]);
		expect(plan.grids.reduce((n, g) => n + g.buildings, 0)).toBe(200);
		for (const g of plan.grids) expect(booleanPointInPolygon(g.center, g.geometry)).toBe(true);
	});

	it('moves exactly the buildings Turf puts in another grid after a border moves', () => {
		const all = buildings();
		const moved = moveSharedVertex(
			drafts.map((g) => g.geometry),
			[X + 2 * d, Y + d],
			[X + 2.6 * d, Y + 1.4 * d]
		);
		const grids = drafts.map((g, i) => ({ ...g, geometry: moved[i] }));
		const plan = planGrids({ community: { code: C, geometry: community }, grids, buildings: all });
		expect(plan.ok).toBe(true);
		const expected = all.flatMap((b) => {
			const to = grids.find((g) => booleanPointInPolygon([b.lon, b.lat], g.geometry as Polygon))!;
			return to.code === b.grid_code ? [] : [{ building_id: b.id, grid_code: to.code }];
		});
		expect(expected.length).toBeGreaterThan(0);
		expect(plan.moves.map(({ building_id, grid_code }) => ({ building_id, grid_code }))).toEqual(expected);
	});

	it('rewinds a clockwise grid and still accepts the plan', () => {
		const cw = {
			...drafts[0],
			geometry: { type: 'Polygon', coordinates: [[...drafts[0].geometry.coordinates[0]].reverse()] }
		};
		const plan = planGrids({
			community: { code: C, geometry: community },
			grids: [cw, ...drafts.slice(1)],
			buildings: []
		});
		expect(plan.ok).toBe(true);
		expect(plan.rewound).toBe(1);
	});

	it('refuses bad codes, names and rings, and skips the tiling until rings are valid', () => {
		const bowtie = {
			type: 'Polygon',
			coordinates: [
				[
					[X, Y],
					[X + 2 * d, Y + d],
					[X + 2 * d, Y],
					[X, Y + d],
					[X, Y]
				]
			]
		};
		const plan = planGrids({
			community: { code: C, geometry: community },
			grids: [
				{ code: '510502001007001', name: '外社区', geometry: drafts[0].geometry },
				{ code: `${C}002`, name: ' ', geometry: drafts[1].geometry },
				{ code: `${C}002`, name: '重复', geometry: bowtie }
			],
			buildings: []
		});
		expect(plan.ok).toBe(false);
		expect(plan.problems.map((p) => p.kind)).toEqual([
			'code_invalid',
			'name_invalid',
			'code_duplicate',
			'ring'
		]);
		expect(plan.defects).toEqual([]);
		expect(plan.grids).toEqual([]);
	});

	it('reports a gap with its area, and a building left in no grid', () => {
		const plan = planGrids({
			community: { code: C, geometry: community },
			grids: drafts.slice(0, 3),
			buildings: [{ id: 1, name: '1栋', lon: X + 3 * d, lat: Y + 1.5 * d, grid_code: drafts[3].code }]
		});
		expect(plan.ok).toBe(false);
		expect(plan.defects.map((x) => x.kind)).toEqual(['gap']);
		expect(plan.defects[0].area).toBeGreaterThan(19000);
		expect(plan.problems).toEqual([{ kind: 'building_outside', building: 1, name: '1栋' }]);
	});
});

describe('nextGridCode', () => {
	it('numbers after the highest code in use', () => {
		expect(nextGridCode(C, [`${C}001`, `${C}004`])).toBe(`${C}005`);
		expect(nextGridCode(C, [])).toBe(`${C}001`);
	});
});
