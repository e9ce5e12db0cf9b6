/**
 * Coverage roll-ups come from per-grid counters (migration 20261129001000); these tests hold them to an
 * independent count over the records, as seeded and after every kind of change the triggers must follow:
 * a new screening, a repeated one, a household moved to another grid, a deletion. The panel's KPIs
 * (unit_dashboard) are checked the same way.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, signedIn } from './clients';
import { stack } from './stack-env';

let db: pg.Client;
const users: Record<string, SupabaseClient> = {};

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	for (const k of ['secretary', 'commander', 'leader'] as const) users[k] = await signedIn(DEMO[k]);
});

afterAll(async () => {
	await db?.end();
});

const BAIZHAOPAI = '510502001006';
const NANCHENG = '510502001';

interface Row {
	code: string;
	households: number | null;
	screened: number | null;
	suppressed: boolean;
}

async function rollup(who: SupabaseClient, unit: string, asOf: string): Promise<Map<string, Row>> {
	const { data, error } = await who.rpc('coverage_by_unit', { p_unit: unit, p_as_of: asOf });
	if (error) throw new Error(error.message);
	return new Map((data as Row[]).map((r) => [r.code, r]));
}

/**
 * The same figures straight from households and screenings, written without the counters: per child unit of
 * `unit`, households and those reached (not unreachable) in the round current on `asOf` by the end of that day.
 */
async function independent(
	unit: string,
	asOf: string
): Promise<Map<string, { households: number; screened: number }>> {
	const childLength = { 4: 6, 6: 9, 9: 12, 12: 15 }[unit.length] ?? 15;
	const { rows } = await db.query(
		`with round as (
			select id from screening_rounds where starts_on <= $2::date order by starts_on desc limit 1
		)
		select left(h.grid_code, $3) as code, count(*)::int as households,
			count(*) filter (where exists (
				select 1 from screenings s
				where s.household_id = h.id and s.round_id = (select id from round) and s.outcome <> 'unreachable'
					and s.screened_at < (($2::date + 1)::timestamp at time zone 'Asia/Shanghai')
			))::int as screened
		from households h where h.grid_code like $1 || '%'
		group by 1`,
		[unit, asOf, childLength]
	);
	const out = new Map(
		rows.map((r) => [r.code as string, { households: r.households, screened: r.screened }])
	);
	out.set(unit, {
		households: rows.reduce((n, r) => n + r.households, 0),
		screened: rows.reduce((n, r) => n + r.screened, 0)
	});
	return out;
}

async function expectMatches(who: SupabaseClient, unit: string, asOf: string) {
	const [got, want] = await Promise.all([rollup(who, unit, asOf), independent(unit, asOf)]);
	let compared = 0;
	for (const [code, w] of want) {
		const g = got.get(code);
		expect(g, `${code} missing from the roll-up`).toBeDefined();
		if (g!.suppressed) {
			// Withheld from an aggregate-only viewer: only where a count is 1 or 2.
			const small = [w.households, w.screened, w.households - w.screened].some((n) => n === 1 || n === 2);
			expect(small, `${code} suppressed without a small count`).toBe(true);
			continue;
		}
		expect({ code, households: Number(g!.households), screened: Number(g!.screened) }).toEqual({
			code,
			...w
		});
		compared++;
	}
	return compared;
}

/** A copy of every counter table, to compare the triggers' running totals with a rebuild from the records. */
async function counters(): Promise<string> {
	const { rows } = await db.query(`select jsonb_build_object(
		'households', (select jsonb_object_agg(grid_code, households) from private.grid_households where households <> 0),
		'firsts', (select jsonb_object_agg(grid_code || '/' || round_id || '/' || day, households)
			from private.grid_first_screenings where households <> 0),
		'spans', (select jsonb_object_agg(grid_code || '/' || day || '/' || next_day, households)
			from private.grid_screening_spans where households <> 0),
		'daily', (select jsonb_object_agg(grid_code || '/' || day || '/' || method || '/' || outcome, screenings)
			from private.grid_screenings_daily where screenings <> 0)
	) as c`);
	return JSON.stringify(rows[0].c);
}

