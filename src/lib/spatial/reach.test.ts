import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { mulberry32, randomInt, type Rng } from './random';
import {
	computeReach,
	createReachModel,
	type PlaceId,
	type ReachBuilding,
	type ReachCheckpoint,
	type ReachEntrance,
	type ReachModel,
	type ReachSnapshot
} from './reach';
import { fixtureNames, fixturePoints, naiveReach, readFixture } from './test-helpers';

type Step =
	| { op: 'move'; id: string; lon: number; lat: number }
	| { op: 'add'; id: string; lon: number; lat: number }
	| { op: 'remove'; id: string };

interface ExpectedState {
	buildings: { total: number; covered: number };
	households: { total: number; covered: number };
	entrances: { total: number; covered: number };
	uncovered: string[];
	checkpoints: { id: string; buildings: number; households: number }[];
}

function uncoveredIds(snapshot: ReachSnapshot, buildings: readonly ReachBuilding[]): PlaceId[] {
	return buildings.filter((_, i) => snapshot.uncovered[i] === 1).map((b) => b.id);
}

/** The snapshot in the fixtures' terms. */
function stateOf(snapshot: ReachSnapshot, buildings: readonly ReachBuilding[]) {
	return {
		buildings: { total: snapshot.buildings.total, covered: snapshot.buildings.covered },
		households: { total: snapshot.households.total, covered: snapshot.households.covered },
		entrances: { total: snapshot.entrances.total, covered: snapshot.entrances.covered },
		uncovered: uncoveredIds(snapshot, buildings),
		checkpoints: snapshot.checkpoints
	};
}

/** The same figures from Turf's haversine, building by building. */
function naiveState(
	buildings: readonly ReachBuilding[],
	entrances: readonly ReachEntrance[],
	checkpoints: readonly ReachCheckpoint[],
	radiusMeters: number
) {
	const naive = naiveReach({ buildings, entrances, checkpoints, radiusMeters });
	return {
		buildings: { total: buildings.length, covered: naive.coveredBuildings },
		households: {
			total: buildings.reduce((s, b) => s + b.households, 0),
			covered: naive.coveredHouseholds
		},
		entrances: { total: entrances.length, covered: naive.coveredEntrances },
		uncovered: buildings.filter((_, i) => naive.uncovered[i] === 1).map((b) => b.id),
		checkpoints: naive.checkpoints
	};
}

describe('reach model on fixtures', () => {
	it.each(fixtureNames('reach'))('%s: every state matches the worked-out one and Turf', (name) => {
		const { input, expected } = readFixture<
			{ radiusMeters: number; steps: Step[] },
			{ states: ExpectedState[] }
		>('reach', name);
		const buildings = fixturePoints<ReachBuilding>(input, 'building');
		const entrances = fixturePoints<ReachEntrance>(input, 'entrance');
		let checkpoints = fixturePoints<ReachCheckpoint>(input, 'checkpoint').map(({ id, lon, lat }) => ({
			id,
			lon,
			lat
		}));
		const { radiusMeters, steps } = input.properties;
		const model = createReachModel({ buildings, entrances, checkpoints, radiusMeters });
		expect(expected.states).toHaveLength(steps.length + 1);

		const check = (state: ExpectedState) => {
			// the hand-worked expectation agrees with Turf, and the model with both
			expect(naiveState(buildings, entrances, checkpoints, radiusMeters)).toEqual(state);
			expect(stateOf(model.snapshot(), buildings)).toEqual(state);
		};
		check(expected.states[0]);
		steps.forEach((step, s) => {
			if (step.op === 'move') {
				model.moveCheckpoint(step.id, step.lon, step.lat);
				checkpoints = checkpoints.map((c) => (c.id === step.id ? { ...c, lon: step.lon, lat: step.lat } : c));
			} else if (step.op === 'remove') {
				model.removeCheckpoint(step.id);
				checkpoints = checkpoints.filter((c) => c.id !== step.id);
			} else {
				model.addCheckpoint({ id: step.id, lon: step.lon, lat: step.lat });
				checkpoints = [...checkpoints, { id: step.id, lon: step.lon, lat: step.lat }];
			}
			check(expected.states[s + 1]);
		});
	});
});

