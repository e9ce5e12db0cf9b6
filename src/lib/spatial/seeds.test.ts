import { booleanPointInPolygon } from '@turf/turf';
import type { Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { mulberry32, randomPointInPolygon } from './random';
import { spreadSeeds } from './seeds';
import { SQUARE as square } from './test-helpers';

function minSpacing(points: Position[]): number {
	let best = Infinity;
	for (let i = 0; i < points.length; i++) {
		for (let j = i + 1; j < points.length; j++) {
			best = Math.min(best, Math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1]));
		}
	}
	return best;
}

describe('spreadSeeds', () => {
	it('returns n distinct seeds strictly inside the parent', () => {
		const seeds = spreadSeeds(square, 20, mulberry32(1));
		expect(seeds).toHaveLength(20);
		expect(new Set(seeds.map((s) => s.join(','))).size).toBe(20);
		for (const s of seeds) expect(booleanPointInPolygon(s, square, { ignoreBoundary: true })).toBe(true);
	});

	it('spaces seeds far better than uniform sampling', () => {
		// averaged over seeds so the comparison does not hang on one lucky draw
		let spread = 0;
		let uniform = 0;
		for (let seed = 1; seed <= 10; seed++) {
			spread += minSpacing(spreadSeeds(square, 16, mulberry32(seed), { candidates: 10 }));
			const rng = mulberry32(seed);
			uniform += minSpacing(Array.from({ length: 16 }, () => randomPointInPolygon(square, rng)));
		}
		expect(spread).toBeGreaterThan(2 * uniform);
	});

	it('keeps away from existing seeds and does not return them', () => {
		const existing = [[105.41, 28.86]];
		const seeds = spreadSeeds(square, 4, mulberry32(3), { existing, candidates: 20 });
		expect(seeds).toHaveLength(4);
		for (const s of seeds) expect(Math.hypot(s[0] - 105.41, s[1] - 28.86)).toBeGreaterThan(0.003);
	});

	it('uses a custom sampler, and refuses points it returns outside the parent', () => {
		const fixed = spreadSeeds(square, 1, mulberry32(1), { sample: () => [105.405, 28.855] });
		expect(fixed).toEqual([[105.405, 28.855]]);
		expect(() => spreadSeeds(square, 1, mulberry32(1), { sample: () => [0, 0] })).toThrow(
			'the sampler returned a point outside the parent'
		);
	});

	it('rejects bad input', () => {
		expect(() => spreadSeeds(square, 0, mulberry32(1))).toThrow('n must be a positive integer');
		expect(() => spreadSeeds(square, 2, mulberry32(1), { candidates: 0 })).toThrow('candidates must be');
		expect(() => spreadSeeds({} as Polygon, 2, mulberry32(1))).toThrow('parent must be');
	});
});
