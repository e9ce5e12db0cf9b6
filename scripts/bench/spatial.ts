/**
 * Benchmark of point-in-polygon assignment at city scale: the app's PolygonIndex against flatbush +
 * Turf, a naive Turf loop, PostGIS on a PostgreSQL 15 server and the floor (one ray cast per point
 * against the polygon it is known to lie in), all on the same data in one run; and hexagon binning.
 *
 * Prints one `name: value` line per figure; times are medians of several runs in milliseconds, ratios
 * are taken between medians of this run. Not a test: nothing here passes or fails on time.
 *
 * Run: npm run bench:spatial   (PostGIS needs the Debian package postgresql-15-postgis-3; without it
 * the PostGIS figures say `skipped` and why)
 */
import Flatbush from 'flatbush';
import pg from 'pg';
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature } from 'geojson';
import { polygonsOf, type Areal } from '../../src/lib/spatial/areal';
import { geometryBbox } from '../../src/lib/spatial/bbox';
import { hexbin } from '../../src/lib/spatial/hexbin';
import { PolygonIndex } from '../../src/lib/spatial/polygon-index';
import { startPg15, type Pg15 } from '../pg15';
import { generateBenchCity } from './city';

/** Runs per median of the fast figures (the machine is shared: more runs, steadier medians). */
const RUNS = 15;
const NAIVE_SUBSET = 300;
const HEX_SIZE_M = 250;

const print = (name: string, value: number | string) =>
	console.log(`${name}: ${typeof value === 'number' ? round(value) : value}`);
