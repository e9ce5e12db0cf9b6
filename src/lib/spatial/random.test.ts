import { booleanPointInPolygon } from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { distanceToBoundaryMeters } from './boundary-distance';
import { deriveSeed, mulberry32, pick, randomInt, randomPointInPolygon, randomPointNear } from './random';
import { METRES_PER_DEGREE, metresPerDegreeLon } from './metres';
import { box } from './test-helpers';

/** A 0.01° square (about 1 km) near Luzhou: half the size of SQUARE, so a 600 m margin leaves no room. */
const square = box(105.4, 28.85, 105.41, 28.86);

describe('mulberry32', () => {
	it('produces the reference mulberry32 sequence for seed 42', () => {
		const rng = mulberry32(42);
		expect([rng(), rng(), rng()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
	});

	it('stays in [0, 1) and looks uniform', () => {
		const rng = mulberry32(7);
		const buckets = new Array(10).fill(0);
		for (let i = 0; i < 10_000; i++) {
			const x = rng();
			expect(x).toBeGreaterThanOrEqual(0);
			expect(x).toBeLessThan(1);
			buckets[Math.floor(x * 10)]++;
		}
		for (const b of buckets) expect(b).toBeGreaterThan(900);
	});

	it('rejects a non-integer seed', () => {
		expect(() => mulberry32(1.5)).toThrow('seed must be an integer');
	});
});

describe('deriveSeed', () => {
	it('is stable and separates keys and base seeds', () => {
		expect(deriveSeed(1, '510502001006')).toBe(deriveSeed(1, '510502001006'));
		expect(deriveSeed(1, '510502001006')).not.toBe(deriveSeed(1, '510502001007'));
		expect(deriveSeed(1, '510502001006')).not.toBe(deriveSeed(2, '510502001006'));
		const seed = deriveSeed(20200128, 'x');
		expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
	});
});

describe('randomInt, pick', () => {
	it('covers both ends of the range and nothing outside', () => {
		const rng = mulberry32(3);
		const seen = new Set<number>();
		for (let i = 0; i < 200; i++) seen.add(randomInt(rng, 3, 5));
		expect([...seen].sort()).toEqual([3, 4, 5]);
	});

	it('rejects bad bounds and empty arrays', () => {
		expect(() => randomInt(mulberry32(1), 5, 3)).toThrow('max must be >= min');
		expect(() => randomInt(mulberry32(1), 1.5, 3)).toThrow('must be integers');
		expect(() => pick(mulberry32(1), [])).toThrow('items must not be empty');
	});
});

describe('randomPointInPolygon', () => {
	it('returns points strictly inside, and keeps the margin', () => {
		const rng = mulberry32(1);
		for (let i = 0; i < 100; i++) {
			const p = randomPointInPolygon(square, rng, { marginMeters: 100 });
			expect(booleanPointInPolygon(p, square, { ignoreBoundary: true })).toBe(true);
			expect(distanceToBoundaryMeters(p, square)).toBeGreaterThanOrEqual(100);
		}
	});

	it('gives up with a plain error when the margin leaves no room', () => {
		// the square is about 1 km across: nothing is 600 m from every edge
		expect(() => randomPointInPolygon(square, mulberry32(1), { marginMeters: 600, maxTries: 500 })).toThrow(
			'no point found in 500 tries'
		);
	});

	it('rejects what is not a polygon', () => {
		expect(() =>
			randomPointInPolygon({ type: 'Point', coordinates: [0, 0] } as unknown as Polygon, mulberry32(1))
		).toThrow('polygon must be a Polygon or MultiPolygon');
	});
});

describe('randomPointNear', () => {
	it('clusters around the centre and stays inside', () => {
		const rng = mulberry32(4);
		const center = [105.402, 28.852];
		for (let i = 0; i < 50; i++) {
			const p = randomPointNear(square, center, 50, rng);
			expect(booleanPointInPolygon(p, square, { ignoreBoundary: true })).toBe(true);
			// 50 m sigma: a point 400 m away (8 sigma) would mean the centre is ignored
			const east = (p[0] - center[0]) * metresPerDegreeLon(center[1]);
			expect(Math.hypot(east, (p[1] - center[1]) * METRES_PER_DEGREE)).toBeLessThan(400);
		}
	});

	it('spreads normally: mean offset ~0, standard deviation ~sigma in each direction', () => {
		// a square far larger than the spread, so no draw is rejected
		const big = box(105, 28.5, 106, 29.5);
		const rng = mulberry32(11);
		const center = [105.5, 29];
		const kx = metresPerDegreeLon(center[1]);
		const east: number[] = [];
		const north: number[] = [];
		for (let i = 0; i < 10_000; i++) {
			const p = randomPointNear(big, center, 100, rng);
			east.push((p[0] - center[0]) * kx);
			north.push((p[1] - center[1]) * METRES_PER_DEGREE);
		}
		for (const xs of [east, north]) {
			const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
			const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
			expect(Math.abs(mean)).toBeLessThan(3);
			expect(Math.abs(sd - 100)).toBeLessThan(3);
		}
	});

	it('rejects a non-positive sigma', () => {
		expect(() => randomPointNear(square, [105.4, 28.85], 0, mulberry32(1))).toThrow(
			'sigmaMeters must be > 0'
		);
	});
});
