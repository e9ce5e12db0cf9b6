import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
	matchBoundaries,
	nameDistance,
	nearestNames,
	tilingFindings,
	type HierarchyUnit
} from './unit-boundaries';
import { box } from './test-helpers';

const fc = (...features: [Record<string, unknown>, Polygon][]): FeatureCollection => ({
	type: 'FeatureCollection',
	features: features.map(([properties, geometry]): Feature => ({ type: 'Feature', properties, geometry }))
});

const UNITS: HierarchyUnit[] = [
	{ code: '9901', name: '青石市', level: 'city', parent: null, geometry: box(0, 0, 2, 1) },
	{ code: '990101', name: '青石区', level: 'district', parent: '9901', geometry: box(0, 0, 1, 1) },
	{ code: '990102', name: '白鹭区', level: 'district', parent: '9901', geometry: box(1, 0, 2, 1) },
	{ code: '990101001', name: '东门街道', level: 'street', parent: '990101' },
	{ code: '990102001', name: '东门街道', level: 'street', parent: '990102' },
	{ code: '990102002', name: '南岸街道', level: 'street', parent: '990102' }
];

describe('matchBoundaries', () => {
	it('matches by code in any form, else by a name only one unit has', () => {
		const m = matchBoundaries(
			fc([{ code: '990101000000' }, box(0, 0, 1, 1)], [{ name: '白鹭区' }, box(1, 0, 2, 1)]),
			UNITS
		);
		expect(m.matched.map((b) => [b.code, b.features])).toEqual([
			['990101', [0]],
			['990102', [1]]
		]);
		expect(m.unmatched).toEqual([]);
		expect(m.withoutBoundary).toEqual([]);
	});

	it('tells a shared name apart by the parent whose boundary holds it', () => {
		const m = matchBoundaries(
			fc([{ name: '东门街道' }, box(1.1, 0.1, 1.4, 0.4)], [{ name: '南岸街道' }, box(1.5, 0.1, 1.9, 0.4)]),
			UNITS
		);
		expect(m.matched.map((b) => b.code)).toEqual(['990102001', '990102002']);
		expect(m.withoutBoundary).toEqual([{ code: '990101001', name: '东门街道' }]);
	});

	it('lists a renamed unit with the nearest names of its level, and never guesses', () => {
		const m = matchBoundaries(
			fc([{ name: '青石区' }, box(0, 0, 1, 1)], [{ name: '白鹭县' }, box(1, 0, 2, 1)]),
			UNITS
		);
		expect(m.matched.map((b) => b.code)).toEqual(['990101']);
		expect(m.unmatched).toEqual([
			{
				feature: 1,
				name: '白鹭县',
				code: '',
				reason: 'unknown',
				candidates: [{ code: '990102', name: '白鹭区' }]
			}
		]);
	});

	it('refuses broken rings and skips features without an area', () => {
		const bowtie: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[1, 1],
					[1, 0],
					[0, 1],
					[0, 0]
				]
			]
		};
		const m = matchBoundaries(
			{
				type: 'FeatureCollection',
				features: [
					{ type: 'Feature', properties: { name: '青石区' }, geometry: bowtie },
					{
						type: 'Feature',
						properties: { name: '白鹭区' },
						geometry: { type: 'Point', coordinates: [1, 1] }
					}
				]
			},
			UNITS
		);
		expect(m.badRings).toEqual([{ feature: 0, name: '青石区', problems: ['self_intersection'] }]);
		expect(m.skipped).toEqual([1]);
		expect(m.matched).toEqual([]);
	});
});

describe('names', () => {
	it('measures edits by character and counts 县 → 区 as near', () => {
		expect(nameDistance('纳溪县', '纳溪区')).toBe(1);
		expect(nameDistance('', '江阳区')).toBe(3);
		expect(nearestNames('白鹭县', UNITS).map((c) => c.name)).toEqual(['白鹭区']);
		expect(nearestNames('', UNITS)).toEqual([]);
	});
});

describe('tilingFindings', () => {
	it('reports gaps and overhangs of children in their parent, in m²', () => {
		const units: HierarchyUnit[] = [
			{ code: '9901', name: 'c', level: 'city', parent: null },
			{ code: '990101', name: 'a', level: 'district', parent: '9901' },
			{ code: '990102', name: 'b', level: 'district', parent: '9901' }
		];
		const g: Record<string, Polygon> = {
			'9901': box(0, 0, 0.02, 0.01),
			'990101': box(0, 0, 0.01, 0.01),
			'990102': box(0.011, 0, 0.021, 0.01)
		};
		const found = tilingFindings(units, (c) => g[c]);
		expect(found.map((f) => [f.parent, f.kind, f.children])).toEqual([
			['9901', 'gap', []],
			['9901', 'outside', ['990102']]
		]);
		expect(found[0].area).toBeGreaterThan(100_000);
	});
});
