import { area } from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Areal } from './areal';
import { geometryBbox } from './bbox';
import { box, fixtureNames, readFixture } from './test-helpers';
import { tilingDefects, type TilingDefect } from './tiling-defects';
import { validateTiling } from './validate-tiling';

type Expected = Pick<TilingDefect, 'kind' | 'children' | 'geometry'>[];

function split(input: { features: { properties: Record<string, unknown> | null; geometry: unknown }[] }) {
	const parent = input.features.find((f) => f.properties?.role === 'parent')!.geometry as Areal;
	const children = input.features
		.filter((f) => f.properties?.role === 'child')
		.map((f) => f.geometry as Areal);
	return { parent, children };
}

describe('tilingDefects fixtures', () => {
	it.each(fixtureNames('grid-tiling'))('%s', (name) => {
		const { input, expected } = readFixture<{ description: string }, Expected>('grid-tiling', name);
		const { parent, children } = split(input);
		const defects = tilingDefects(parent, children);
		expect(defects.map((d) => ({ kind: d.kind, children: d.children }))).toEqual(
			expected.map((d) => ({ kind: d.kind, children: d.children }))
		);
		defects.forEach((d, i) => {
			// the piece is the expected box: same extent, and Turf's area of that box
			const want = geometryBbox(expected[i].geometry);
			geometryBbox(d.geometry).forEach((v, k) => expect(v).toBeCloseTo(want[k], 10));
			expect(d.area / area(expected[i].geometry)).toBeCloseTo(1, 6);
		});
		// the totals agree with validateTiling's measures (noise under a square metre aside)
		const report = validateTiling(parent, children);
		const sum = (kind: string) => defects.filter((d) => d.kind === kind).reduce((s, d) => s + d.area, 0);
		expect(Math.abs(sum('gap') - report.gapArea)).toBeLessThan(1);
		expect(Math.abs(sum('overlap') - report.overlapArea)).toBeLessThan(1);
		expect(Math.abs(sum('outside') - report.outsideArea)).toBeLessThan(1);
	});
});

describe('tilingDefects', () => {
	it('splits a gap into its separate pieces, largest first', () => {
		// one grid down the middle of the parent, off centre: a wide gap west of it and a narrow one east
		const parent = box(105.44, 28.88, 105.444, 28.882);
		const defects = tilingDefects(parent, [box(105.4415, 28.88, 105.4435, 28.882)]);
		expect(defects.map((d) => d.kind)).toEqual(['gap', 'gap']);
		expect(defects[0].area / area(box(105.44, 28.88, 105.4415, 28.882))).toBeCloseTo(1, 6);
		expect(defects[1].area / area(box(105.4435, 28.88, 105.444, 28.882))).toBeCloseTo(1, 6);
	});

	it('lowers the noise floor on request', () => {
		const { input } = readFixture<unknown, unknown>('grid-tiling', 'sliver');
		const { parent, children } = split(input);
		const defects = tilingDefects(parent, children, { minArea: 0.01 });
		expect(defects.map((d) => d.kind)).toEqual(['gap']);
		expect(defects[0].area).toBeGreaterThan(0.4);
		expect(defects[0].area).toBeLessThan(0.7);
	});

	it('rejects bad input', () => {
		const { input } = readFixture<unknown, unknown>('grid-tiling', 'exact');
		const { parent } = split(input);
		expect(() => tilingDefects(parent, [])).toThrow('children must be a non-empty array');
		expect(() => tilingDefects({} as Polygon, [parent])).toThrow('parent must be');
		expect(() => tilingDefects(parent, [parent], { minArea: -1 })).toThrow('minArea');
	});
});
