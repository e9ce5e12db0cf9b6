/**
 * A deterministic city-scale data set for the spatial benchmark: about 12,000 grid polygons tiling
 * Luzhou, 200,000 buildings and 1,500,000 households, each point with the grid it was drawn in.
 *
 * The grids come from the demo geometry (scripts/seed/geometry.ts): every community is tiled again
 * into grids, as many as it has demo grids times the scale up to 12,000, so urban grids stay small and
 * village grids large; shared borders are noded and rounded to 6 decimals like the demo's. Grids are
 * drawn on the population, so every grid gets about the same number of buildings (dense in the city,
 * sparse in the hills). Buildings are listed in random order (as an import would list them); each
 * building's households follow it, each within 15 m of it and in the same grid. Every point keeps 1 mm
 * clear of its grid's edges, so the grid it was drawn in is the right answer under any boundary rule.
 */
import type { Position } from 'geojson';
import { booleanPointInPolygon } from '@turf/turf';
import { type Areal } from '../../src/lib/spatial/areal';
import { distanceToBoundaryMeters } from '../../src/lib/spatial/boundary-distance';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../../src/lib/spatial/metres';
import { nodeCoverage } from '../../src/lib/spatial/noding';
import { deriveSeed, mulberry32, randomPointInPolygon, type Rng } from '../../src/lib/spatial/random';
import { roundGeometry, roundPosition } from '../../src/lib/spatial/round';
import { spreadSeeds } from '../../src/lib/spatial/seeds';
import { tileBySeeds } from '../../src/lib/spatial/tiling';
import { generateDemoGeometry } from '../seed/geometry';

export interface BenchCity {
	grids: Areal[];
	/** interleaved [lon, lat] of the buildings, and the grid each was drawn in */
	buildings: Float64Array;
	buildingGrid: Int32Array;
	households: Float64Array;
	householdGrid: Int32Array;
	/** milliseconds spent on each step */
	timings: Record<string, number>;
}

export interface BenchCityOptions {
	seed?: number;
	grids?: number;
	buildings?: number;
	households?: number;
}

const rngFor = (seed: number, key: string): Rng => mulberry32(deriveSeed(seed, key));

/** Splits `total` into `n` parts, each at least `min`, in proportion to `weights` (largest remainder). */
function allocate(total: number, weights: number[], min: number): number[] {
	const spare = total - min * weights.length;
	if (spare < 0) throw new Error(`cannot give ${weights.length} parts at least ${min} from ${total}`);
	const sum = weights.reduce((a, b) => a + b, 0);
	const exact = weights.map((w) => (spare * w) / sum);
	const counts = exact.map((x) => min + Math.floor(x));
	let left = total - counts.reduce((a, b) => a + b, 0);
	const order = exact.map((x, i) => ({ r: x - Math.floor(x), i })).sort((a, b) => b.r - a.r || a.i - b.i);
	for (let k = 0; left > 0; k++, left--) counts[order[k % order.length].i]++;
	return counts;
}

/**
 * Whether a point is inside `grid` and clear of its edges by 1 mm: then its grid is the same whatever
 * the boundary rule or the arithmetic (rounded to 6 decimals, a point can land exactly on an edge).
 */
function clearlyInside(p: Position, grid: Areal): boolean {
	return booleanPointInPolygon(p, grid, { ignoreBoundary: true }) && distanceToBoundaryMeters(p, grid) > 1e-3;
}

/** A point clearly inside `grid` after rounding to 6 decimals (as stored). */
function roundedPointIn(grid: Areal, rng: Rng): Position {
	for (;;) {
		const p = roundPosition(randomPointInPolygon(grid, rng), 6);
		if (clearlyInside(p, grid)) return p;
	}
}

