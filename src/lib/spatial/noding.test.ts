import type { Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { polygonsOf, type Areal } from './areal';
import { nodeCoverage } from './noding';
import { roundGeometry } from './round';
import { validateTiling } from './validate-tiling';

/*
 * Fixture: a quadrilateral cut along a slanted line S0-S1 into an upper piece A and a lower piece B.
 * A has an extra vertex P on the cut, one third of the way (as a Voronoi edge meeting the cut would
 * leave); B does not. At 6 decimals P rounds to a point 1e-7° below the cut.
 */
const S0 = [105.4, 28.85];
const S1 = [105.41, 28.857];
const P = [105.4 + 0.01 / 3, 28.85 + 0.007 / 3];
const parent: Polygon = { type: 'Polygon', coordinates: [[S0, [105.41, 28.85], S1, [105.4, 28.86], S0]] };
const upper: Polygon = { type: 'Polygon', coordinates: [[S0, P, S1, [105.4, 28.86], S0]] };
const lower: Polygon = { type: 'Polygon', coordinates: [[S0, [105.41, 28.85], S1, S0]] };

const roundAll = (geometries: Areal[]) => geometries.map((g) => roundGeometry(g)!);
const vertices = (g: Areal): Position[] => polygonsOf(g).flatMap((rings) => rings.flat());

describe('nodeCoverage', () => {
	it('without noding, rounding a T-junction opens an overlap (the regression it prevents)', () => {
		const report = validateTiling(parent, roundAll([upper, lower]));
		expect(report.overlapArea + report.gapArea).toBeGreaterThan(0.5); // m²
	});

	it('inserts the junction into the neighbour so rounding keeps the border shared', () => {
		const [a, b] = nodeCoverage([upper, lower]);
		expect(vertices(b)).toContainEqual(P);
		const report = validateTiling(parent, roundAll([a, b]));
		expect(report.overlapArea).toBeLessThan(1e-6);
		expect(report.gapArea).toBeLessThan(1e-6);
	});

	it('orders several inserted vertices along the edge', () => {
		const Q = [105.4 + 0.02 / 3, 28.85 + 0.014 / 3];
		const withTwo: Polygon = { type: 'Polygon', coordinates: [[S0, P, Q, S1, [105.4, 28.86], S0]] };
		const [, b] = nodeCoverage([withTwo, lower]);
		// lower walks S1 -> S0 along the cut, so it meets Q before P
		expect((b as Polygon).coordinates[0]).toEqual([S0, [105.41, 28.85], S1, Q, P, S0]);
	});

	it('leaves vertices that are near an edge but not on it', () => {
		const off = [P[0], P[1] + 1e-6]; // 0.1 m off the cut
		const [, b] = nodeCoverage([
			{ type: 'Polygon', coordinates: [[S0, off, S1, [105.4, 28.86], S0]] },
			lower
		]);
		expect(b).toEqual(lower);
	});

	it('changes nothing where borders already share vertices', () => {
		const left: Polygon = { type: 'Polygon', coordinates: [[S0, S1, [105.4, 28.86], S0]] };
		expect(nodeCoverage([left, lower])).toEqual([left, lower]);
	});

	it('rejects bad input', () => {
		expect(() => nodeCoverage([{ type: 'Point' } as unknown as Polygon])).toThrow('geometry 0 must be');
		expect(() => nodeCoverage([upper], { tolerance: 0 })).toThrow('tolerance must be > 0');
	});
});
