/**
 * Grid boundaries and grid members (issue #5) through supabase-js as each demo role, against the seeded
 * embedded stack: saving 白招牌社区's grids moves buildings and everything keyed by grid in one transaction,
 * the database computes the same assignment as the app's PolygonIndex (and Turf, away from borders), every
 * check refuses with its hint and leaves nothing half-written, and only the community's secretary and its
 * street's commander may save.
 *
 * The community's grids, and who is assigned to them, are put back after the file (a save of the seeded grids
 * as read before it), so a kept data folder (DB_TEST_DATA_DIR) gives the same results run after run.
 */
import type { PostgrestError, SupabaseClient } from '@supabase/supabase-js';
import { booleanPointInPolygon, pointToLineDistance, polygonToLine } from '@turf/turf';
import type { Feature, LineString, Polygon, Position } from 'geojson';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planGrids, type GridDraft, type PlanBuilding, type PlannedGrid } from '$lib/domain/grid-plan';
import type { Areal } from '$lib/spatial/areal';
import { addArea, moveSharedVertex, takeArea } from '$lib/spatial/grid-editing';
import { DEMO, signedIn } from './clients';
import { stack } from './stack-env';

const BAIZHAOPAI = '510502001006';
const SHANGPING = '510502001001';

let db: pg.Client;
const users: Record<keyof typeof DEMO, SupabaseClient> = {} as Record<keyof typeof DEMO, SupabaseClient>;
let community: Areal;
let seeded: GridDraft[];
let seededMembers: { volunteer_id: string; grid_code: string }[];

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
	return (await db.query(sql, params)).rows as T[];
}

const readBuildings = () =>
	rows<PlanBuilding>(
		`select id::int, name, lon, lat, grid_code from buildings where community_code = $1 order by id`,
		[BAIZHAOPAI]
	);

async function readGrids(): Promise<GridDraft[]> {
	const grids = await rows<{
		code: string;
		name: string;
		geometry: Polygon;
		center_lon: number;
		center_lat: number;
	}>(`select code, name, geometry, center_lon, center_lat from units where parent_code = $1 order by code`, [
		BAIZHAOPAI
	]);
	return grids.map((g) => ({
		code: g.code,
		name: g.name,
		geometry: g.geometry,
		center: [g.center_lon, g.center_lat]
	}));
}

/** The grids and moves as the app sends them. */
function payload(grids: PlannedGrid[], moves: { building_id: number; grid_code: string }[]) {
	return {
		p_community: BAIZHAOPAI,
		p_grids: grids.map((g) => ({ code: g.code, name: g.name, geometry: g.geometry, center: g.center })),
		p_moves: moves.map(({ building_id, grid_code }) => ({ building_id, grid_code }))
	};
}

async function plan(grids: GridDraft[]) {
	return planGrids({
		community: { code: BAIZHAOPAI, geometry: community },
		grids,
		buildings: await readBuildings()
	});
}

async function save(who: SupabaseClient, grids: GridDraft[]) {
	const p = await plan(grids);
	expect(p.problems).toEqual([]);
	expect(p.defects).toEqual([]);
	const { data, error } = await who.rpc('save_grid_boundaries', payload(p.grids, p.moves));
	if (error) throw error;
	return { result: data as Record<string, number>, plan: p };
}

async function refusal(who: SupabaseClient, body: Record<string, unknown>): Promise<PostgrestError> {
	const { data, error } = await who.rpc('save_grid_boundaries', body);
	expect(data).toBeNull();
	expect(error).not.toBeNull();
	return error!;
}

/** A snapshot of what a save may change, to show that a refused one changed nothing. */
const snapshot = () =>
	rows(
		`select (select jsonb_agg(jsonb_build_array(code, geometry, name) order by code) from units where parent_code = $1) as grids,
			(select jsonb_agg(jsonb_build_array(id, grid_code) order by id) from buildings where community_code = $1) as buildings,
			(select count(*) from households where community_code = $1 and grid_code <> (select b.grid_code from buildings b where b.id = building_id)) as stray`,
		[BAIZHAOPAI]
	);

