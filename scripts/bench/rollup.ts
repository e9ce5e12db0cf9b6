/**
 * `npm run bench:rollup`: the city roll-up and the heatmap data as a leader gets them (supabase-js → PostgREST →
 * Postgres), at demo scale and at full city scale (~1.5 M households), side by side; one `name: value` line per
 * figure, medians of several runs. The baseline, measured in the same run, is the same roll-up computed by
 * scanning households and screenings (what the counters replace): its cost grows with households, the
 * counters' with units and days.
 *
 *   npm run bench:rollup                     # demo and full (the first run seeds .data/bench-full: minutes, 2.3 GB)
 *   npm run bench:rollup -- --scales=demo --runs=9
 */
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import { hexFeatures, HEX_SIZE_M } from '../../src/lib/domain/map-features';
import { DEFAULT_ANON_KEY } from '../embedded/keys';
import { flags, median, startBenchStack, type Scale } from './common';

const args = flags();
const RUNS = Number(args.get('runs') ?? 7);
const SCALES = (args.get('scales') ?? 'demo,full').split(',') as Scale[];
// The last day of the demo's 2020 response: a response that has run 52 days, so the series and the counters hold
// every day of it (the roll-up's rows grow with days × grids, not households).
const DAY = '2020-03-15';

async function timed(runs: number, f: () => Promise<unknown>): Promise<number> {
	await f(); // warm-up: plans, caches
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		await f();
		times.push(performance.now() - t);
	}
	return median(times);
}

/** The roll-up by scanning the records, as the foundation's coverage_by_unit did (the baseline). */
const SCAN_ROLLUP = `
	select left(h.grid_code, 6) as code, count(*) as households,
		count(*) filter (where exists (
			select 1 from public.screenings s
			where s.household_id = h.id and s.round_id = 1 and s.outcome <> 'unreachable'
				and s.screened_at < (($1::date + 1)::timestamp at time zone 'Asia/Shanghai'))) as screened
	from public.households h
	where h.grid_code >= '5105' and h.grid_code < '5105:'
	group by 1`;

const results: Record<string, Record<string, number | string>> = {};

async function benchScale(scale: Scale) {
	const stack = await startBenchStack(scale);
	const url = stack.url;
	const db = new pg.Client({ connectionString: stack.pgUrl });
	await db.connect();
	try {
		const leader = createClient(url, DEFAULT_ANON_KEY, {
			auth: { persistSession: false, autoRefreshToken: false }
		});
		const { error } = await leader.auth.signInWithPassword({
			email: 'leader@luzhou.demo',
			password: 'wanggetong-2020'
		});
		if (error) throw error;
		const r: Record<string, number | string> = {};
		r.households = Number((await db.query('select count(*) n from public.households')).rows[0].n);
		r.units = Number((await db.query('select count(*) n from public.units')).rows[0].n);
		r.screenings = Number((await db.query('select count(*) n from public.screenings')).rows[0].n);
		// What the roll-ups read: counter rows, bounded by grids × days (× methods and outcomes), whatever the
		// number of households; a small city fills them only partly, a full one up to the bound.
		r.counter_rows = Number(
			(
				await db.query(`select (select count(*) from private.grid_first_screenings)
					+ (select count(*) from private.grid_screenings_daily) as n`)
			).rows[0].n
		);

		const rollup = async () => {
			const { data, error } = await leader.rpc('coverage_by_unit', { p_unit: '5105', p_as_of: DAY });
			if (error || !data?.length) throw new Error(`coverage_by_unit: ${error?.message}`);
		};
		r.rollup_ms = await timed(RUNS, rollup);
		r.rollup_scan_ms = await timed(Math.min(RUNS, 3), () => db.query(SCAN_ROLLUP, [DAY]));
		r.lagging_ms = await timed(RUNS, async () => {
			const { error } = await leader.rpc('lagging_units', {
				p_unit: '5105',
				p_as_of: DAY,
				p_level: 'community'
			});
			if (error) throw error;
		});
		// The city's side panel: KPIs and the day-by-day series from the response's first day.
		r.dashboard_ms = await timed(RUNS, async () => {
			const { data, error } = await leader.rpc('unit_dashboard', { p_unit: '5105', p_as_of: DAY });
			if (error) throw error;
			r.series_days = (data as { coverage_series: unknown[] }).coverage_series.length;
		});
		// The heatmap's data as the layer endpoint makes it: the SQL roll-up per grid, then hexagon bins.
		r.heatmap_ms = await timed(RUNS, async () => {
			const { data, error } = await leader.rpc('map_screening_heat', {
				p_unit: '5105',
				p_as_of: DAY,
				p_days: 7
			});
			if (error) throw error;
			const rows = data as { lon: number; lat: number; screenings: number }[];
			hexFeatures(
				rows.map((p) => ({ lon: p.lon, lat: p.lat, weight: p.screenings })),
				HEX_SIZE_M.city
			);
		});
		results[scale] = r;
	} finally {
		await db.end();
		await stack.stop();
	}
}

console.log(`runs: ${RUNS}`);
console.log(`day: ${DAY}`);
for (const scale of SCALES) await benchScale(scale);
for (const [name, key] of [
	['households', 'households'],
	['units', 'units'],
	['screenings', 'screenings'],
	['counter_rows', 'counter_rows'],
	['rollup', 'rollup_ms'],
	['rollup_scan', 'rollup_scan_ms'],
	['lagging', 'lagging_ms'],
	['dashboard', 'dashboard_ms'],
	['series_days', 'series_days'],
	['heatmap', 'heatmap_ms']
] as const) {
	for (const scale of SCALES) {
		const v = results[scale][key];
		const unit = key.endsWith('_ms') ? '_ms' : '';
		console.log(`${name}_${scale}${unit}: ${typeof v === 'number' && unit ? v.toFixed(1) : v}`);
	}
}
if (results.demo && results.full) {
	const ratio = (key: string) => (Number(results.full[key]) / Number(results.demo[key])).toFixed(2);
	console.log(`households_full_vs_demo: ${ratio('households')}`);
	console.log(`rollup_full_vs_demo: ${ratio('rollup_ms')}`);
	console.log(`rollup_scan_full_vs_demo: ${ratio('rollup_scan_ms')}`);
	console.log(`dashboard_full_vs_demo: ${ratio('dashboard_ms')}`);
	console.log(`heatmap_full_vs_demo: ${ratio('heatmap_ms')}`);
}
for (const scale of SCALES)
	console.log(
		`rollup_speedup_vs_scan_${scale}: ${(Number(results[scale].rollup_scan_ms) / Number(results[scale].rollup_ms)).toFixed(1)}`
	);
