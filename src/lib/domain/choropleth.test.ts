import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { coverageChoropleth } from './choropleth';
import { COVERAGE_CLASSES, NO_DATA_COLOR } from './coverage';

const square = (x: number): Polygon => ({
	type: 'Polygon',
	coordinates: [
		[
			[x, 0],
			[x + 1, 0],
			[x + 1, 1],
			[x, 1],
			[x, 0]
		]
	]
});

describe('coverageChoropleth', () => {
	it('colours each child by its coverage, labels it with name and percentage, and keys it by code', () => {
		const fc = coverageChoropleth(
			[
				{ code: '510502001', name: '南城街道', geometry: square(0) },
				{ code: '510502002', name: '北城街道', geometry: square(1) }
			],
			[
				{ code: '510502001', households: 100, screened: 96, coverage: 0.96 },
				{ code: '510502002', households: 100, screened: 40, coverage: 0.4 }
			]
		);
		expect(fc.features.map((f) => [f.id, f.properties?.color, f.properties?.label])).toEqual([
			['510502001', COVERAGE_CLASSES.find((c) => c.id === 'ge95')!.color, '南城街道\n96.0%'],
			['510502002', COVERAGE_CLASSES.find((c) => c.id === 'lt50')!.color, '北城街道\n40.0%']
		]);
	});

	it('gives each child the point its label goes to, inside it, with the room there', () => {
		const fc = coverageChoropleth([{ code: 'a', name: 'A', geometry: square(0) }], []);
		const [lon, lat] = fc.features[0].properties?.anchor as number[];
		expect(lon).toBeCloseTo(0.5, 2);
		expect(lat).toBeCloseTo(0.5, 2);
		// half a degree of latitude, in metres
		expect(fc.features[0].properties?.anchor_room).toBeGreaterThan(55_000);
	});

	it('draws a child missing from the roll-up, or withheld, as "no data", and skips one without a boundary', () => {
		const fc = coverageChoropleth(
			[
				{ code: 'a', name: 'A', geometry: square(0) },
				{ code: 'b', name: 'B', geometry: square(1) },
				{ code: 'c', name: 'C', geometry: null }
			],
			[{ code: 'b', households: null, screened: null, coverage: null }]
		);
		expect(fc.features.map((f) => [f.id, f.properties?.color, f.properties?.coverage])).toEqual([
			['a', NO_DATA_COLOR, null],
			['b', NO_DATA_COLOR, null]
		]);
	});
});