/**
 * A move of a vertex shared by two or more grids (not on the community's border) that sends at least one
 * building to another grid and keeps the tiling: found by trying each shared vertex towards nearby buildings.
 */
async function borderMove(grids: GridDraft[]): Promise<{ from: Position; to: Position }> {
	const buildings = await readBuildings();
	const communityVertices = new Set(
		(community.type === 'Polygon' ? [community.coordinates] : community.coordinates)
			.flat(2)
			.map((p) => `${p}`)
	);
	const counts = new Map<string, { p: Position; n: number }>();
	for (const g of grids)
		for (const p of new Set((g.geometry as Polygon).coordinates[0].slice(0, -1).map((q) => `${q}`))) {
			const e = counts.get(p);
			if (e) e.n++;
			else counts.set(p, { p: p.split(',').map(Number), n: 1 });
		}
	const shared = [...counts.values()].filter((v) => v.n >= 2 && !communityVertices.has(`${v.p}`));
	for (const { p } of shared) {
		const near = buildings
			.map((b) => ({ b, d: Math.hypot(b.lon - p[0], b.lat - p[1]) }))
			.sort((x, y) => x.d - y.d)
			.slice(0, 8);
		for (const { b } of near) {
			const to: Position = [
				Math.round((p[0] + 1.6 * (b.lon - p[0])) * 1e6) / 1e6,
				Math.round((p[1] + 1.6 * (b.lat - p[1])) * 1e6) / 1e6
			];
			const moved = moveSharedVertex(
				grids.map((g) => g.geometry as Areal),
				p,
				to
			);
			const candidate = await plan(grids.map((g, i) => ({ ...g, geometry: moved[i] })));
			if (candidate.ok && candidate.moves.length > 0) return { from: p, to };
		}
	}
	throw new Error('no shared vertex move found that moves a building');
}

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	for (const [k, email] of Object.entries(DEMO)) users[k as keyof typeof DEMO] = await signedIn(email);
	[{ geometry: community }] = await rows<{ geometry: Areal }>(`select geometry from units where code = $1`, [
		BAIZHAOPAI
	]);
	seeded = await readGrids();
	seededMembers = await rows(`select volunteer_id::text, grid_code from grid_members order by volunteer_id`);
});

afterAll(async () => {
	// put the seeded grids back (and with them every building, household and screening)
	if (users.secretary && seeded) {
		const current = await readGrids();
		if (JSON.stringify(current) !== JSON.stringify(seeded)) await save(users.secretary, seeded);
		await db.query(`delete from grid_members where volunteer_id::text <> all ($1)`, [
			seededMembers.map((m) => m.volunteer_id)
		]);
	}
	await db?.end();
});

