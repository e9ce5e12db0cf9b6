/**
 * The demo reads as a real response (issue #20, item 8): volunteer hours over the whole 2020 response rather
 * than a jump in its last week, grid workers in every grid, organisations and teams with distinct, real-looking
 * names. Read as the seed left them (through pg, and through supabase-js as the commander where the screen does).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, signedIn } from './clients';
import { stack } from './stack-env';

let db: pg.Client;
let commander: SupabaseClient;

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	commander = await signedIn(DEMO.commander);
});

afterAll(async () => {
	await db?.end();
});

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
	return (await db.query(sql, params)).rows as T[];
}

describe('the 2020 response’s shifts', () => {
	it('serve the city on every day of the response, rising and falling without a jump', async () => {
		const days = await rows<{ day: string; hours: number }>(
			`select to_char(d, 'YYYY-MM-DD') as day, coalesce(sum(extract(epoch from upper(s.period) - lower(s.period)) / 3600), 0)::float as hours
			 from generate_series(date '2020-01-25', date '2020-03-15', interval '1 day') d
			 left join shifts s on s.response_id = 1 and s.status in ('planned', 'done')
				and (lower(s.period) at time zone 'Asia/Shanghai')::date = d::date
			 group by d order by d`
		);
		expect(days).toHaveLength(51);
		const peak = Math.max(...days.map((d) => d.hours));
		// Every day has checkpoint duty; no day changes by more than a third of the peak from the day before.
		for (const d of days) expect(d.hours, d.day).toBeGreaterThan(0);
		for (let i = 1; i < days.length; i++)
			expect(Math.abs(days[i].hours - days[i - 1].hours), days[i].day).toBeLessThan(peak / 3);
		// Busiest in the lockdown weeks of February, not in the last week of the response.
		const busiest = days.find((d) => d.hours === peak)!;
		expect(busiest.day < '2020-03-01', busiest.day).toBe(true);
	});

	it('cover the night at every checkpoint of 南城街道, as three shifts a day', async () => {
		const [{ starts }] = await rows<{ starts: string[] }>(
			`select array_agg(t order by t) as starts from (
				select distinct to_char(lower(period) at time zone 'Asia/Shanghai', 'HH24:MI') as t
				from shifts where response_id = 1 and community_code like '510502001%') x`
		);
		expect(starts).toEqual(['00:00', '08:00', '16:00']);
	});
});

describe('grids', () => {
	it('each have their grid workers (网格员), who live in the grid’s community', async () => {
		// A community with nobody on the volunteer register (some villages) has nobody to put in its grids; one
		// whose only people are the police college's students (白招牌社区) has them, as volunteers.
		const [g] = await rows<{ grids: number; without: number; without_worker: number; outside: number }>(
			`select count(*)::int as grids,
				count(*) filter (where not exists (select 1 from grid_members m where m.grid_code = u.code))::int as without,
				count(*) filter (where not exists (select 1 from grid_members m join volunteers v on v.id = m.volunteer_id
					where m.grid_code = u.code and v.kind = 'grid_worker')
					and exists (select 1 from volunteers v where v.home_unit_code = u.parent_code
						and v.team_id not in (1, 1274, 1275)))::int as without_worker,
				(select count(*) from grid_members m join volunteers v on v.id = m.volunteer_id
					where v.home_unit_code <> left(m.grid_code, 12))::int as outside
			 from units u where u.level = 'grid'
				and exists (select 1 from volunteers v where v.home_unit_code = u.parent_code)`
		);
		expect(g.grids).toBeGreaterThan(1000);
		expect(g.without).toBe(0);
		expect(g.without_worker).toBe(0);
		expect(g.outside).toBe(0);
		// The demo's communities among them: every grid of 白招牌社区 and 上平社区.
		const [{ n }] = await rows<{ n: number }>(
			`select count(*)::int n from units u where u.level = 'grid' and u.parent_code in ('510502001006', '510502001001')
				and not exists (select 1 from grid_members m where m.grid_code = u.code)`
		);
		expect(n).toBe(0);
	});
});

describe('names', () => {
	it('of organisations are distinct and carry no running numbers like （13）', async () => {
		const numbered = await rows<{ name: string }>(
			`select name from organisations where name ~ '（[0-9]+）$' or name ~ '\\([0-9]+\\)$' limit 5`
		);
		expect(numbered).toEqual([]);
		const twice = await rows<{ name: string }>(
			`select name from organisations group by name having count(*) > 1 limit 5`
		);
		expect(twice).toEqual([]);
		// The article's organisations keep their names.
		const [{ n }] = await rows<{ n: number }>(
			`select count(*)::int n from organisations where name in ('四川警察学院志愿服务队', '摩尼镇农村青年发展协会')`
		);
		expect(n).toBe(2);
	});

	it('of teams are distinct, so the roster’s team filter lists each once', async () => {
		const twice = await rows<{ name: string }>(
			`select name from volunteer_teams group by name having count(*) > 1 limit 5`
		);
		expect(twice).toEqual([]);
		// What the commander's filter reads: the teams of the volunteers living in 南城街道.
		const { data, error } = await commander
			.from('volunteer_teams')
			.select('id, name')
			.gte('unit_code', '510502001')
			.lt('unit_code', '510502001:');
		expect(error).toBeNull();
		const names = (data as { name: string }[]).map((t) => t.name);
		expect(names.length).toBeGreaterThan(5);
		expect(new Set(names).size).toBe(names.length);
	});
});
