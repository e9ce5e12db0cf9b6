import { booleanPointInPolygon } from '@turf/turf';
import type { Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { distanceToBoundaryMeters } from './boundary-distance';
import { labelPoint } from './label-point';
import { mulberry32 } from './random';
import { roundPosition } from './round';
import { SQUARE } from './test-helpers';

describe('labelPoint', () => {
	it('uses the centroid of a convex unit', () => {
		const [x, y] = labelPoint(SQUARE, [105.401, 28.851]);
		expect(x).toBeCloseTo(105.41, 12);
		expect(y).toBeCloseTo(28.86, 12);
	});

	it('falls back when the centroid of a U falls in its notch', () => {
		const u: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[3, 0],
					[3, 3],
					[2, 3],
					[2, 0.5],
					[1, 0.5],
					[1, 3],
					[0, 3],
					[0, 0]
				]
			]
		};
		expect(booleanPointInPolygon([1.5, 1.4], u)).toBe(false);
		expect(labelPoint(u, [0.5, 2])).toEqual([0.5, 2]);
	});

	it('uses the largest part of a MultiPolygon', () => {
		const [x, y] = labelPoint(
			{
				type: 'MultiPolygon',
				coordinates: [
					[
						[
							[0, 0],
							[0.1, 0],
							[0.1, 0.1],
							[0, 0]
						]
					],
					[
						[
							[10, 10],
							[12, 10],
							[12, 12],
							[10, 12],
							[10, 10]
						]
					]
				]
			},
			[0, 0]
		);
		expect([x, y]).toEqual([11, 11]);
	});

	it('rejects bad input', () => {
		expect(() => labelPoint({ type: 'Point' } as unknown as Polygon, [0, 0])).toThrow('geometry must be');
		expect(() => labelPoint(SQUARE, [105.41, 28.86], { marginMeters: -1 })).toThrow(
			'marginMeters must be >= 0'
		);
	});
});

describe('labelPoint with a margin, snapping and a random stream', () => {
	/** A U about 3 km across near Luzhou: its centroid lies in the notch (105.41-105.42, north of 28.86). */
	const U: Polygon = {
		type: 'Polygon',
		coordinates: [
			[
				[105.4, 28.85],
				[105.43, 28.85],
				[105.43, 28.88],
				[105.42, 28.88],
				[105.42, 28.86],
				[105.41, 28.86],
				[105.41, 28.88],
				[105.4, 28.88],
				[105.4, 28.85]
			]
		]
	};
	// 3 mm inside the left arm's inner edge: inside, but rounding to 6 decimals puts it on the edge
	const hugging = [105.40999997, 28.87];
	const options = (seed: number) => ({
		marginMeters: 0.5,
		snap: (p: Position) => roundPosition(p),
		rng: mulberry32(seed)
	});

	it('the fallback alone would not do: inside before rounding, on the edge after', () => {
		expect(booleanPointInPolygon(hugging, U, { ignoreBoundary: true })).toBe(true);
		expect(booleanPointInPolygon(roundPosition(hugging), U, { ignoreBoundary: true })).toBe(false);
		expect(labelPoint(U, hugging)).toEqual(hugging); // no margin, no snapping: taken as it is
	});

	it('draws a point that is still 0.5 m inside once rounded, the same one every time', () => {
		const p = labelPoint(U, hugging, options(1));
		expect(p).toEqual(roundPosition(p));
		expect(booleanPointInPolygon(p, U, { ignoreBoundary: true })).toBe(true);
		expect(distanceToBoundaryMeters(p, U)).toBeGreaterThanOrEqual(0.5);
		expect(labelPoint(U, hugging, options(1))).toEqual(p);
		expect(labelPoint(U, hugging, options(2))).not.toEqual(p);
	});

	it('keeps a good fallback, rounded', () => {
		expect(labelPoint(U, [105.4051234567, 28.87], options(1))).toEqual([105.405123, 28.87]);
	});

	it('applies the margin to the centroid too, and throws without a stream to draw from', () => {
		// SQUARE is about 2 km across: nothing in it is 1.5 km from every edge
		expect(() => labelPoint(SQUARE, [105.41, 28.86], { marginMeters: 1_500 })).toThrow(
			'no label point found at least 1500 m inside'
		);
		expect(() => labelPoint(U, hugging, { marginMeters: 0.5, snap: (p) => roundPosition(p) })).toThrow(
			'no label point found'
		);
	});
});
