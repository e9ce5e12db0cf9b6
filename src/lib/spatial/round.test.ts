import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { roundGeometry, roundPosition, roundTo } from './round';

describe('roundTo', () => {
	it('rounds to the given decimals', () => {
		expect(roundTo(105.2568359375, 6)).toBe(105.256836);
		expect(roundTo(28.7333984375, 6)).toBe(28.733398);
		expect(roundTo(-0.0000005, 6)).toBe(-0);
	});
});

describe('roundPosition', () => {
	it('rounds both coordinates, to 6 decimals unless told', () => {
		expect(roundPosition([105.2568359375, 28.7333984375])).toEqual([105.256836, 28.733398]);
		expect(roundPosition([105.2568359375, 28.7333984375, 300], 2)).toEqual([105.26, 28.73]);
	});
});

describe('roundGeometry', () => {
	it('rounds every coordinate and keeps the ring closed', () => {
		const out = roundGeometry({
			type: 'Polygon',
			coordinates: [
				[
					[105.2568359375, 28.7333984375],
					[105.2668359375, 28.7333984375],
					[105.2668359375, 28.7433984375],
					[105.2568359375, 28.7333984375]
				]
			]
		});
		expect(out).toEqual({
			type: 'Polygon',
			coordinates: [
				[
					[105.256836, 28.733398],
					[105.266836, 28.733398],
					[105.266836, 28.743398],
					[105.256836, 28.733398]
				]
			]
		});
	});

	it('drops vertices that rounding merges, spikes, and rings that collapse', () => {
		const out = roundGeometry({
			type: 'MultiPolygon',
			coordinates: [
				[
					[
						[0, 0],
						[1, 0],
						[1.0000001, 0.0000001], // merges into (1, 0)
						[1, 1],
						[1.5, 1], // a spike out and back
						[1, 1],
						[0, 1],
						[0, 0]
					]
				],
				[
					[
						// a sliver 1e-7 wide: no area left at 6 decimals
						[5, 5],
						[6, 5],
						[6, 5.0000001],
						[5, 5]
					]
				]
			]
		});
		expect(out).toEqual({
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[1, 0],
					[1, 1],
					[0, 1],
					[0, 0]
				]
			]
		});
	});

	it('returns null when nothing with an area is left', () => {
		const sliver: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[5, 5],
					[6, 5],
					[6, 5.0000001],
					[5, 5]
				]
			]
		};
		expect(roundGeometry(sliver)).toBeNull();
	});

	it('keeps a shared vertex shared: two neighbours round to the same border', () => {
		const shared = [105.12345678, 28.87654321];
		const a = roundGeometry({ type: 'Polygon', coordinates: [[[105, 28], shared, [105, 29], [105, 28]]] })!;
		const b = roundGeometry({ type: 'Polygon', coordinates: [[[106, 28], [106, 29], shared, [106, 28]]] })!;
		expect((a as Polygon).coordinates[0][1]).toEqual((b as Polygon).coordinates[0][2]);
	});

	it('rejects bad input', () => {
		expect(() => roundGeometry({ type: 'Point', coordinates: [0, 0] } as unknown as Polygon)).toThrow(
			'geometry must be a Polygon or MultiPolygon'
		);
		expect(() => roundGeometry({ type: 'Polygon', coordinates: [] }, 1.5)).toThrow(
			'decimals must be an integer'
		);
	});
});
