/**
 * Benchmark of the roster's spatial functions (issue #4) on the whole demo street 南城街道 (510502001):
 * recomputing coverage after a checkpoint moves (the reach model's incremental update, against a naive Turf
 * loop in the same run: every building's `distance` to every checkpoint), suggesting 5 checkpoints (lazy
 * greedy, against a plain greedy over Turf distances) and the catchments. Medians of `--runs` runs (default 9)
 * after one warm-up run.
 *
 * The generated street has 186 buildings; the figures prefixed `dense_` repeat the move and the suggestion
 * with `--dense` buildings (default 5,000) drawn uniformly inside the same street, the size a real street's
 * building register reaches.
 *
 * Households: the generated buildings carry none (demo.sql adds them inside Postgres), so each building gets
 * a deterministic count from src/lib/spatial/random.ts following demo.sql's rules at demo scale: 43 or 44 in
 * 白招牌社区 (4,943 over its 113 buildings), 1-3 in a rural house, 8-31 in any other building; drawn from a
 * per-building stream, so the numbers are not demo.sql's own.
 *
 * Prints one `name: value` line per figure. Usage: `npm run bench:roster [-- --runs 9 --radius 500 --dense 5000]`
 */
import { parseArgs } from 'node:util';
import type { Position } from 'geojson';
import { BAIZHAOPAI, DEFAULT_SEED, generateDemoGeometry } from '../seed/geometry';
import { catchments } from '../../src/lib/spatial/catchments';
import {
	deriveSeed,
	mulberry32,
	randomInt,
	randomPointInPolygon,
	randomPointNear
} from '../../src/lib/spatial/random';
import {
	createReachModel,
	DEFAULT_REACH_RADIUS_M,
	type ReachBuilding,
	type ReachCheckpoint,
	type ReachEntrance
} from '../../src/lib/spatial/reach';
import { streetCandidates, suggestCheckpoints } from '../../src/lib/spatial/suggest';
import { naiveGreedy, naiveReach } from '../../src/lib/spatial/test-helpers';

const STREET = '510502001';
const DISTRICT = STREET.slice(0, 6);

const { values } = parseArgs({
	options: {
		runs: { type: 'string', default: '9' },
		radius: { type: 'string', default: String(DEFAULT_REACH_RADIUS_M) },
		dense: { type: 'string', default: '5000' }
	}
});
const RUNS = Number(values.runs);
const RADIUS = Number(values.radius);
const DENSE = Number(values.dense);
if (!(Number.isInteger(RUNS) && RUNS >= 1)) throw new Error('--runs must be a positive integer');
if (!(RADIUS > 0)) throw new Error('--radius must be a positive number of metres');
if (!(Number.isInteger(DENSE) && DENSE >= 0)) throw new Error('--dense must be a non-negative integer');

/** Moves timed per run for the incremental path, and for the naive loop (slower, so fewer). */
const MOVES = 200;
const NAIVE_MOVES = 20;

