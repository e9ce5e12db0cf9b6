/**
 * Seeds the demo data: generated geometry (units down to grids, buildings, markets, checkpoints) is inserted
 * from Node, then `demo.sql` generates everything that hangs off it inside Postgres. Deterministic: the same
 * seed gives the same rows on PGlite, PostgreSQL 15 and hosted Supabase.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateDemoGeometry, shortUnitName } from './geometry';
import type { SqlExecutor } from './executor';

export type SeedScale = 'demo' | 'full';

export interface SeedOptions {
	/** demo: a fast start (households outside 白招牌社区 scaled down); full: about 1.5 M households. */
	scale?: SeedScale;
	/** Password of every demo account (README lists them). */
	password?: string;
	log?: (line: string) => void;
}

export const DEMO_PASSWORD = 'wanggetong-2020';

/**
 * Household multiplier for urban buildings outside 白招牌社区, whose counts are the article's at any scale.
 * At 12 the city had 1.20 M households (measured); 15 gives about 1.5 M.
 */
const SCALE_FACTOR: Record<SeedScale, number> = { demo: 1, full: 15 };

/** Inserts rows given as objects through one statement: jsonb_to_recordset is fast and needs no driver batching. */
async function insertJson(
	db: SqlExecutor,
	table: string,
	columns: Record<string, string>,
	rows: unknown[]
): Promise<void> {
	const names = Object.keys(columns).join(', ');
	const typed = Object.entries(columns)
		.map(([name, type]) => `${name} ${type}`)
		.join(', ');
	const chunk = 5000;
	for (let i = 0; i < rows.length; i += chunk) {
		await db.query(
			`insert into public.${table} (${names}) select ${names} from jsonb_to_recordset($1::jsonb) as x(${typed})`,
			[JSON.stringify(rows.slice(i, i + chunk))]
		);
	}
}

export async function seedDemo(db: SqlExecutor, options: SeedOptions = {}): Promise<void> {
	const scale = options.scale ?? 'demo';
	const log = options.log ?? (() => {});
	let t = Date.now();
	const lap = (what: string) => {
		log(`seed: ${what} in ${Date.now() - t} ms`);
		t = Date.now();
	};

	const geo = generateDemoGeometry();
	lap(`generated geometry (${geo.units.length} units, ${geo.buildings.length} buildings)`);

	// generateDemoGeometry lists units parents first (by level, then code), as the foreign key needs.
	const units = geo.units.map((u) => ({
		code: u.code,
		name: shortUnitName(u.name),
		level: u.level,
		parent_code: u.parent,
		geometry: u.geometry,
		min_lon: u.bbox[0],
		min_lat: u.bbox[1],
		max_lon: u.bbox[2],
		max_lat: u.bbox[3],
		center_lon: u.center[0],
		center_lat: u.center[1]
	}));
	await insertJson(
		db,
		'units',
		{
			code: 'text',
			name: 'text',
			level: 'text',
			parent_code: 'text',
			geometry: 'jsonb',
			min_lon: 'double precision',
			min_lat: 'double precision',
			max_lon: 'double precision',
			max_lat: 'double precision',
			center_lon: 'double precision',
			center_lat: 'double precision'
		},
		units
	);
	lap('inserted units');

	await insertJson(
		db,
		'buildings',
		{
			id: 'bigint',
			community_code: 'text',
			grid_code: 'text',
			name: 'text',
			kind: 'text',
			lon: 'double precision',
			lat: 'double precision',
			has_property_management: 'boolean'
		},
		geo.buildings.map((b) => ({
			id: b.id,
			community_code: b.community,
			grid_code: b.grid,
			name: b.name,
			kind: b.kind,
			lon: b.lon,
			lat: b.lat,
			has_property_management: b.has_property_management
		}))
	);
	await insertJson(
		db,
		'markets',
		{
			id: 'bigint',
			community_code: 'text',
			grid_code: 'text',
			name: 'text',
			lon: 'double precision',
			lat: 'double precision',
			entrances: 'jsonb'
		},
		geo.markets.map((m) => ({
			id: m.id,
			community_code: m.community,
			grid_code: m.grid,
			name: m.name,
			lon: m.lon,
			lat: m.lat,
			entrances: { type: 'MultiPoint', coordinates: m.entrances }
		}))
	);
	await insertJson(
		db,
		'checkpoints',
		{
			id: 'bigint',
			community_code: 'text',
			name: 'text',
			kind: 'text',
			lon: 'double precision',
			lat: 'double precision',
			staff_required: 'int'
		},
		geo.checkpoints.map((c) => ({
			id: c.id,
			community_code: c.community,
			name: c.name,
			kind: c.kind,
			lon: c.lon,
			lat: c.lat,
			staff_required: c.staff_required
		}))
	);
	lap('inserted buildings, markets and checkpoints');

	await db.exec(`create temp table seed_params (scale int not null, password text not null);`);
	await db.query(`insert into seed_params values ($1, $2)`, [
		SCALE_FACTOR[scale],
		options.password ?? DEMO_PASSWORD
	]);
	const sql = readFileSync(fileURLToPath(new URL('./demo.sql', import.meta.url)), 'utf8');
	await db.exec(sql);
	await db.exec(`drop table seed_params;`);
	lap('generated households, screenings, organisations, volunteers, shifts, leads and accounts');
}