describe('saving grid boundaries', () => {
	it('saves the seeded grids unchanged: the database finds the same grid for every building as the seed', async () => {
		const { result } = await save(users.secretary, seeded);
		expect(result).toMatchObject({ grids: seeded.length, added: 0, removed: 0, buildings_moved: 0 });
		expect(result.households_moved).toBe(0);
		expect(result.screenings_moved).toBe(0);
	});

	it('moves a shared border: buildings go where PolygonIndex and Turf put them, with everything keyed by grid', async () => {
		const { from, to } = await borderMove(seeded);
		const moved = moveSharedVertex(
			seeded.map((g) => g.geometry as Areal),
			from,
			to
		);
		const grids = seeded.map((g, i) => ({ ...g, geometry: moved[i] }));
		const before = await readBuildings();
		// a live claim on a building that will move (the screening board's, 20261129001300)
		const moving = (await plan(grids)).moves[0];
		const [claim] = await rows<{ id: string }>(
			`insert into building_claims (building_id, round_id, claimed_by, expires_at)
			 values ($1, (select max(id) from screening_rounds), '00000000-0000-4000-8000-000000000001', now() + interval '1 hour')
			 returning id::text`,
			[moving.building_id]
		);
		const { result, plan: p } = await save(users.secretary, grids);
		const [claimed] = await rows<{ grid_code: string }>(
			`select grid_code from building_claims where id = $1`,
			[claim.id]
		);
		expect(claimed.grid_code).toBe(moving.grid_code);
		// a claim's grid still cannot be changed by hand, except to its building's
		await expect(
			db.query(`update building_claims set grid_code = $2 where id = $1`, [claim.id, moving.from])
		).rejects.toThrow('认领记录只能延长或释放');
		await db.query(`delete from building_claims where id = $1`, [claim.id]);
		expect(result.buildings_moved).toBe(p.moves.length);
		expect(result.buildings_moved).toBeGreaterThan(0);

		// every building is in the grid Turf puts it in (none lies within a centimetre of a border here)
		const after = await readBuildings();
		const saved = await readGrids();
		for (const b of after) {
			const holders = saved.filter((g) => booleanPointInPolygon([b.lon, b.lat], g.geometry as Polygon));
			const edge = Math.min(
				...saved.map((g) =>
					pointToLineDistance([b.lon, b.lat], polygonToLine(g.geometry as Polygon) as Feature<LineString>, {
						units: 'meters'
					})
				)
			);
			if (edge < 0.01) continue;
			expect(
				holders.map((g) => g.code),
				b.name
			).toEqual([b.grid_code]);
		}
		const movedIds = new Set(p.moves.map((m) => m.building_id));
		expect(before.filter((b, i) => b.grid_code !== after[i].grid_code).map((b) => b.id)).toEqual(
			[...movedIds].sort((a, b) => a - b)
		);

		// households, residents, screenings and service requests follow their building
		const [stray] = await rows<Record<string, string>>(
			`select
				(select count(*) from households h join buildings b on b.id = h.building_id where h.grid_code <> b.grid_code) as households,
				(select count(*) from residents r join households h on h.id = r.household_id where r.grid_code <> h.grid_code) as residents,
				(select count(*) from screenings s join households h on h.id = s.household_id where s.grid_code <> h.grid_code) as screenings,
				(select count(*) from service_requests s join residents r on r.id = s.resident_id where s.grid_code <> r.grid_code) as requests`
		);
		expect(stray).toEqual({ households: '0', residents: '0', screenings: '0', requests: '0' });
		expect(result.households_moved).toBeGreaterThan(0);

		// the coverage counters follow the households (kept by triggers; compared with a count of the records)
		const counters = await rows<{ grid_code: string; counted: string; kept: string }>(
			`select h.grid_code, count(*) as counted, coalesce(max(g.households), 0)::text as kept
			 from households h left join private.grid_households g on g.grid_code = h.grid_code
			 where h.community_code = $1 group by h.grid_code order by 1`,
			[BAIZHAOPAI]
		);
		for (const c of counters) expect(c.kept, c.grid_code).toBe(c.counted);
		const [firsts] = await rows<{ kept: string; counted: string }>(
			`select (select coalesce(sum(households), 0) from private.grid_first_screenings
					where grid_code like $1 || '%' and round_id = 1)::text as kept,
				(select count(distinct s.household_id) from screenings s join households h on h.id = s.household_id
					where h.community_code = $1 and s.round_id = 1 and s.outcome <> 'unreachable')::text as counted`,
			[BAIZHAOPAI]
		);
		expect(firsts.kept).toBe(firsts.counted);
		const perGrid = await rows<{ grid_code: string; kept: string; counted: string }>(
			`select h.grid_code, (select coalesce(sum(f.households), 0) from private.grid_first_screenings f
					where f.grid_code = h.grid_code and f.round_id = 1)::text as kept,
				count(distinct s.household_id)::text as counted
			 from households h join screenings s on s.household_id = h.id and s.round_id = 1 and s.outcome <> 'unreachable'
			 where h.community_code = $1 group by h.grid_code`,
			[BAIZHAOPAI]
		);
		for (const g of perGrid) expect(g.kept, g.grid_code).toBe(g.counted);

		// and back: the seeded grids put every building back where it was
		await save(users.secretary, seeded);
		expect(await readBuildings()).toEqual(before);
	});

	it('refuses a save whose moves differ from what the database computes, and writes nothing', async () => {
		const { from, to } = await borderMove(seeded);
		const moved = moveSharedVertex(
			seeded.map((g) => g.geometry as Areal),
			from,
			to
		);
		const p = await plan(seeded.map((g, i) => ({ ...g, geometry: moved[i] })));
		const before = await snapshot();
		const error = await refusal(users.secretary, payload(p.grids, p.moves.slice(1)));
		expect(error.hint).toBe('moves_mismatch');
		expect(await snapshot()).toEqual(before);
	});

	it('adds a grid cut out of another and removes it again, unassigning its members', async () => {
		const grids = seeded.map((g) => g.geometry as Areal);
		const [bbox] = await rows<{ min_lon: number; min_lat: number; max_lon: number; max_lat: number }>(
			`select min_lon, min_lat, max_lon, max_lat from units where code = $1`,
			[seeded[0].code]
		);
		// the south-west quarter of the first grid's bbox, given to a new grid
		const quarter: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[bbox.min_lon - 0.001, bbox.min_lat - 0.001],
					[(bbox.min_lon + bbox.max_lon) / 2, bbox.min_lat - 0.001],
					[(bbox.min_lon + bbox.max_lon) / 2, (bbox.min_lat + bbox.max_lat) / 2],
					[bbox.min_lon - 0.001, (bbox.min_lat + bbox.max_lat) / 2],
					[bbox.min_lon - 0.001, bbox.min_lat - 0.001]
				]
			]
		};
		const next = addArea(grids, quarter, community);
		expect(next[grids.length]).not.toBeNull();
		const code = `${BAIZHAOPAI}901`;
		const drafts = [
			...seeded.map((g, i) => ({ ...g, geometry: next[i] })).filter((g) => g.geometry !== null),
			{ code, name: '测试网格', geometry: next[grids.length] }
		] as GridDraft[];
		const { result } = await save(users.secretary, drafts);
		expect(result.added).toBe(1);
		const [unit] = await rows<{ level: string; parent_code: string; name: string }>(
			`select level, parent_code, name from units where code = $1`,
			[code]
		);
		expect(unit).toEqual({ level: 'grid', parent_code: BAIZHAOPAI, name: '测试网格' });

		const [volunteer] = await rows<{ id: string }>(
			`select id::text from volunteers where home_unit_code = $1 order by id limit 1`,
			[BAIZHAOPAI]
		);
		const { error } = await users.secretary.rpc('assign_grid_member', {
			p_volunteer_id: Number(volunteer.id),
			p_grid_code: code
		});
		expect(error).toBeNull();

		const { result: back } = await save(users.secretary, seeded);
		expect(back).toMatchObject({ removed: 1, members_unassigned: 1 });
		expect(await rows(`select 1 from units where code = $1`, [code])).toEqual([]);
		expect(await rows(`select 1 from private.grid_households where grid_code = $1`, [code])).toEqual([]);
		expect(await rows(`select 1 from grid_members where volunteer_id = $1`, [volunteer.id])).toEqual([]);
	});

	it('refuses to remove a grid that still holds a lead without a place', async () => {
		const [lead] = await rows<{ id: string }>(
			`insert into leads (grid_code, title, kind, source) values ($1, '测试线索无位置', 'other', 'phone') returning id::text`,
			[seeded[seeded.length - 1].code]
		);
		try {
			const grids = seeded.map((g) => g.geometry as Areal);
			const last = grids.length - 1;
			const merged = takeArea(grids, last - 1, grids[last], community);
			const p = await plan(seeded.slice(0, last).map((g, i) => ({ ...g, geometry: merged[i] })));
			expect(p.ok).toBe(true);
			const before = await snapshot();
			const error = await refusal(users.secretary, payload(p.grids, p.moves));
			expect(error.hint).toBe('grid_in_use');
			expect(error.message).toContain('线索');
			expect(await snapshot()).toEqual(before);
		} finally {
			await db.query(`delete from leads where id = $1`, [lead.id]);
		}
	});

	describe('what the database checks itself (the app bypassed)', () => {
		let base: ReturnType<typeof payload>;
		beforeAll(async () => {
			const p = await plan(seeded);
			base = payload(p.grids, []);
		});
		const withGrid = (i: number, change: Record<string, unknown>) => ({
			...base,
			p_grids: base.p_grids.map((g, k) => (k === i ? { ...g, ...change } : g))
		});

		it.each([
			['a code of another community', () => withGrid(0, { code: `${SHANGPING}001` }), 'grid_code_invalid'],
			['a code too short', () => withGrid(0, { code: `${BAIZHAOPAI}01` }), 'grid_code_invalid'],
			['the same code twice', () => withGrid(1, { code: base.p_grids[0].code }), 'grid_code_duplicate'],
			['an empty name', () => withGrid(0, { name: '  ' }), 'grid_name_invalid'],
			[
				'an unclosed ring',
				() => {
					const ring = (base.p_grids[0].geometry as Polygon).coordinates[0];
					return withGrid(0, { geometry: { type: 'Polygon', coordinates: [ring.slice(0, -1)] } });
				},
				'grid_geometry_invalid'
			],
			[
				'a grid reaching beyond the community',
				() => {
					const ring = (base.p_grids[0].geometry as Polygon).coordinates[0];
					const out = ring.map(([x, y], k) => (k === 0 || k === ring.length - 1 ? [x, y + 0.05] : [x, y]));
					return withGrid(0, { geometry: { type: 'Polygon', coordinates: [out] } });
				},
				'grid_outside_community'
			],
			[
				'a label point outside its grid',
				() => withGrid(0, { center: base.p_grids[1].center }),
				'grid_center_outside'
			],
			['no grids at all', () => ({ ...base, p_grids: [] }), 'grids_empty'],
			[
				'a gap that leaves buildings in no grid',
				() => ({ ...base, p_grids: base.p_grids.slice(1) }),
				'building_outside_grids'
			],
			[
				'two grids over the same buildings',
				() => ({ ...base, p_grids: [...base.p_grids, { ...base.p_grids[0], code: `${BAIZHAOPAI}902` }] }),
				'building_in_two_grids'
			]
		])('refuses %s, and writes nothing', async (_, body, hint) => {
			const before = await snapshot();
			const error = await refusal(users.secretary, body());
			expect(error.hint).toBe(hint);
			expect(await snapshot()).toEqual(before);
		});
	});

	describe('who may save', () => {
		let body: ReturnType<typeof payload>;
		beforeAll(async () => {
			const p = await plan(seeded);
			body = payload(p.grids, []);
		});

		it("lets the street's commander save the community's grids", async () => {
			const { data, error } = await users.commander.rpc('save_grid_boundaries', body);
			expect(error).toBeNull();
			expect(data).toMatchObject({ buildings_moved: 0 });
		});

		it.each(['shangping', 'beicheng', 'leader', 'volunteer', 'xuyong'] as const)(
			'refuses %s',
			async (who) => {
				const error = await refusal(users[who], body);
				expect(error.hint).toBe('grids_forbidden');
			}
		);

		it('refuses the anonymous', async () => {
			const anon = (await import('./clients')).client();
			const { error } = await anon.rpc('save_grid_boundaries', body);
			expect(error).not.toBeNull();
		});
	});
});

