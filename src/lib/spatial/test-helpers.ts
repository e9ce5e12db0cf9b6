/*
 * Shared fixtures and reference computations for the spatial unit tests and benchmarks (not used by the app).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { distance } from '@turf/turf';
import type { FeatureCollection, Geometry, Point, Polygon } from 'geojson';
import type { Areal } from './areal';
import type { PlaceId, ReachBuilding, ReachInput } from './reach';

/**
 * An axis-aligned rectangle from (x0, y0) to (x1, y1), counter-clockwise from the south-west corner.
 *
 * @example
 * box(105.4, 28.85, 105.41, 28.86); // a 0.01° square near Luzhou, about 1 km
 */
export function box(x0: number, y0: number, x1: number, y1: number): Polygon {
	return {
		type: 'Polygon',
		coordinates: [
			[
				[x0, y0],
				[x1, y0],
				[x1, y1],
				[x0, y1],
				[x0, y0]
			]
		]
	};
}

/** A 0.02° square (about 2 km) near Luzhou: the parent most tests cut up. */
export const SQUARE: Polygon = box(105.4, 28.85, 105.42, 28.87);

let districts: FeatureCollection<Areal, { code: string }> | undefined;

/**
 * The real boundary of one of Luzhou's districts, as published (supabase/seed/luzhou/districts.geojson).
 *
 * @param code a district code, e.g. '510502' (江阳区)
 * @throws when there is no such district
 */
export function readDistrict(code: string): Areal {
	districts ??= JSON.parse(
		readFileSync(new URL('../../../supabase/seed/luzhou/districts.geojson', import.meta.url), 'utf8')
	) as FeatureCollection<Areal, { code: string }>;
	const feature = districts.features.find((f) => f.properties.code === code);
	if (!feature) throw new Error(`no district ${code} in districts.geojson`);
	return feature.geometry;
}

/** A fixture's FeatureCollection: its options travel in a `properties` member, as in Turf's fixtures. */
export type FixtureCollection<P> = FeatureCollection<Geometry, Record<string, unknown>> & { properties: P };

/**
 * Reads fixture `name` of a module: the input `fixtures/<module>/in/<name>.geojson` and the expected output
 * `fixtures/<module>/out/<name>.json`.
 */
export function readFixture<P, Out>(
	module: string,
	name: string
): { input: FixtureCollection<P>; expected: Out } {
	const dir = new URL(`./fixtures/${module}/`, import.meta.url);
	return {
		input: JSON.parse(readFileSync(new URL(`in/${name}.geojson`, dir), 'utf8')),
		expected: JSON.parse(readFileSync(new URL(`out/${name}.json`, dir), 'utf8'))
	};
}

/** The names of a module's fixtures (the inputs under `fixtures/<module>/in/`). */
export function fixtureNames(module: string): string[] {
	return readdirSync(new URL(`./fixtures/${module}/in/`, import.meta.url))
		.filter((f) => f.endsWith('.geojson'))
		.map((f) => f.replace(/\.geojson$/, ''));
}

/** The points of a fixture with `properties.kind === kind`, as { ...properties, lon, lat }. */
export function fixturePoints<T>(
	input: FeatureCollection,
	kind: string
): (T & { lon: number; lat: number })[] {
	return input.features
		.filter((f) => f.properties?.kind === kind && f.geometry.type === 'Point')
		.map((f) => {
			const [lon, lat] = (f.geometry as Point).coordinates;
			return { ...(f.properties as T), lon, lat };
		});
}

/** What {@link naiveReach} counts. */
export interface NaiveReach {
	coveredBuildings: number;
	coveredHouseholds: number;
	coveredEntrances: number;
	/** 1 where no checkpoint is within the radius */
	uncovered: Uint8Array;
	checkpoints: { id: PlaceId; buildings: number; households: number }[];
}

/**
 * The reach the slow, obvious way: Turf's haversine `distance` from every building and entrance to every
 * checkpoint. Shares no code with reach.ts: the tests' reference and the benchmark's baseline.
 */
export function naiveReach(input: ReachInput): NaiveReach {
	const checkpoints = input.checkpoints ?? [];
	const r = input.radiusMeters;
	const uncovered = new Uint8Array(input.buildings.length);
	const per = checkpoints.map((c) => ({ id: c.id, buildings: 0, households: 0 }));
	let coveredBuildings = 0;
	let coveredHouseholds = 0;
	input.buildings.forEach((b, i) => {
		let reached = false;
		checkpoints.forEach((c, j) => {
			if (distance([b.lon, b.lat], [c.lon, c.lat], { units: 'meters' }) <= r) {
				reached = true;
				per[j].buildings++;
				per[j].households += b.households;
			}
		});
		if (reached) {
			coveredBuildings++;
			coveredHouseholds += b.households;
		} else uncovered[i] = 1;
	});
	let coveredEntrances = 0;
	for (const e of input.entrances ?? []) {
		if (checkpoints.some((c) => distance([e.lon, e.lat], [c.lon, c.lat], { units: 'meters' }) <= r)) {
			coveredEntrances++;
		}
	}
	return { coveredBuildings, coveredHouseholds, coveredEntrances, uncovered, checkpoints: per };
}

/**
 * Greedy maximum coverage the slow, obvious way: every round, every candidate's gain from Turf's
 * `distance` to every building. Ties go to the earlier candidate, as documented for suggestCheckpoints.
 * Shares no code with suggest.ts: the tests' reference and the benchmark's baseline.
 *
 * @returns the index of each chosen candidate and the households it newly covers
 */
export function naiveGreedy(
	buildings: readonly ReachBuilding[],
	checkpoints: readonly { lon: number; lat: number }[],
	candidates: readonly { lon: number; lat: number }[],
	radius: number,
	k: number
): { index: number; households: number }[] {
	const near = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) =>
		distance([a.lon, a.lat], [b.lon, b.lat], { units: 'meters' }) <= radius;
	const covered = buildings.map((b) => checkpoints.some((c) => near(c, b)));
	const out: { index: number; households: number }[] = [];
	while (out.length < k) {
		let best = -1;
		let bestGain = 0;
		candidates.forEach((c, i) => {
			let gain = 0;
			buildings.forEach((b, j) => {
				if (!covered[j] && near(c, b)) gain += b.households;
			});
			if (gain > bestGain) {
				best = i;
				bestGain = gain;
			}
		});
		if (best < 0) break;
		buildings.forEach((b, j) => {
			if (near(candidates[best], b)) covered[j] = true;
		});
		out.push({ index: best, households: bestGain });
	}
	return out;
}
