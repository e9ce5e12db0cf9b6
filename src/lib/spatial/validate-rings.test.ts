import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { ringArea2 } from './areal';
import { fixtureNames, readFixture } from './test-helpers';
import { checkRings, segmentsIntersect, type RingCheck, type RingProblem } from './validate-rings';

interface Expected {
	problems: RingProblem[];
	rewound: number;
	geometry: RingCheck['geometry'];
}

describe('checkRings fixtures', () => {
	it.each(fixtureNames('rings'))('%s', (name) => {
		const { input, expected } = readFixture<{ description: string }, Expected>('rings', name);
		const result = checkRings((input as unknown as { geometry: unknown }).geometry);
		expect(result.rewound).toBe(expected.rewound);
		expect(result.problems.map(({ kind, polygon, ring }) => ({ kind, polygon, ring }))).toEqual(
			expected.problems.map(({ kind, polygon, ring }) => ({ kind, polygon, ring }))
		);
		expected.problems.forEach((p, i) => {
			if (!p.at) return;
			expect(result.problems[i].at![0]).toBeCloseTo(p.at[0], 12);
			expect(result.problems[i].at![1]).toBeCloseTo(p.at[1], 12);
		});
		expect(result.geometry).toEqual(expected.geometry);
		if (expected.geometry === null) expect(result.geometry).toBeNull();
	});

	it('winds every repaired shell counter-clockwise and every hole clockwise', () => {
		for (const name of fixtureNames('rings')) {
			const { input } = readFixture<unknown, unknown>('rings', name);
			const { geometry } = checkRings((input as unknown as { geometry: unknown }).geometry);
			if (!geometry) continue;
			const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
			for (const rings of polygons)
				rings.forEach((ring, r) => expect(ringArea2(ring) > 0, `${name} ring ${r}`).toBe(r === 0));
		}
	});
});

describe('checkRings', () => {
	const square: Position[] = [
		[0, 0],
		[1, 0],
		[1, 1],
		[0, 1],
		[0, 0]
	];

	it('leaves the input as it was', () => {
		const input = { type: 'Polygon', coordinates: [[...square].reverse()] };
		const copy = structuredClone(input);
		checkRings(input);
		expect(input).toEqual(copy);
	});

	it('refuses NaN, Infinity and missing ordinates', () => {
		for (const bad of [[NaN, 0], [0, Infinity], [0], null, 'x']) {
			const ring = [[0, 0], [1, 0], bad, [0, 0]];
			expect(checkRings({ type: 'Polygon', coordinates: [ring] }).problems[0].kind).toBe('bad_position');
		}
	});

	it('refuses empty and malformed containers', () => {
		expect(checkRings({ type: 'Polygon', coordinates: [] }).problems[0].kind).toBe('not_areal');
		expect(checkRings({ type: 'MultiPolygon', coordinates: [[]] }).problems[0].kind).toBe('not_areal');
		expect(checkRings({ type: 'Polygon', coordinates: [[]] }).problems[0].kind).toBe('too_few_positions');
		expect(checkRings(null).problems[0].kind).toBe('not_areal');
		expect(
			checkRings({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [square] } }).geometry
		).toBeNull();
	});

	it('finds a crossing far along a long ring (the sweep does not stop early)', () => {
		// a comb of 200 teeth whose last tooth's tip is pulled back across the first edge
		const ring: Position[] = [[0, 0]];
		for (let i = 0; i < 200; i++) ring.push([(i + 0.5) / 1000, 1 / 1000], [(i + 1) / 1000, 0.1 / 1000]);
		ring.push([0.2, -0.001], [0.1, -0.001], [0.00025, 0.0005], [0, 0]);
		const { problems } = checkRings({ type: 'Polygon', coordinates: [ring] });
		expect(problems.map((p) => p.kind)).toEqual(['self_intersection']);
	});
});

describe('segmentsIntersect', () => {
	it('tells crossing, touching, collinear overlap and parallel apart', () => {
		expect(segmentsIntersect([0, 0], [2, 2], [0, 2], [2, 0])).toBe(true); // cross
		expect(segmentsIntersect([0, 0], [2, 0], [1, 0], [1, 1])).toBe(true); // T
		expect(segmentsIntersect([0, 0], [2, 0], [1, 0], [3, 0])).toBe(true); // overlap
		expect(segmentsIntersect([0, 0], [1, 0], [2, 0], [3, 0])).toBe(false); // collinear apart
		expect(segmentsIntersect([0, 0], [1, 0], [0, 1], [1, 1])).toBe(false); // parallel
	});
});