function print(name: string, value: number | string) {
	const text =
		typeof value === 'string' || Number.isInteger(value)
			? String(value)
			: Math.abs(value) >= 100
				? value.toFixed(0)
				: Math.abs(value) >= 1
					? value.toFixed(2)
					: value.toPrecision(3);
	console.log(`${name}: ${text}`);
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The median over `RUNS` runs (after one warm-up) of `run()`'s milliseconds divided by `per`. */
function timed(run: () => void, per = 1, runs = RUNS): number {
	run();
	const times: number[] = [];
	for (let r = 0; r < runs; r++) {
		const t = performance.now();
		run();
		times.push((performance.now() - t) / per);
	}
	return median(times);
}

// ---------------------------------------------------------------------------------------------------
// the street

const t = performance.now();
const geo = generateDemoGeometry({ districts: [DISTRICT] });
const geometryMs = performance.now() - t;
const street = geo.units.find((u) => u.code === STREET);
if (!street) throw new Error(`no street ${STREET}`);
const streetGeometry = street.geometry;

const streetBuildings = geo.buildings
	.filter((b) => b.community.startsWith(STREET))
	.sort((a, b) => a.id - b.id);
let baizhaopaiIndex = 0;
const buildings: ReachBuilding[] = streetBuildings.map((b) => {
	const rng = mulberry32(deriveSeed(DEFAULT_SEED, `${b.id}:households`));
	const households =
		b.community === BAIZHAOPAI
			? 43 + (++baizhaopaiIndex <= 84 ? 1 : 0)
			: b.kind === 'rural_house'
				? randomInt(rng, 1, 3)
				: randomInt(rng, 8, 31);
	return { id: b.id, lon: b.lon, lat: b.lat, households };
});
const entrances: ReachEntrance[] = geo.markets
	.filter((m) => m.community.startsWith(STREET))
	.flatMap((m) => m.entrances.map(([lon, lat]) => ({ market: m.id, lon, lat })));
const checkpoints: ReachCheckpoint[] = geo.checkpoints
	.filter((c) => c.street === STREET)
	.map(({ id, lon, lat }) => ({ id, lon, lat }));

/** Drags: each checkpoint in turn to a point of the street about 200 m from where it stands. */
const rng = mulberry32(deriveSeed(DEFAULT_SEED, 'bench:roster'));
const moves = Array.from({ length: MOVES }, (_, m) => {
	const c = checkpoints[m % checkpoints.length];
	const [lon, lat] = randomPointNear(streetGeometry, [c.lon, c.lat], 200, rng);
	return { id: c.id, lon, lat };
});

print('street', STREET);
print('radius_m', RADIUS);
print('runs', RUNS);
print('geometry_ms', geometryMs);

/** Times the coverage move both ways and prints the figures under `prefix`. */
function benchCoverage(prefix: string, blds: ReachBuilding[]) {
	const households = blds.reduce((s, b) => s + b.households, 0);
	print(`${prefix}buildings`, blds.length);
	print(`${prefix}households`, households);
	const reachBuildMs = timed(() =>
		createReachModel({ buildings: blds, entrances, checkpoints, radiusMeters: RADIUS })
	);
	const model = createReachModel({ buildings: blds, entrances, checkpoints, radiusMeters: RADIUS });
	const start = model.snapshot();

	// the interactive path: one move, then the figures and the uncovered mask to redraw
	const coverageMoveMs = timed(() => {
		for (const { id, lon, lat } of moves) {
			model.moveCheckpoint(id, lon, lat);
			model.snapshot();
		}
	}, MOVES);

	// the naive path: the same moves, each followed by a full Turf recount
	const current = new Map(checkpoints.map((c) => [c.id, { ...c }]));
	let naive = naiveReach({ buildings: blds, entrances, checkpoints, radiusMeters: RADIUS });
	const naiveMoveMs = timed(() => {
		for (const { id, lon, lat } of moves.slice(0, NAIVE_MOVES)) {
			current.set(id, { id, lon, lat });
			naive = naiveReach({
				buildings: blds,
				entrances,
				checkpoints: [...current.values()],
				radiusMeters: RADIUS
			});
		}
	}, NAIVE_MOVES);

	// both at the same positions: do they agree building by building?
	for (const c of current.values()) model.moveCheckpoint(c.id, c.lon, c.lat);
	const end = model.snapshot();
	let same = 0;
	for (let i = 0; i < blds.length; i++) if (end.uncovered[i] === naive.uncovered[i]) same++;

	print(`${prefix}checkpoints`, checkpoints.length);
	print(`${prefix}entrances`, entrances.length);
	print(`${prefix}households_covered_share`, start.households.share ?? 0);
	print(`${prefix}reach_build_ms`, reachBuildMs);
	print(`${prefix}coverage_move_ms`, coverageMoveMs);
	print(`${prefix}naive_coverage_move_ms`, naiveMoveMs);
	print(`${prefix}coverage_move_speedup`, naiveMoveMs / coverageMoveMs);
	print(`${prefix}naive_agreement`, same / Math.max(1, blds.length));
	for (const c of checkpoints) model.moveCheckpoint(c.id, c.lon, c.lat);
	return model;
}

/** Times "suggest 5" and prints the figures under `prefix`; with `naive`, also the plain Turf greedy. */
function benchSuggest(prefix: string, blds: ReachBuilding[], naive: boolean) {
	const model = createReachModel({ buildings: blds, entrances, checkpoints, radiusMeters: RADIUS });
	const candidates = streetCandidates(streetGeometry, model);
	const suggest5Ms = timed(() => suggestCheckpoints(model, streetGeometry, 5));
	const givenMs = timed(() => suggestCheckpoints(model, streetGeometry, 5, { candidates }));
	const picks = suggestCheckpoints(model, streetGeometry, 5, { candidates });
	print(`${prefix}candidates`, candidates.length);
	print(`${prefix}suggest5_ms`, suggest5Ms);
	print(`${prefix}suggest5_given_candidates_ms`, givenMs);
	print(
		`${prefix}suggest5_households`,
		picks.reduce((s, p) => s + p.households, 0)
	);
	if (!naive) return;
	let plain: { index: number; households: number }[] = [];
	const naiveMs = timed(() => {
		plain = naiveGreedy(blds, checkpoints, candidates, RADIUS, 5);
	});
	print(`${prefix}naive_suggest5_ms`, naiveMs);
	print(`${prefix}suggest5_speedup`, naiveMs / givenMs);
	const agree = plain.length === picks.length && plain.every((p, i) => p.households === picks[i].households);
	print(`${prefix}naive_suggest5_agreement`, agree ? 1 : 0);
}

benchCoverage('', buildings);
benchSuggest('', buildings, true);
print(
	'catchments_ms',
	timed(() => catchments(streetGeometry, checkpoints))
);
print('catchments', catchments(streetGeometry, checkpoints).features.length);

if (DENSE > 0) {
	const denseRng = mulberry32(deriveSeed(DEFAULT_SEED, 'bench:roster:dense'));
	const dense: ReachBuilding[] = Array.from({ length: DENSE }, (_, i) => {
		const [lon, lat]: Position = randomPointInPolygon(streetGeometry, denseRng);
		return { id: i + 1, lon, lat, households: randomInt(denseRng, 8, 31) };
	});
	benchCoverage('dense_', dense);
	benchSuggest('dense_', dense, false);
}
