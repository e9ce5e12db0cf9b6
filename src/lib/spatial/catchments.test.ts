import { readFileSync } from 'node:fs';
import { area, booleanPointInPolygon, distance } from '@turf/turf';
import type { Feature, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Areal } from './areal';
import { catchments } from './catchments';
import { intersectAreal } from './clip';
import { mulberry32, randomPointInPolygon } from './random';
import type { ReachCheckpoint } from './reach';
import { fixtureNames, fixturePoints, readFixture, SQUARE } from './test-helpers';

interface ExpectedCells {
	cells: { checkpoint: string; checkpoints: string[]; areaShare: number; contains: Position[] }[];
}

function streetOf(input: { features: Feature[] }): Areal {
	const street = input.features.find((f) => f.properties?.kind === 'street');
	if (!street) throw new Error('fixture has no street');
	return street.geometry as Areal;
}

describe('catchments on fixtures', () => {
	it.each(fixtureNames('catchments'))('%s', (name) => {
		const { input, expected } = readFixture<{ description: string }, ExpectedCells>('catchments', name);
		const street = streetOf(input);
		const checkpoints = fixturePoints<ReachCheckpoint>(input, 'checkpoint');
		const cells = catchments(street, checkpoints);
		const streetArea = area(street);
		expect(cells.features.map((f) => f.properties)).toEqual(
			expected.cells.map(({ checkpoint, checkpoints }) => ({ checkpoint, checkpoints }))
		);
		cells.features.forEach((cell, i) => {
			// 1e-4: on the sphere, the quarter nearer the equator is 0.005 % larger than the one north of it
			expect(area(cell) / streetArea).toBeCloseTo(expected.cells[i].areaShare, 4);
			for (const p of expected.cells[i].contains) {
				expect(booleanPointInPolygon(p, cell), `${p} in ${cell.properties.checkpoint}`).toBe(true);
			}
		});
	});
});

describe('catchments', () => {
	const uShape = (
		JSON.parse(
			readFileSync(new URL('./fixtures/tiling/u-shape.geojson', import.meta.url), 'utf8')
		) as Feature<Areal>
	).geometry;

	it('gives every point of a concave street to its nearest checkpoint, by Turf distance', () => {
		const rng = mulberry32(21);
		const checkpoints = Array.from({ length: 9 }, (_, i) => {
			const [lon, lat] = randomPointInPolygon(uShape, rng);
			return { id: i, lon, lat };
		});
		const cells = catchments(uShape, checkpoints);
		expect(cells.features).toHaveLength(9);
		let checked = 0;
		for (let s = 0; s < 300; s++) {
			const p = randomPointInPolygon(uShape, rng);
			const d = checkpoints
				.map((c) => ({ id: c.id, m: distance(p, [c.lon, c.lat], { units: 'meters' }) }))
				.sort((a, b) => a.m - b.m);
			if (d[1].m - d[0].m < 2) continue; // within 2 m of a border: either side is right
			const holders = cells.features.filter((f) => booleanPointInPolygon(p, f));
			expect(holders.map((f) => f.properties.checkpoint)).toEqual([d[0].id]);
			checked++;
		}
		expect(checked).toBeGreaterThan(250);
	});

	it('tiles the street: areas add up and cells do not overlap', () => {
		const rng = mulberry32(4);
		const checkpoints = Array.from({ length: 6 }, (_, i) => {
			const [lon, lat] = randomPointInPolygon(uShape, rng);
			return { id: `c${i}`, lon, lat };
		});
		const cells = catchments(uShape, checkpoints).features;
		const total = cells.reduce((s, c) => s + area(c), 0);
		expect(Math.abs(total - area(uShape)) / area(uShape)).toBeLessThan(1e-6);
		for (let i = 0; i < cells.length; i++) {
			for (let j = i + 1; j < cells.length; j++) {
				const shared = intersectAreal(cells[i].geometry, cells[j].geometry);
				expect(shared ? area(shared) : 0).toBeLessThan(1e-6 * area(uShape));
			}
		}
	});

	it('returns a copy of the street for one checkpoint, not the street itself', () => {
		const [cell] = catchments(SQUARE, [{ id: 1, lon: 105.41, lat: 28.86 }]).features;
		expect(cell.geometry).toEqual(SQUARE);
		expect(cell.geometry).not.toBe(SQUARE);
	});

	it('joins checkpoints a few millimetres apart into one cell', () => {
		const cells = catchments(SQUARE, [
			{ id: 1, lon: 105.405, lat: 28.86 },
			{ id: 2, lon: 105.415, lat: 28.86 },
			{ id: 3, lon: 105.40500005, lat: 28.86 } // 5 mm east of 1
		]);
		expect(cells.features.map((f) => f.properties.checkpoints)).toEqual([[1, 3], [2]]);
	});

	it('rejects bad input with a plain message', () => {
		expect(() => catchments(null as unknown as Areal, [])).toThrow('street must be');
		expect(() =>
			catchments(SQUARE, [
				{ id: 1, lon: 105.41, lat: 28.86 },
				{ id: 1, lon: 105.42, lat: 28.86 }
			])
		).toThrow('checkpoint id 1 is repeated');
		expect(() => catchments(SQUARE, [{ id: 1, lon: Number.NaN, lat: 28.86 }])).toThrow('finite lon');
	});
});
