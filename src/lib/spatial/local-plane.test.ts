import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { fromPlane, localPlane, planeAround, toPlane } from './local-plane';
import { mulberry32 } from './random';

/** The largest relative difference from Turf's haversine over random pairs in a box around (lon0, lat0). */
function worstError(lon0: number, lat0: number, halfSpan: number): number {
	const plane = localPlane(lon0, lat0);
	const rng = mulberry32(3);
	let worst = 0;
	for (let i = 0; i < 2000; i++) {
		const a = [lon0 + (rng() * 2 - 1) * halfSpan, lat0 + (rng() * 2 - 1) * halfSpan];
		const b = [lon0 + (rng() * 2 - 1) * halfSpan, lat0 + (rng() * 2 - 1) * halfSpan];
		const [ax, ay] = toPlane(plane, a[0], a[1]);
		const [bx, by] = toPlane(plane, b[0], b[1]);
		const turf = distance(a, b, { units: 'meters' });
		if (turf < 1) continue;
		worst = Math.max(worst, Math.abs(Math.hypot(ax - bx, ay - by) - turf) / turf);
	}
	return worst;
}

describe('local plane', () => {
	it('measures distances within a street (0.05° around 28.9°N) to 0.05 % of Turf', () => {
		expect(worstError(105.47, 28.89, 0.025)).toBeLessThan(5e-4);
	});

	it('stays under 0.5 % across a whole district (0.5° around 28.9°N)', () => {
		expect(worstError(105.47, 28.89, 0.25)).toBeLessThan(5e-3);
	});

	it('maps back to the same lon/lat', () => {
		const plane = localPlane(105.47, 28.89);
		const [x, y] = toPlane(plane, 105.4812345, 28.8712345);
		const [lon, lat] = fromPlane(plane, x, y);
		expect(lon).toBeCloseTo(105.4812345, 12);
		expect(lat).toBeCloseTo(28.8712345, 12);
	});

	it('centres on the middle of the points, or on (0, 0) for none', () => {
		const plane = planeAround([
			{ lon: 105.4, lat: 28.8 },
			{ lon: 105.6, lat: 29.0 }
		]);
		expect(plane.lon0).toBeCloseTo(105.5, 12);
		expect(plane.lat0).toBeCloseTo(28.9, 12);
		expect(planeAround([])).toMatchObject({ lon0: 0, lat0: 0 });
		expect(() => localPlane(0, 90)).toThrow('off the poles');
	});
});