describe('reach model against a brute-force Turf loop', () => {
	const RADIUS = 300;
	// a 3 km × 3 km patch near Luzhou
	const W = 105.44;
	const S = 28.86;
	const SPAN = 0.03;

	/**
	 * A point whose haversine distance to every building and entrance is not within 0.5 m of the radius:
	 * the model's plane and Turf's sphere differ by centimetres here, so only such points have one answer.
	 */
	function drawClear(rng: Rng, fixed: { lon: number; lat: number }[]): { lon: number; lat: number } {
		for (;;) {
			const p = { lon: W + rng() * SPAN, lat: S + rng() * SPAN };
			const clear = fixed.every(
				(f) => Math.abs(distance([p.lon, p.lat], [f.lon, f.lat], { units: 'meters' }) - RADIUS) > 0.5
			);
			if (clear) return p;
		}
	}

	it('agrees after every one of 150 random adds, moves and closures', () => {
		const rng = mulberry32(7);
		const buildings: ReachBuilding[] = Array.from({ length: 300 }, (_, i) => ({
			id: i + 1,
			lon: W + rng() * SPAN,
			lat: S + rng() * SPAN,
			households: randomInt(rng, 0, 40)
		}));
		const entrances: ReachEntrance[] = Array.from({ length: 12 }, (_, i) => ({
			market: Math.floor(i / 3),
			lon: W + rng() * SPAN,
			lat: S + rng() * SPAN
		}));
		const fixed = [...buildings, ...entrances];
		let checkpoints: ReachCheckpoint[] = Array.from({ length: 8 }, (_, i) => ({
			id: `c${i}`,
			...drawClear(rng, fixed)
		}));
		const model = createReachModel({ buildings, entrances, checkpoints, radiusMeters: RADIUS });
		let next = checkpoints.length;
		for (let op = 0; op < 150; op++) {
			const roll = rng();
			if (roll < 0.15 || checkpoints.length === 0) {
				const c = { id: `c${next++}`, ...drawClear(rng, fixed) };
				model.addCheckpoint(c);
				checkpoints = [...checkpoints, c];
			} else if (roll < 0.25) {
				const { id } = checkpoints[randomInt(rng, 0, checkpoints.length - 1)];
				model.removeCheckpoint(id);
				checkpoints = checkpoints.filter((c) => c.id !== id);
			} else {
				const { id } = checkpoints[randomInt(rng, 0, checkpoints.length - 1)];
				const p = drawClear(rng, fixed);
				model.moveCheckpoint(id, p.lon, p.lat);
				checkpoints = checkpoints.map((c) => (c.id === id ? { id, ...p } : c));
			}
			expect(stateOf(model.snapshot(), buildings)).toEqual(
				naiveState(buildings, entrances, checkpoints, RADIUS)
			);
		}
		expect(model.checkpointList()).toEqual(checkpoints);
	});
});