describe('coverage roll-ups from the counters', () => {
	it('equal an independent count over the records, at every level and on dates across both rounds', async () => {
		let compared = 0;
		for (const asOf of ['2020-01-24', '2020-02-01', '2020-02-09', '2020-02-10', '2020-02-25', '2020-03-15']) {
			compared += await expectMatches(users.secretary, BAIZHAOPAI, asOf);
			compared += await expectMatches(users.commander, NANCHENG, asOf);
		}
		compared += await expectMatches(users.leader, '5105', '2020-02-05');
		compared += await expectMatches(users.leader, '510502', '2020-03-15');
		expect(compared).toBeGreaterThan(100);
	});

	it('follow new screenings, counting a household once however often it is screened', async () => {
		// A household of 白招牌社区 not reached in round 2 (re-screening) by the end of the response.
		const { rows } = await db.query(
			`select h.id, h.grid_code from households h
			where h.community_code = $1 and not exists (
				select 1 from screenings s where s.household_id = h.id and s.round_id = 2 and s.outcome <> 'unreachable')
			order by h.id limit 1`,
			[BAIZHAOPAI]
		);
		expect(rows.length).toBe(1);
		const { id: householdId, grid_code: grid } = rows[0];
		const before = await rollup(users.secretary, BAIZHAOPAI, '2020-03-15');
		const beforeCounters = await counters();
		const dashBefore = await users.secretary.rpc('unit_dashboard', { p_unit: grid, p_as_of: '2020-03-15' });
		expect(dashBefore.error).toBeNull();

		// Screenings of 2020 are history: members record only the last 7 days (checklist 27), so these are written
		// as the database's owner, as the seed writes them. The counters' triggers run all the same.
		const screen = (outcome: string, at: string) =>
			db.query(
				`insert into screenings (round_id, household_id, grid_code, screened_at, method, outcome, flags)
				values (2, $1, $2, $3, 'door', $4, $5)`,
				[householdId, grid, at, outcome, outcome === 'flagged' ? ['fever'] : []]
			);
		try {
			await screen('unreachable', '2020-03-14T09:00:00+08:00');
			let after = await rollup(users.secretary, BAIZHAOPAI, '2020-03-15');
			expect(Number(after.get(grid)!.screened)).toBe(Number(before.get(grid)!.screened));

			await screen('normal', '2020-03-15T09:00:00+08:00');
			await screen('flagged', '2020-03-15T16:00:00+08:00');
			after = await rollup(users.secretary, BAIZHAOPAI, '2020-03-15');
			expect(Number(after.get(grid)!.screened)).toBe(Number(before.get(grid)!.screened) + 1);
			expect(Number(after.get(BAIZHAOPAI)!.screened)).toBe(Number(before.get(BAIZHAOPAI)!.screened) + 1);
			// Not yet on the day before (that day's attempt did not reach anyone).
			await expectMatches(users.secretary, BAIZHAOPAI, '2020-03-14');
			await expectMatches(users.secretary, BAIZHAOPAI, '2020-03-15');

			// The household is no longer "not re-screened" on that day; the panel counts the screenings.
			const dash = await users.secretary.rpc('unit_dashboard', { p_unit: grid, p_as_of: '2020-03-15' });
			expect(dash.data.kpis.stale).toBe(dashBefore.data.kpis.stale - 1);
			type Day = { day: string; door: number; flagged: number };
			const day = (d: { data: { screenings_by_day: Day[] } | null }) =>
				d.data!.screenings_by_day.find((x) => x.day === '2020-03-15')!;
			expect(day(dash).door).toBe(day(dashBefore).door + 2);
			expect(day(dash).flagged).toBe(day(dashBefore).flagged + 1);

			// The running totals are what a rebuild from the records gives.
			const running = await counters();
			await db.query('select private.rebuild_coverage_counters()');
			expect(await counters()).toBe(running);
		} finally {
			await db.query(
				`delete from screenings where household_id = $1 and screened_at >= '2020-03-14T00:00+08'
					and screened_at < '2020-03-16T00:00+08'`,
				[householdId]
			);
		}
		expect(await counters()).toBe(beforeCounters);
		await expectMatches(users.secretary, BAIZHAOPAI, '2020-03-15');
	});

	it('move with a household to another grid, and forget a deleted household', async () => {
		const { rows: grids } = await db.query(
			`select code from units where parent_code = $1 order by code limit 2`,
			[BAIZHAOPAI]
		);
		const [from, to] = grids.map((g) => g.code as string);
		const { rows } = await db.query(
			`select h.id from households h where h.grid_code = $1 and exists (
				select 1 from screenings s where s.household_id = h.id and s.round_id = 2 and s.outcome <> 'unreachable')
			order by h.id limit 1`,
			[from]
		);
		const householdId = rows[0].id;
		const before = await rollup(users.secretary, BAIZHAOPAI, '2020-03-15');
		const beforeCounters = await counters();
		await db.query(`update households set grid_code = $2 where id = $1`, [householdId, to]);
		try {
			const after = await rollup(users.secretary, BAIZHAOPAI, '2020-03-15');
			expect(Number(after.get(from)!.households)).toBe(Number(before.get(from)!.households) - 1);
			expect(Number(after.get(to)!.households)).toBe(Number(before.get(to)!.households) + 1);
			expect(Number(after.get(from)!.screened)).toBe(Number(before.get(from)!.screened) - 1);
			expect(Number(after.get(to)!.screened)).toBe(Number(before.get(to)!.screened) + 1);
			await expectMatches(users.secretary, BAIZHAOPAI, '2020-03-15');
		} finally {
			await db.query(`update households set grid_code = $2 where id = $1`, [householdId, from]);
		}
		expect(await counters()).toBe(beforeCounters);

		// A deletion (cascading to the screenings) inside a transaction that is rolled back afterwards. The
		// embedded database is one session: nothing else may query it while the transaction is open.
		await db.query('begin');
		try {
			await db.query(`delete from households where id = $1`, [householdId]);
			const { rows: check } = await db.query(
				`select (select households from private.grid_households where grid_code = $1) as n,
					(select count(*) from private.household_screening_state where household_id = $2)::int as state`,
				[from, householdId]
			);
			expect(check[0]).toEqual({ n: Number(before.get(from)!.households) - 1, state: 0 });
		} finally {
			await db.query('rollback');
		}
		expect(await counters()).toBe(beforeCounters);
	});
});

