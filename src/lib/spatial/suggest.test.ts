import { area, booleanPointInPolygon, distance } from '@turf/turf';
import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Areal } from './areal';
import { mulberry32, randomInt } from './random';
import { createReachModel, type PlaceId, type ReachBuilding, type ReachCheckpoint } from './reach';
import { streetCandidates, suggestCheckpoints, type Candidate } from './suggest';
import { box, fixtureNames, fixturePoints, naiveGreedy, readFixture, SQUARE } from './test-helpers';

interface ExpectedSuggestions {
	suggestions: { households: number; buildings: number; covers?: string[] }[];
	coversAll?: string[];
}

const near = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) =>
	distance([a.lon, a.lat], [b.lon, b.lat], { units: 'meters' });

describe('suggestCheckpoints on fixtures', () => {
	it.each(fixtureNames('suggest'))('%s', (name) => {
		const { input, expected } = readFixture<{ radiusMeters: number; k: number }, ExpectedSuggestions>(
			'suggest',
			name
		);
		const street = input.features.find((f) => f.properties?.kind === 'street')!.geometry as Areal;
		const buildings = fixturePoints<ReachBuilding>(input, 'building');
		const checkpoints = fixturePoints<ReachCheckpoint>(input, 'checkpoint');
		const { radiusMeters, k } = input.properties;
		const model = createReachModel({ buildings, checkpoints, radiusMeters });
		const suggestions = suggestCheckpoints(model, street, k);

		expect(suggestions.map(({ households, buildings }) => ({ households, buildings }))).toEqual(
			expected.suggestions.map(({ households, buildings }) => ({ households, buildings }))
		);
		suggestions.forEach((s, i) => {
			const want = expected.suggestions[i].covers;
			if (want) expect([...s.covers].sort()).toEqual([...want].sort());
		});
		if (expected.coversAll) {
			expect(suggestions.flatMap((s) => s.covers).sort()).toEqual([...expected.coversAll].sort());
		}
		// checked with Turf: inside the street, and what each claims to cover is within reach of it and of
		// no checkpoint or earlier suggestion
		const taken: { lon: number; lat: number }[] = [...checkpoints];
		for (const s of suggestions) {
			expect(booleanPointInPolygon([s.lon, s.lat], street, { ignoreBoundary: true })).toBe(true);
			for (const id of s.covers) {
				const b = buildings.find((x) => x.id === id)!;
				expect(near(s, b)).toBeLessThanOrEqual(radiusMeters);
				for (const t of taken) expect(near(t, b)).toBeGreaterThan(radiusMeters);
			}
			taken.push(s);
		}
	});
});