describe('reach model', () => {
	const buildings: ReachBuilding[] = [
		{ id: 1, lon: 105.41, lat: 28.86, households: 10 },
		{ id: 2, lon: 105.42, lat: 28.86, households: 5 }
	];

	it('computeReach gives the snapshot of a fresh model', () => {
		const input = { buildings, checkpoints: [{ id: 9, lon: 105.411, lat: 28.86 }], radiusMeters: 200 };
		expect(computeReach(input)).toEqual(createReachModel(input).snapshot());
		expect(computeReach(input).households).toEqual({ total: 15, covered: 10, share: 10 / 15 });
	});

	it('hands out snapshots the model does not change afterwards', () => {
		const model = createReachModel({ buildings, radiusMeters: 200 });
		const before = model.snapshot();
		model.addCheckpoint({ id: 1, lon: 105.41, lat: 28.86 });
		expect(before.buildings.covered).toBe(0);
		expect(Array.from(before.uncovered)).toEqual([1, 1]);
		expect(Array.from(model.snapshot().uncovered)).toEqual([0, 1]);
		expect(model.uncoveredBuildingIds()).toEqual([2]);
	});

	it('counts a building reached by two checkpoints once, and for each checkpoint', () => {
		const model = createReachModel({
			buildings,
			checkpoints: [
				{ id: 'a', lon: 105.4101, lat: 28.86 },
				{ id: 'b', lon: 105.4099, lat: 28.86 }
			],
			radiusMeters: 100
		});
		const s = model.snapshot();
		expect(s.buildings.covered).toBe(1);
		expect(s.households.covered).toBe(10);
		expect(s.checkpoints).toEqual([
			{ id: 'a', buildings: 1, households: 10 },
			{ id: 'b', buildings: 1, households: 10 }
		]);
		model.removeCheckpoint('a');
		expect(model.snapshot().households.covered).toBe(10);
		model.removeCheckpoint('b');
		expect(model.snapshot().households.covered).toBe(0);
	});

	it('gives null shares for empty totals', () => {
		const s = computeReach({ buildings: [], radiusMeters: 100 });
		expect(s.buildings).toEqual({ total: 0, covered: 0, share: null });
		expect(s.households.share).toBeNull();
		expect(s.entrances.share).toBeNull();
		const empty = computeReach({
			buildings: [{ id: 1, lon: 105.4, lat: 28.9, households: 0 }],
			radiusMeters: 1
		});
		expect(empty.households.share).toBeNull();
		expect(empty.buildings.share).toBe(0);
	});

	it('keeps working with a radius far smaller than the street (the grid caps its cell count)', () => {
		const spread: ReachBuilding[] = [
			{ id: 1, lon: 105.0, lat: 28.5, households: 1 },
			{ id: 2, lon: 106.0, lat: 29.5, households: 2 }
		];
		const model: ReachModel = createReachModel({ buildings: spread, radiusMeters: 0.5 });
		model.addCheckpoint({ id: 1, lon: 106.0, lat: 29.500004 }); // 0.44 m north of building 2
		expect(model.snapshot().households.covered).toBe(2);
	});

	it('rejects bad input with a plain message', () => {
		expect(() => createReachModel({ buildings, radiusMeters: 0 })).toThrow('radiusMeters must be a positive');
		expect(() => createReachModel({ buildings: [buildings[0], buildings[0]], radiusMeters: 1 })).toThrow(
			'building id 1 is repeated'
		);
		expect(() =>
			createReachModel({ buildings: [{ ...buildings[0], households: 1.5 }], radiusMeters: 1 })
		).toThrow('households must be a non-negative integer');
		expect(() =>
			createReachModel({ buildings: [{ ...buildings[0], lon: Number.NaN }], radiusMeters: 1 })
		).toThrow('needs a finite lon');
		const model = createReachModel({
			buildings,
			checkpoints: [{ id: 1, lon: 105.4, lat: 28.9 }],
			radiusMeters: 1
		});
		expect(() => model.addCheckpoint({ id: 1, lon: 105.4, lat: 28.9 })).toThrow(
			'checkpoint id 1 is repeated'
		);
		expect(() => model.moveCheckpoint(2, 105.4, 28.9)).toThrow('no checkpoint 2');
		expect(() => model.moveCheckpoint(1, 200, 28.9)).toThrow('needs a finite lon');
		expect(() => model.removeCheckpoint(3)).toThrow('no checkpoint 3');
		// a refused move leaves the model as it was
		expect(model.checkpointList()).toEqual([{ id: 1, lon: 105.4, lat: 28.9 }]);
	});
});