describe('the unit panel (unit_dashboard)', () => {
	it('gives KPIs that match the records for a street', async () => {
		const asOf = '2020-02-20';
		const { data, error } = await users.commander.rpc('unit_dashboard', { p_unit: NANCHENG, p_as_of: asOf });
		expect(error).toBeNull();
		const until = `(('${asOf}'::date + 1)::timestamp at time zone 'Asia/Shanghai')`;
		const at = `('${asOf} 10:00'::timestamp at time zone 'Asia/Shanghai')`;
		const { rows } = await db.query(
			`select
				(select count(*) from households where grid_code like $1 || '%')::int as households,
				(select count(*) from households h where h.grid_code like $1 || '%' and not exists (
					select 1 from screenings s where s.household_id = h.id and s.outcome <> 'unreachable'
						and s.screened_at < ${until} and s.screened_at >= ${until} - interval '14 days'))::int as stale,
				(select count(*) from leads l where l.grid_code like $1 || '%' and l.reported_at < ${until}
					and (select e.to_status from lead_events e where e.lead_id = l.id and e.at < ${until}
						order by e.at desc, e.id desc limit 1) in ('new', 'verifying', 'assigned'))::int as open_leads,
				(select count(distinct volunteer_id) from shifts where community_code like $1 || '%'
					and status <> 'cancelled' and period @> ${at})::int as on_duty,
				(select count(*) from checkpoints c where c.community_code like $1 || '%' and c.status = 'active'
					and (select count(*) from shifts s where s.checkpoint_id = c.id and s.status <> 'cancelled'
						and s.period @> ${at}) < c.staff_required)::int as understaffed`,
			[NANCHENG]
		);
		const want = rows[0];
		expect(data.stale_days).toBe(14);
		expect(data.kpis).toMatchObject({
			households: want.households,
			stale: want.stale,
			open_leads: want.open_leads,
			volunteers_on_duty: want.on_duty,
			understaffed_checkpoints: want.understaffed
		});
		expect(want.on_duty).toBeGreaterThan(0);
		expect(want.open_leads + data.leads_by_status.closed).toBeGreaterThan(0);
		// One point per day of the response so far, the last one the KPI itself.
		expect(data.coverage_series.length).toBe(28);
		expect(data.coverage_series.at(-1).coverage).toBe(data.kpis.coverage);
		expect(data.hours_by_organisation.length).toBeGreaterThan(0);
	});

	it('refuses a unit outside the scope and nonsense parameters, in Chinese', async () => {
		const outside = await users.secretary.rpc('unit_dashboard', { p_unit: NANCHENG, p_as_of: '2020-02-20' });
		expect(outside.error?.code).toBe('42501');
		expect(outside.error?.message).toContain('无权查看');
		const days = await users.secretary.rpc('unit_dashboard', {
			p_unit: BAIZHAOPAI,
			p_as_of: '2020-02-20',
			p_stale_days: 0
		});
		expect(days.error?.message).toContain('天数');
	});

	it('gives a leader counts, never lists of people', async () => {
		const { data, error } = await users.leader.rpc('unit_dashboard', {
			p_unit: '5105',
			p_as_of: '2020-03-15'
		});
		expect(error).toBeNull();
		const text = JSON.stringify(data);
		expect(text).not.toMatch(/1[3-9]\d{9}|\d{17}[\dX]/); // no phone or ID numbers
		expect(Object.keys(data)).toEqual(
			expect.arrayContaining(['kpis', 'coverage_series', 'screenings_by_day', 'leads_by_status'])
		);
		expect(data.kpis.households).toBe(117412);
	});
});

