import { booleanPointInPolygon, distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { hexagonPolygons, hexbin } from './hexbin';
import { METRES_PER_DEGREE, metresPerDegreeLon } from './metres';
import { mulberry32 } from './random';

const ORIGIN: [number, number] = [105.44, 28.87];

/** n random points within `spreadM` metres of ORIGIN, clustered like a town, as interleaved coords. */
function randomPoints(n: number, spreadM: number, seed: number): Float64Array {
	const rng = mulberry32(seed);
	const coords = new Float64Array(2 * n);
	for (let i = 0; i < n; i++) {
		const scale = rng() < 0.5 ? 0.2 : 1;
		coords[2 * i] = ORIGIN[0] + ((rng() * 2 - 1) * spreadM * scale) / metresPerDegreeLon(ORIGIN[1]);
		coords[2 * i + 1] = ORIGIN[1] + ((rng() * 2 - 1) * spreadM * scale) / METRES_PER_DEGREE;
	}
	return coords;
}

/** The hexagon whose centre is nearest, searching the neighbourhood of the point: the definition. */
function nearestHexagon(lon: number, lat: number, size: number): [number, number] {
	const x = (lon - ORIGIN[0]) * metresPerDegreeLon(ORIGIN[1]);
	const y = (lat - ORIGIN[1]) * METRES_PER_DEGREE;
	const r0 = Math.round(y / (1.5 * size));
	const q0 = Math.round(x / (Math.sqrt(3) * size) - r0 / 2);
	let best: [number, number] = [0, 0];
	let bestD = Infinity;
	for (let r = r0 - 2; r <= r0 + 2; r++) {
		for (let q = q0 - 2; q <= q0 + 2; q++) {
			const d = Math.hypot(x - size * Math.sqrt(3) * (q + r / 2), y - size * 1.5 * r);
			if (d < bestD) [best, bestD] = [[q, r], d];
		}
	}
	return best;
}

describe('hexbin', () => {
	const coords = randomPoints(20_000, 5_000, 1);
	const bins = hexbin(coords, 250, { origin: ORIGIN });

	it('puts every point in the hexagon whose centre is nearest, and counts each once', () => {
		const expected = new Map<string, number>();
		for (let i = 0; i < coords.length / 2; i++) {
			const key = nearestHexagon(coords[2 * i], coords[2 * i + 1], 250).join(',');
			expected.set(key, (expected.get(key) ?? 0) + 1);
		}
		const got = new Map(Array.from(bins.q, (q, k) => [`${q},${bins.r[k]}`, bins.counts[k]]));
		expect(got).toEqual(expected);
		expect(bins.counts.reduce((a, b) => a + b, 0)).toBe(20_000);
		expect(bins.suppressed).toBe(0);
		expect(bins.skipped).toBe(0);
	});

	it('makes bins only where there are points, in order of r then q', () => {
		expect(Math.min(...bins.counts)).toBeGreaterThan(0);
		for (let k = 1; k < bins.q.length; k++) {
			const before = bins.r[k - 1] < bins.r[k] || (bins.r[k - 1] === bins.r[k] && bins.q[k - 1] < bins.q[k]);
			expect(before).toBe(true);
		}
		// a town 10 km across in 250 m hexagons: far fewer bins than a full lattice over the bbox
		expect(bins.q.length).toBeLessThan(2000);
	});

	it('makes regular hexagons in metres, holding their points', () => {
		const hexagons = hexagonPolygons(bins);
		expect(hexagons.features).toHaveLength(bins.q.length);
		hexagons.features.slice(0, 50).forEach((f, k) => {
			const ring = f.geometry.coordinates[0];
			expect(ring).toHaveLength(7);
			expect(ring[6]).toEqual(ring[0]);
			const centre = [bins.lon[k], bins.lat[k]];
			for (let c = 0; c < 6; c++) {
				expect(distance(centre, ring[c], { units: 'meters' })).toBeCloseTo(250, -0.5); // within 1.5 m
				expect(distance(ring[c], ring[c + 1], { units: 'meters' })).toBeCloseTo(250, -0.5);
			}
			expect(f.properties).toEqual({ q: bins.q[k], r: bins.r[k], count: bins.counts[k] });
		});
		const byKey = new Map(hexagons.features.map((f) => [`${f.properties.q},${f.properties.r}`, f]));
		for (let i = 0; i < 2000; i++) {
			const [q, r] = nearestHexagon(coords[2 * i], coords[2 * i + 1], 250);
			expect(booleanPointInPolygon([coords[2 * i], coords[2 * i + 1]], byKey.get(`${q},${r}`)!)).toBe(true);
		}
	});

	it('makes polygons for the given bins only', () => {
		const some = hexagonPolygons(bins, [0, 3]);
		expect(some.features.map((f) => [f.properties.q, f.properties.r])).toEqual([
			[bins.q[0], bins.r[0]],
			[bins.q[3], bins.r[3]]
		]);
		expect(() => hexagonPolygons(bins, [bins.q.length])).toThrow(`no bin ${bins.q.length}`);
	});

	it('leaves out bins under minCount (no count of 1 or 2 for leaders) and says how many points went', () => {
		const shown = hexbin(coords, 250, { origin: ORIGIN, minCount: 3 });
		const small = Array.from(bins.counts).filter((c) => c < 3);
		expect(small.length).toBeGreaterThan(0);
		expect(shown.q.length).toBe(bins.q.length - small.length);
		expect(Math.min(...shown.counts)).toBeGreaterThanOrEqual(3);
		expect(shown.suppressed).toBe(small.reduce((a, b) => a + b, 0));
	});

	it('keeps a point in the same bin whatever else is binned, given the same origin', () => {
		const alone = hexbin([coords[0], coords[1]], 250, { origin: ORIGIN });
		const k = Array.from(bins.q).findIndex((q, i) => q === alone.q[0] && bins.r[i] === alone.r[0]);
		expect(k).toBeGreaterThanOrEqual(0);
		expect([alone.lon[0], alone.lat[0]]).toEqual([bins.lon[k], bins.lat[k]]);
	});

	it('centres hexagon (0, 0) on the origin, which defaults to the centre of the bbox', () => {
		const one = hexbin([105, 28, 106, 30], 1000);
		expect(one.origin).toEqual([105.5, 29]);
		const centre = hexbin([105.5, 29], 1000);
		expect([centre.q[0], centre.r[0], centre.lon[0], centre.lat[0]]).toEqual([0, 0, 105.5, 29]);
	});

	it('counts sparse points far apart (no dense lattice) and skips points without coordinates', () => {
		const far = hexbin([105, 28, 106.5, 29.5, Number.NaN, 28, 105, 28], 10, { origin: ORIGIN });
		expect(Array.from(far.counts).sort()).toEqual([1, 2]);
		expect(far.skipped).toBe(1);
	});

	it('checks its input', () => {
		expect(() => hexbin([1], 250)).toThrow('coords must hold [lon, lat] pairs');
		expect(() => hexbin([], 0)).toThrow('sizeMetres must be a positive number');
		expect(() => hexbin([], 250, { minCount: 0 })).toThrow('minCount must be a positive integer');
		expect(hexbin([], 250).q).toHaveLength(0);
	});
});

describe('weights', () => {
	it('count a point as many times as it weighs, the same as repeating it', () => {
		const pts = [105.44, 28.88, 105.4401, 28.8801, 105.6, 28.7];
		const weighted = hexbin(pts, 500, { origin: [105.44, 28.87], weights: [2, 5, 0], minCount: 3 });
		const repeated = hexbin(
			[...Array(2).fill([105.44, 28.88]).flat(), ...Array(5).fill([105.4401, 28.8801]).flat()],
			500,
			{
				origin: [105.44, 28.87],
				minCount: 3
			}
		);
		expect(Array.from(weighted.counts)).toEqual(Array.from(repeated.counts));
		expect(Array.from(weighted.q)).toEqual(Array.from(repeated.q));
		expect(Array.from(weighted.counts)).toEqual([7]);
		expect(() => hexbin(pts, 500, { weights: [1, 2] })).toThrow('one number per point');
		expect(() => hexbin(pts, 500, { weights: [1, -2, 0] })).toThrow('non-negative');
	});
});
