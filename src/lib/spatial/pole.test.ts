import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { ringCentroid } from './areal';
import { distanceToBoundaryMeters, isWellInside } from './boundary-distance';
import { poleOfInaccessibility } from './pole';

const square = (x: number, y: number, d: number): Position[] => [
	[x, y],
	[x + d, y],
	[x + d, y + d],
	[x, y + d],
	[x, y]
];

describe('poleOfInaccessibility', () => {
	it('is the centre of a square', () => {
		const pole = poleOfInaccessibility({ type: 'Polygon', coordinates: [square(105.44, 28.88, 0.01)] })!;
		const [lon, lat] = pole.at;
		expect(lon).toBeCloseTo(105.445, 4);
		expect(lat).toBeCloseTo(28.885, 4);
		// half the square's east-west side, which is the shorter one here: 0.005° of longitude at 28.9° N
		expect(pole.radiusMeters).toBeGreaterThan(480);
		expect(pole.radiusMeters).toBeLessThan(500);
	});

	it('lies inside an L-shaped grid, clear of its edges, where the centroid hugs the inner corner', () => {
		// an L: a 1 km square with its north-east quarter cut away (degrees near Luzhou: 0.01° ≈ 1 km)
		const l: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[105.44, 28.88],
					[105.45, 28.88],
					[105.45, 28.885],
					[105.445, 28.885],
					[105.445, 28.89],
					[105.44, 28.89],
					[105.44, 28.88]
				]
			]
		};
		const pole = poleOfInaccessibility(l)!.at;
		const centroid = ringCentroid(l.coordinates[0]);
		expect(isWellInside(pole, l, 150)).toBe(true);
		expect(distanceToBoundaryMeters(pole, l)).toBeGreaterThan(2 * distanceToBoundaryMeters(centroid, l));
	});

	it('goes to the part with room for it, and skips a hole', () => {
		const parts: MultiPolygon = {
			type: 'MultiPolygon',
			coordinates: [[square(105.4, 28.8, 0.002)], [square(105.5, 28.9, 0.02), square(105.505, 28.905, 0.01)]]
		};
		const [lon, lat] = poleOfInaccessibility(parts)!.at;
		expect(lon).toBeGreaterThan(105.5);
		expect(lat).toBeGreaterThan(28.9);
		// the big part is a frame around a hole: the label sits in the frame, not in the hole
		expect(isWellInside([lon, lat], parts, 100)).toBe(true);
	});

	it('gives null for a unit without area and refuses what is not one', () => {
		const flat: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[105.44, 28.88],
					[105.45, 28.88],
					[105.44, 28.88],
					[105.44, 28.88]
				]
			]
		};
		expect(poleOfInaccessibility(flat)).toBeNull();
		expect(() => poleOfInaccessibility({ type: 'Point', coordinates: [1, 2] } as never)).toThrow();
	});
});