describe('coverage that expires, and the lagging units', () => {
	/** Per child: households with an effective screening (any round) in the N days up to each day. */
	async function freshFromRecords(unit: string, day: string, days: number) {
		const childLength = { 4: 6, 6: 9, 9: 12, 12: 15 }[unit.length] ?? 15;
		const fresh = (d: string) => `exists (
			select 1 from screenings s where s.household_id = h.id and s.outcome <> 'unreachable'
				and s.screened_at < ((${d} + 1)::timestamp at time zone 'Asia/Shanghai')
				and s.screened_at >= ((${d} + 1 - ${days})::timestamp at time zone 'Asia/Shanghai'))`;
		const { rows } = await db.query(
			`select left(h.grid_code, $3) as code, count(*)::int as households,
				count(*) filter (where ${fresh('$2::date')})::int as covered,
				count(*) filter (where ${fresh('($2::date - 1)')})::int as covered_prev,
				count(*) filter (where ${fresh('($2::date - 1)')} and not ${fresh('$2::date')})::int as lost
			from households h where h.grid_code like $1 || '%' group by 1`,
			[unit, day, childLength]
		);
		return new Map(rows.map((r) => [r.code as string, r]));
	}

	it('count a household only while its latest screening is within N days, and say what was lost', async () => {
		for (const [day, days] of [
			['2020-02-12', 7],
			['2020-03-01', 14]
		] as const) {
			const want = await freshFromRecords(NANCHENG, day, days);
			const { data, error } = await users.commander.rpc('coverage_by_unit', {
				p_unit: NANCHENG,
				p_as_of: day,
				p_valid_days: days
			});
			expect(error).toBeNull();
			let lost = 0;
			for (const row of (data as Record<string, number | string>[]).filter((r) => !r.is_parent)) {
				const w = want.get(String(row.code))!;
				expect([row.code, Number(row.screened), Number(row.screened_prev), Number(row.lost)]).toEqual([
					row.code,
					w.covered,
					w.covered_prev,
					w.lost
				]);
				lost += w.lost;
			}
			expect(lost).toBeGreaterThan(0);
		}
	});

	it('refuses a window outside 1–60 days in Chinese', async () => {
		const { error } = await users.commander.rpc('coverage_by_unit', {
			p_unit: NANCHENG,
			p_as_of: '2020-03-01',
			p_valid_days: 0
		});
		expect(error?.message).toContain('有效天数');
	});

	it('rank the communities of the city by coverage, with figures from the records', async () => {
		const { data, error } = await users.leader.rpc('lagging_units', {
			p_unit: '5105',
			p_as_of: '2020-02-05',
			p_level: 'community',
			p_limit: 500
		});
		expect(error).toBeNull();
		const ranked = data as {
			code: string;
			rank: number;
			households: number;
			coverage: number;
			understaffed_checkpoints: number;
		}[];
		expect(ranked.length).toBe(500);
		expect(ranked.map((r) => r.rank)).toEqual(ranked.map((_, i) => i + 1));
		for (let i = 1; i < ranked.length; i++)
			expect(ranked[i].coverage).toBeGreaterThanOrEqual(ranked[i - 1].coverage);
		// The first 20 communities' figures, checked against the records.
		for (const r of ranked.slice(0, 20)) {
			const one = await independent(r.code, '2020-02-05');
			const w = one.get(r.code)!;
			expect([r.code, r.households, r.coverage]).toEqual([
				r.code,
				w.households,
				Number((w.screened / w.households).toFixed(4))
			]);
			expect(r.households).toBeGreaterThanOrEqual(3);
		}
		// A secretary cannot rank outside her community.
		const outside = await users.secretary.rpc('lagging_units', { p_unit: NANCHENG, p_as_of: '2020-02-05' });
		expect(outside.error?.code).toBe('42501');
	});
});