const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x) : Number(x.toPrecision(3)));
const median = (xs: number[]) => {
	const s = xs.slice().sort((a, b) => a - b);
	return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** Prints the median of `runs` as `name_ms` and, the machine being shared, their minimum as `name_min_ms`. */
function printTimes(name: string, runs: number[]): number {
	print(`${name}_ms`, median(runs));
	print(`${name}_min_ms`, Math.min(...runs));
	return median(runs);
}

/**
 * Times `fn` `runs` times, returning the milliseconds of each run. No collection is forced in between:
 * right after one, V8 runs allocating code two to three times slower for a while (measured on hexbin),
 * which is not how a warm server runs it; sections collect once before they start instead.
 */
function times(runs: number, fn: () => void): number[] {
	const out: number[] = [];
	for (let r = 0; r < runs; r++) {
		const t = performance.now();
		fn();
		out.push(performance.now() - t);
	}
	return out;
}

/** How many answers differ from the grid each point was drawn in. */
function mismatches(got: Int32Array, expected: Int32Array): number {
	let n = 0;
	for (let i = 0; i < expected.length; i++) if (got[i] !== expected[i]) n++;
	return n;
}

/**
 * The floor: the work no method can avoid, one even-odd ray cast per point over the rings of the polygon
 * it is known to lie in (flat typed arrays, no index, no search).
 */
function makeFloor(grids: Areal[]) {
	const ringStart: number[] = [];
	const polygonRing = new Int32Array(grids.length + 1);
	const xy: number[] = [];
	grids.forEach((g, i) => {
		polygonRing[i] = ringStart.length;
		for (const rings of polygonsOf(g)) {
			for (const ring of rings) {
				ringStart.push(xy.length / 2);
				for (const p of ring) xy.push(p[0], p[1]);
			}
		}
	});
	polygonRing[grids.length] = ringStart.length;
	ringStart.push(xy.length / 2);
	const starts = Int32Array.from(ringStart);
	const v = Float64Array.from(xy);
	return (coords: Float64Array, known: Int32Array, out: Int32Array) => {
		for (let i = 0; i < known.length; i++) {
			const px = coords[2 * i];
			const py = coords[2 * i + 1];
			const g = known[i];
			let inside = 0;
			for (let r = polygonRing[g]; r < polygonRing[g + 1]; r++) {
				const end = starts[r + 1] * 2;
				for (let j = starts[r] * 2, k = end - 2; j < end; k = j, j += 2) {
					const yj = v[j + 1];
					const yk = v[k + 1];
					if (yj > py !== yk > py && px < ((v[k] - v[j]) * (py - yj)) / (yk - yj) + v[j]) inside ^= 1;
				}
			}
			out[i] = inside ? g : -1;
		}
	};
}

/** PostGIS on a throw-away PostgreSQL 15 server: every query form timed on the buildings. */
async function benchPostgis(grids: Areal[], points: Float64Array, expected: Int32Array, assignMs: number) {
	let server: Pg15;
	try {
		server = await startPg15({
			migrations: false,
			bootstrap: false,
			settings: { shared_buffers: '512MB', work_mem: '64MB' }
		});
	} catch (error) {
		print(
			'postgis_best_200k_ms',
			`skipped (no PostgreSQL 15 server: ${(error as Error).message.split('\n')[0]})`
		);
		return;
	}
	const client = new pg.Client({ connectionString: server.url });
	try {
		await client.connect();
		try {
			await client.query('create extension postgis');
		} catch (error) {
			print(
				'postgis_best_200k_ms',
				`skipped (PostGIS not available: ${(error as Error).message}; apt-get install -y postgresql-15-postgis-3)`
			);
			return;
		}
		const version = (await client.query('select postgis_lib_version() as v')).rows[0].v as string;
		print('postgis_version', version);
		let t = performance.now();
		await client.query(`
			create table grids (id int primary key, geom geometry(Geometry, 4326) not null);
			create table points (id int primary key, geom geometry(Point, 4326) not null);`);
		await client.query(
			`insert into grids
			 select (ord - 1)::int, ST_SetSRID(ST_GeomFromGeoJSON(g::text), 4326)
			 from json_array_elements($1::json) with ordinality as t(g, ord)`,
			[JSON.stringify(grids)]
		);
		const n = points.length / 2;
		await client.query(
			`insert into points
			 select (ord - 1)::int, ST_SetSRID(ST_MakePoint(x, y), 4326)
			 from unnest($1::float8[], $2::float8[]) with ordinality as t(x, y, ord)`,
			[
				Array.from({ length: n }, (_, i) => points[2 * i]),
				Array.from({ length: n }, (_, i) => points[2 * i + 1])
			]
		);
		await client.query(`
			create index on grids using gist (geom);
			create index on points using gist (geom);
			create table grids_sub as select id, ST_Subdivide(geom, 16) as geom from grids;
			create index on grids_sub using gist (geom);`);
		await client.query('vacuum analyze');
		print('postgis_load_ms', performance.now() - t);
		const workers = (await client.query('show max_parallel_workers_per_gather')).rows[0]
			.max_parallel_workers_per_gather as string;
		print('postgis_parallel_workers_per_gather', workers);

		// each form assigns every point and returns one row, so that no transfer is timed
		const forms: Record<string, string> = {
			// the textbook join: GiST on the grids, the planner's choice of plan
			contains_join: `select count(*) as n, sum(g.id) as s from points p join grids g on ST_Contains(g.geom, p.geom)`,
			intersects_join: `select count(*) as n, sum(g.id) as s from points p join grids g on ST_Intersects(g.geom, p.geom)`,
			// one grid per point, by a lateral subquery with limit 1
			lateral_limit1: `select count(g.id) as n, sum(g.id) as s from points p
				cross join lateral (select g.id from grids g where ST_Contains(g.geom, p.geom) limit 1) g`,
			// the grids cut into pieces of at most 16 vertices: cheaper tests, tighter boxes
			subdivided_join: `select count(*) as n, sum(s.id) as s from points p join grids_sub s on ST_Intersects(s.geom, p.geom)`,
			// grid by grid over the GiST on the points: the same polygon in a row, so PostGIS prepares it once
			per_grid_lateral: `select count(*) as n, sum(g.id) as s from grids g
				cross join lateral (select 1 from points p where ST_Contains(g.geom, p.geom) offset 0) p`
		};
		const medians: Record<string, number> = {};
		for (const [name, sql] of Object.entries(forms)) {
			const runs: number[] = [];
			for (let r = 0; r <= 5; r++) {
				t = performance.now();
				const row = (await client.query(sql)).rows[0];
				if (r > 0) runs.push(performance.now() - t); // the first run warms the cache
				// a point exactly on an edge (of a grid, or of a cut of ST_Subdivide) may count twice or not at all
				if (r === 0 && Number(row.n) !== n) print(`postgis_${name}_pairs`, Number(row.n));
			}
			medians[name] = median(runs);
			print(`postgis_${name}_200k_ms`, medians[name]);
		}
		const [bestName, best] = Object.entries(medians).sort((a, b) => a[1] - b[1])[0];
		print('postgis_best_200k_ms', best);
		print('postgis_best_form', bestName);
		print('postgis_best_vs_assign_200k', best / assignMs);

		// the answers, once: PostGIS and the drawn grids agree
		const rows = (
			await client.query(
				`select p.id, g.id as grid from points p join grids g on ST_Contains(g.geom, p.geom) order by p.id`
			)
		).rows as { id: number; grid: number }[];
		const got = new Int32Array(n).fill(-1);
		for (const row of rows) got[row.id] = row.grid;
		print('postgis_mismatches', mismatches(got, expected));
	} finally {
		await client.end().catch(() => {});
		await server.stop();
	}
}

async function main() {
	print('node', process.version);
	let t = performance.now();
	const city = generateBenchCity();
	for (const [step, ms] of Object.entries(city.timings)) print(`generate_${step}_ms`, ms);
	print('generate_ms', performance.now() - t);
	const { grids, buildings, buildingGrid, households, householdGrid } = city;
	let edges = 0;
	for (const g of grids)
		for (const rings of polygonsOf(g)) for (const ring of rings) edges += ring.length - 1;
	print('polygons', grids.length);
	print('polygon_edges', edges);
	print('buildings', buildingGrid.length);
	print('households', householdGrid.length);
	print('runs_per_median', RUNS);

	// the app's index
	let index = PolygonIndex.from(grids);
	print('index_build_ms', median(times(5, () => (index = PolygonIndex.from(grids)))));
	const stats = index.stats();
	print('index_cells', stats.cells);
	print('index_mixed_cells', stats.mixedCells);
	print('index_mb', stats.bytes / 1e6);

	gc();
	// the app and the floor, run by run in turn so that both see the same machine
	const floor = makeFloor(grids);
	const out200 = new Int32Array(buildingGrid.length);
	const floor200 = new Int32Array(buildingGrid.length);
	const assign200: number[] = [];
	const floorRuns200: number[] = [];
	for (let r = 0; r < RUNS; r++) {
		floorRuns200.push(...times(1, () => floor(buildings, buildingGrid, floor200)));
		assign200.push(...times(1, () => index.locateAll(buildings, out200)));
	}
	const assign200Ms = printTimes('assign_200k', assign200);
	printTimes('floor_200k', floorRuns200);
	print('assign_vs_floor_200k', assign200Ms / median(floorRuns200));
	print('assign_vs_floor_200k_by_min', Math.min(...assign200) / Math.min(...floorRuns200));
	print('assign_200k_mismatches', mismatches(out200, buildingGrid));
	print('floor_200k_mismatches', mismatches(floor200, buildingGrid));
	const one = new Int32Array(buildingGrid.length);
	printTimes(
		'locate_one_by_one_200k',
		times(RUNS, () => {
			for (let i = 0; i < one.length; i++) one[i] = index.locate(buildings[2 * i], buildings[2 * i + 1]);
		})
	);
	print('locate_one_by_one_200k_mismatches', mismatches(one, buildingGrid));

	gc();
	const out1500 = new Int32Array(householdGrid.length);
	const floor1500 = new Int32Array(householdGrid.length);
	const assign1500: number[] = [];
	const floorRuns1500: number[] = [];
	for (let r = 0; r < RUNS; r++) {
		floorRuns1500.push(...times(1, () => floor(households, householdGrid, floor1500)));
		assign1500.push(...times(1, () => index.locateAll(households, out1500)));
	}
	printTimes('assign_1500k', assign1500);
	printTimes('floor_1500k', floorRuns1500);
	print('assign_vs_floor_1500k', median(assign1500) / median(floorRuns1500));
	print('assign_1500k_mismatches', mismatches(out1500, householdGrid));

	gc();
	// flatbush over the grids' bboxes, then Turf's test on the candidates
	const features: Feature<Areal>[] = grids.map((g) => ({ type: 'Feature', properties: {}, geometry: g }));
	t = performance.now();
	const tree = new Flatbush(grids.length);
	for (const g of grids) tree.add(...geometryBbox(g));
	tree.finish();
	print('flatbush_build_ms', performance.now() - t);
	const flat200 = new Int32Array(buildingGrid.length);
	const flatbushTurf = () => {
		for (let i = 0; i < flat200.length; i++) {
			const p = [buildings[2 * i], buildings[2 * i + 1]];
			let found = -1;
			for (const k of tree.search(p[0], p[1], p[0], p[1])) {
				if (booleanPointInPolygon(p, features[k])) {
					found = k;
					break;
				}
			}
			flat200[i] = found;
		}
	};
	const flatbushMs = median(times(5, flatbushTurf));
	print('flatbush_turf_200k_ms', flatbushMs);
	print('flatbush_turf_vs_assign_200k', flatbushMs / assign200Ms);
	print('flatbush_turf_200k_mismatches', mismatches(flat200, buildingGrid));

	gc();
	// every grid in turn with Turf until one holds the point: on a subset, extrapolated
	const naive = new Int32Array(NAIVE_SUBSET);
	const naiveMs = median(
		times(5, () => {
			for (let i = 0; i < NAIVE_SUBSET; i++) {
				const p = [buildings[2 * i], buildings[2 * i + 1]];
				naive[i] = features.findIndex((f) => booleanPointInPolygon(p, f));
			}
		})
	);
	print('naive_turf_subset_points', NAIVE_SUBSET);
	print('naive_turf_200k_ms_extrapolated', (naiveMs * buildingGrid.length) / NAIVE_SUBSET);
	print('naive_turf_subset_mismatches', mismatches(naive, buildingGrid.subarray(0, NAIVE_SUBSET)));

	gc();
	// hexagon bins for a heatmap, around the city's centre
	const [minX, minY, maxX, maxY] = grids
		.map(geometryBbox)
		.reduce((a, b) => [
			Math.min(a[0], b[0]),
			Math.min(a[1], b[1]),
			Math.max(a[2], b[2]),
			Math.max(a[3], b[3])
		]);
	const origin: [number, number] = [(minX + maxX) / 2, (minY + maxY) / 2];
	let bins = hexbin(buildings, HEX_SIZE_M, { origin });
	print('hexbin_size_m', HEX_SIZE_M);
	printTimes(
		'hexbin_200k',
		times(RUNS, () => (bins = hexbin(buildings, HEX_SIZE_M, { origin })))
	);
	print('hexbin_200k_bins', bins.q.length);
	printTimes(
		'hexbin_1500k',
		times(RUNS, () => (bins = hexbin(households, HEX_SIZE_M, { origin })))
	);
	print('hexbin_1500k_bins', bins.q.length);

	gc();
	await benchPostgis(grids, buildings, buildingGrid, assign200Ms);

	print('peak_rss_mb', process.resourceUsage().maxRSS / 1024);
}

await main();