describe('suggestCheckpoints', () => {
	const RADIUS = 250;
	const rng = mulberry32(33);
	const buildings: ReachBuilding[] = [];
	// clear of the radius by more than 0.5 m from every other building, so the plane and Turf agree
	while (buildings.length < 150) {
		const p = { lon: 105.4 + rng() * 0.02, lat: 28.85 + rng() * 0.02 };
		if (buildings.every((b) => Math.abs(near(b, p) - RADIUS) > 0.5)) {
			buildings.push({ id: buildings.length + 1, ...p, households: randomInt(rng, 0, 30) });
		}
	}
	const checkpoints = [
		{ id: 'a', lon: buildings[0].lon, lat: buildings[0].lat },
		{ id: 'b', lon: buildings[1].lon, lat: buildings[1].lat }
	];
	const candidates: Candidate[] = buildings.map((b) => ({
		lon: b.lon,
		lat: b.lat,
		source: 'given' as const,
		building: b.id
	}));

	it('picks the same sites with the same gains as a plain greedy over Turf distances', () => {
		const model = createReachModel({ buildings, checkpoints, radiusMeters: RADIUS });
		const lazy = suggestCheckpoints(model, SQUARE, 8, { candidates });
		const naive = naiveGreedy(buildings, checkpoints, candidates, RADIUS, 8);
		expect(lazy.map((s) => ({ building: s.building, households: s.households }))).toEqual(
			naive.map((n) => ({ building: buildings[n.index].id, households: n.households }))
		);
		expect(lazy).toHaveLength(8);
		// gains never grow from one pick to the next
		for (let i = 1; i < lazy.length; i++)
			expect(lazy[i].households).toBeLessThanOrEqual(lazy[i - 1].households);
	});

	it('reads the model without changing it; accepting a suggestion changes the next ones', () => {
		const model = createReachModel({ buildings, checkpoints, radiusMeters: RADIUS });
		const before = model.snapshot();
		const [first, second] = suggestCheckpoints(model, SQUARE, 2, { candidates });
		expect(model.snapshot()).toEqual(before);
		model.addCheckpoint({ id: 'accepted', lon: first.lon, lat: first.lat });
		expect(model.snapshot().households.covered).toBe(before.households.covered + first.households);
		const [next] = suggestCheckpoints(model, SQUARE, 1, { candidates });
		expect(next.households).toBe(second.households);
	});

	it('breaks ties in favour of the candidate listed first', () => {
		const twins: ReachBuilding[] = [
			{ id: 'w', lon: 105.405, lat: 28.86, households: 20 },
			{ id: 'e', lon: 105.415, lat: 28.86, households: 20 }
		];
		const model = createReachModel({ buildings: twins, radiusMeters: 100 });
		const at = (b: ReachBuilding, tag: string): Candidate => ({
			lon: b.lon,
			lat: b.lat,
			source: 'given',
			building: tag
		});
		const picks = suggestCheckpoints(model, SQUARE, 2, {
			candidates: [at(twins[1], 'e first'), at(twins[0], 'w'), at(twins[1], 'e second')]
		});
		expect(picks.map((s) => s.building)).toEqual(['e first', 'w']);
	});

	it('never proposes a candidate outside the street', () => {
		const model = createReachModel({ buildings, radiusMeters: RADIUS });
		// the western half of the square as the street: buildings east of it are not candidates
		const west = box(105.4, 28.85, 105.41, 28.87);
		const suggestions = suggestCheckpoints(model, west, 20, { candidates });
		expect(suggestions.length).toBeGreaterThan(0);
		for (const s of suggestions) expect(s.lon).toBeLessThan(105.41);
	});

	it('returns nothing for k = 0 and rejects a bad k', () => {
		const model = createReachModel({ buildings, radiusMeters: RADIUS });
		expect(suggestCheckpoints(model, SQUARE, 0)).toEqual([]);
		expect(() => suggestCheckpoints(model, SQUARE, -1)).toThrow('k must be a non-negative integer');
		expect(() => suggestCheckpoints(model, SQUARE, 1.5)).toThrow('k must be a non-negative integer');
		expect(() => suggestCheckpoints(model, null as unknown as Areal, 1)).toThrow('street must be');
	});
});

describe('streetCandidates', () => {
	const street: Feature<Areal> = {
		type: 'Feature',
		properties: {},
		// an L: the square without its north-east quarter
		geometry: {
			type: 'Polygon',
			coordinates: [
				[
					[105.4, 28.85],
					[105.42, 28.85],
					[105.42, 28.86],
					[105.41, 28.86],
					[105.41, 28.87],
					[105.4, 28.87],
					[105.4, 28.85]
				]
			]
		}
	};
	const buildings: ReachBuilding[] = [
		{ id: 'in', lon: 105.405, lat: 28.865, households: 1 },
		{ id: 'out', lon: 105.415, lat: 28.865, households: 1 } // in the missing quarter
	];

	it('lists the buildings inside the street, then grid nodes inside it at the spacing asked for', () => {
		const model = createReachModel({ buildings, radiusMeters: 400 });
		const candidates = streetCandidates(street.geometry, model);
		expect(candidates[0]).toEqual({ lon: 105.405, lat: 28.865, source: 'building', building: 'in' });
		expect(candidates.filter((c) => c.source === 'building').map((c) => c.building)).toEqual<PlaceId[]>([
			'in'
		]);
		const grid = candidates.filter((c) => c.source === 'grid');
		for (const c of grid)
			expect(booleanPointInPolygon([c.lon, c.lat], street, { ignoreBoundary: true })).toBe(true);
		// one node per (200 m)² of the L's 3.3 km², give or take the nodes along its edges
		const expected = area(street) / (200 * 200);
		expect(grid.length).toBeGreaterThan(expected * 0.85);
		expect(grid.length).toBeLessThan(expected * 1.15);
		// neighbours along a row are 200 m apart
		expect(near(grid[0], grid[1])).toBeCloseTo(200, 0);
	});

	it('widens the spacing to keep to maxGridNodes', () => {
		const model = createReachModel({ buildings, radiusMeters: 400 });
		const grid = streetCandidates(street.geometry, model, { spacingMeters: 10, maxGridNodes: 100 });
		expect(grid.filter((c) => c.source === 'grid').length).toBeLessThanOrEqual(100);
		expect(streetCandidates(street.geometry, model, { maxGridNodes: 0 })).toHaveLength(1);
		expect(() => streetCandidates(street.geometry, model, { spacingMeters: 0 })).toThrow('spacingMeters');
	});
});