export function generateBenchCity(options: BenchCityOptions = {}): BenchCity {
	const seed = options.seed ?? 20200128;
	const gridTotal = options.grids ?? 12_000;
	const buildingTotal = options.buildings ?? 200_000;
	const householdTotal = options.households ?? 1_500_000;
	const timings: Record<string, number> = {};
	let t = performance.now();
	const lap = (name: string) => {
		timings[name] = performance.now() - t;
		t = performance.now();
	};

	// 1. communities of the demo geometry, tiled again into grids
	const demo = generateDemoGeometry({ seed });
	lap('demo_geometry');
	const communities = demo.units.filter((u) => u.level === 'community');
	const demoGrids = new Map<string, number>();
	for (const u of demo.units)
		if (u.level === 'grid') demoGrids.set(u.parent!, (demoGrids.get(u.parent!) ?? 0) + 1);
	const counts = allocate(
		gridTotal,
		communities.map((c) => demoGrids.get(c.code) ?? 1),
		1
	);
	const pieces: Areal[] = [];
	communities.forEach((community, i) => {
		let lastError: unknown;
		for (let attempt = 0; attempt < 5; attempt++) {
			const rng = rngFor(seed, `bench:${community.code}#${attempt}`);
			try {
				const seeds = spreadSeeds(community.geometry, counts[i], rng, { candidates: 10, marginMeters: 2 });
				pieces.push(...tileBySeeds(community.geometry, seeds));
				return;
			} catch (error) {
				lastError = error;
			}
		}
		throw new Error(`could not tile ${community.code}: ${(lastError as Error).message}`);
	});
	const grids = nodeCoverage(pieces).map((g, i) => {
		const r = roundGeometry(g, 6);
		if (!r) throw new Error(`grid ${i} vanished when rounded`);
		return r;
	});
	lap('grids');

	// 2. buildings: the same number in every grid, listed in random order
	const perGrid = allocate(
		buildingTotal,
		grids.map(() => 1),
		1
	);
	const buildingsInOrder: { grid: number; p: Position }[] = [];
	grids.forEach((grid, g) => {
		const rng = rngFor(seed, `bench:buildings:${g}`);
		for (let k = 0; k < perGrid[g]; k++) buildingsInOrder.push({ grid: g, p: roundedPointIn(grid, rng) });
	});
	const shuffle = rngFor(seed, 'bench:shuffle');
	for (let i = buildingsInOrder.length - 1; i > 0; i--) {
		const j = Math.floor(shuffle() * (i + 1));
		[buildingsInOrder[i], buildingsInOrder[j]] = [buildingsInOrder[j], buildingsInOrder[i]];
	}
	const buildings = new Float64Array(buildingTotal * 2);
	const buildingGrid = new Int32Array(buildingTotal);
	buildingsInOrder.forEach(({ grid, p }, i) => {
		buildings[2 * i] = p[0];
		buildings[2 * i + 1] = p[1];
		buildingGrid[i] = grid;
	});
	lap('buildings');

	// 3. households: 1-14 per building, within 15 m of it and in its grid
	const householdRng = rngFor(seed, 'bench:households');
	const perBuilding = allocate(
		householdTotal,
		buildingsInOrder.map(() => householdRng()),
		1
	);
	const households = new Float64Array(householdTotal * 2);
	const householdGrid = new Int32Array(householdTotal);
	let h = 0;
	buildingsInOrder.forEach(({ grid, p }, b) => {
		const kx = 15 / metresPerDegreeLon(p[1]);
		const ky = 15 / METRES_PER_DEGREE;
		for (let k = 0; k < perBuilding[b]; k++) {
			let q: Position = p;
			for (let attempt = 0; attempt < 5; attempt++) {
				const angle = householdRng() * 2 * Math.PI;
				const radius = Math.sqrt(householdRng());
				const c = roundPosition(
					[p[0] + radius * kx * Math.cos(angle), p[1] + radius * ky * Math.sin(angle)],
					6
				);
				if (clearlyInside(c, grids[grid])) {
					q = c;
					break;
				}
			}
			households[2 * h] = q[0];
			households[2 * h + 1] = q[1];
			householdGrid[h++] = grid;
		}
	});
	lap('households');
	return { grids, buildings, buildingGrid, households, householdGrid, timings };
}