describe('grid members', () => {
	let locals: { id: number }[];
	let shangpingVolunteer: number;
	beforeAll(async () => {
		locals = await rows(`select id::int from volunteers where home_unit_code = $1 order by id limit 3`, [
			BAIZHAOPAI
		]);
		[{ id: shangpingVolunteer }] = await rows<{ id: number }>(
			`select id::int from volunteers where home_unit_code = $1 order by id limit 1`,
			[SHANGPING]
		);
	});
	afterAll(async () => {
		await db.query(`delete from grid_members where volunteer_id = any ($1::bigint[])`, [
			locals.map((l) => l.id)
		]);
		for (const m of seededMembers)
			await db.query(
				`insert into grid_members (volunteer_id, grid_code) values ($1, $2) on conflict do nothing`,
				[m.volunteer_id, m.grid_code]
			);
	});

	it('assigns, reassigns and unassigns, recording who did it', async () => {
		const id = locals[0].id;
		const assign = (code: string | null) =>
			users.secretary.rpc('assign_grid_member', { p_volunteer_id: id, p_grid_code: code });
		expect((await assign(seeded[0].code)).error).toBeNull();
		expect((await assign(seeded[1].code)).error).toBeNull();
		const [row] = await rows<{ grid_code: string; assigned_by: string }>(
			`select grid_code, assigned_by::text from grid_members where volunteer_id = $1`,
			[id]
		);
		expect(row).toEqual({ grid_code: seeded[1].code, assigned_by: '00000000-0000-4000-8000-000000000001' });
		const { data } = await users.secretary
			.from('grid_members')
			.select('volunteer_id, grid_code')
			.eq('volunteer_id', id);
		expect(data).toEqual([{ volunteer_id: id, grid_code: seeded[1].code }]);
		expect((await assign(null)).error).toBeNull();
		expect(await rows(`select 1 from grid_members where volunteer_id = $1`, [id])).toEqual([]);
	});

	it('keeps people to grids of their own community', async () => {
		const { error } = await users.commander.rpc('assign_grid_member', {
			p_volunteer_id: shangpingVolunteer,
			p_grid_code: seeded[0].code
		});
		expect(error?.hint).toBe('member_outside_community');
	});

	it('refuses people and grids outside the caller’s unit, and roles without personal access', async () => {
		const other = await users.shangping.rpc('assign_grid_member', {
			p_volunteer_id: locals[1].id,
			p_grid_code: seeded[0].code
		});
		expect(other.error?.hint).toBe('member_not_found');
		for (const who of ['leader', 'volunteer'] as const) {
			const { error } = await users[who].rpc('assign_grid_member', {
				p_volunteer_id: locals[1].id,
				p_grid_code: seeded[0].code
			});
			expect(error?.hint, who).toBe('member_not_found');
		}
		const { error: grid } = await users.secretary.rpc('assign_grid_member', {
			p_volunteer_id: locals[1].id,
			p_grid_code: `${BAIZHAOPAI}999`
		});
		expect(grid?.hint).toBe('grid_not_found');
	});

	it('shows assignments to staff of the unit and to the member, not to leaders or other communities', async () => {
		await db.query(`insert into grid_members (volunteer_id, grid_code) values ($1, $2)`, [
			locals[2].id,
			seeded[2].code
		]);
		const seen = async (who: SupabaseClient) =>
			(await who.from('grid_members').select('volunteer_id').eq('volunteer_id', locals[2].id)).data?.length;
		expect(await seen(users.secretary)).toBe(1);
		expect(await seen(users.commander)).toBe(1);
		expect(await seen(users.leader)).toBe(0);
		expect(await seen(users.shangping)).toBe(0);
		expect(await seen(users.volunteer)).toBe(0);
	});
});
