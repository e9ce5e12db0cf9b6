import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { METRES_PER_DEGREE, metresPerDegreeLon } from './metres';

describe('metres per degree', () => {
	it("agrees with Turf's great-circle distance near Luzhou", () => {
		expect(METRES_PER_DEGREE).toBeCloseTo(111_195, 0);
		const north = distance([105.4, 28.85], [105.4, 28.86], { units: 'meters' });
		expect(Math.abs(0.01 * METRES_PER_DEGREE - north) / north).toBeLessThan(1e-9);
		const east = distance([105.4, 28.85], [105.41, 28.85], { units: 'meters' });
		expect(Math.abs(0.01 * metresPerDegreeLon(28.85) - east) / east).toBeLessThan(1e-6);
	});
});
