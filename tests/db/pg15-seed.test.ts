/**
 * The demo seed is plain SQL plus generated geometry: it must run unchanged on a real PostgreSQL 15 server (as
 * it will on hosted Supabase), with the article's facts holding there too.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientExecutor, startPg15, type Pg15 } from '../../scripts/pg15';
import { seedDemo } from '../../scripts/seed/demo';

let server: Pg15;
let client: pg.Client;

beforeAll(async () => {
	server = await startPg15();
	client = new pg.Client({ connectionString: server.url });
	await client.connect();
	await seedDemo(clientExecutor(client));
}, 180_000);

afterAll(async () => {
	await client?.end();
	await server?.stop();
});

async function one(sql: string): Promise<Record<string, string>> {
	return (await client.query(sql)).rows[0];
}

describe('the demo seed on PostgreSQL 15', () => {
	it('holds the article’s facts for 白招牌社区', async () => {
		expect(
			await one(`select count(*) as households, sum(members) as residents, count(distinct building_id) as buildings
				from households where community_code = '510502001006'`)
		).toEqual({ households: '4943', residents: '12076', buildings: '113' });
		expect(
			await one(`select count(*) filter (where has_property_management) as managed,
				(select count(*) from markets where community_code = '510502001006') as markets
				from buildings where community_code = '510502001006'`)
		).toEqual({ managed: '1', markets: '2' });
	});

	it('holds the city-wide and volunteer facts', async () => {
		expect(
			await one(`select (select count(*) from organisations) as organisations,
				(select count(*) from volunteer_teams) as teams, (select count(*) from volunteers) as volunteers,
				(select count(*) from volunteers where organisation_id = 1) as police_college`)
		).toEqual({ organisations: '1273', teams: '3749', volunteers: '42444', police_college: '251' });
		expect(
			await one(`select t.formed_on::text as formed_on, count(v.id) as members from volunteer_teams t
				join volunteers v on v.team_id = t.id where t.unit_code = '510524109211' and t.name like '%青年志愿者突击队'
				group by t.formed_on`)
		).toEqual({ formed_on: '2020-02-07', members: '24' });
	});

	it('keeps every roster cell within its checkpoint’s staff_required, the demo volunteer’s included', async () => {
		expect(
			await one(`select count(*) as over from (
					select s.checkpoint_id, s.period, count(*) as n from shifts s
					where s.status in ('planned', 'done') group by 1, 2) cell
				join checkpoints c on c.id = cell.checkpoint_id where cell.n > c.staff_required`)
		).toEqual({ over: '0' });
		expect(
			await one(`select count(*) as planned from shifts s join memberships m on m.volunteer_id = s.volunteer_id
				join auth.users u on u.id = m.user_id where u.email = 'volunteer@baizhaopai.demo' and s.status = 'planned'`)
		).toEqual({ planned: '5' }); // 2020-03-13 to 03-15, and today and tomorrow in the drill
	});

	it('leaves the session as it found it and gives every lead its history', async () => {
		expect((await one(`show session_replication_role`)).session_replication_role).toBe('origin');
		expect(
			await one(`select count(*) as without_history from leads l
				where not exists (select 1 from lead_events e where e.lead_id = l.id)`)
		).toEqual({ without_history: '0' });
	});
});

/**
 * Retention (security item 23), last in this file because it purges the seeded database: once the response has
 * ended and its retention period passed, personal health and location data goes and every aggregate reads as
 * before. The aggregates are read the way the app reads them: as a member, inside a request-like transaction.
 */
describe('the retention purge on PostgreSQL 15', () => {
	async function asUser<T>(email: string, sql: string, params: unknown[] = []): Promise<T> {
		await client.query('begin');
		try {
			const { id } = await one(`select id from auth.users where email = '${email}'`);
			await client.query(
				`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
				[JSON.stringify({ sub: id, role: 'authenticated' })]
			);
			return (await client.query(sql, params)).rows[0]?.result as T;
		} finally {
			await client.query('rollback');
		}
	}

	/** What leaders, commanders and secretaries read from the aggregates, on days across the response. */
	async function aggregates(): Promise<unknown> {
		const days = ['2020-01-28', '2020-02-05', '2020-02-20', '2020-03-15'];
		const out: Record<string, unknown> = {};
		for (const day of days) {
			out[`city ${day}`] = await asUser(
				'leader@luzhou.demo',
				`select jsonb_agg(to_jsonb(c) order by c.code) as result from coverage_by_unit('5105', $1::date) c`,
				[day]
			);
			out[`street ${day}`] = await asUser(
				'commander@nancheng.demo',
				`select jsonb_agg(to_jsonb(c) order by c.code) as result
				from coverage_by_unit('510502001', $1::date, null, 14) c`,
				[day]
			);
			out[`dashboard ${day}`] = await asUser(
				'secretary@baizhaopai.demo',
				`select unit_dashboard('510502001006', $1::date) as result`,
				[day]
			);
			out[`lagging ${day}`] = await asUser(
				'leader@luzhou.demo',
				`select lagging_units('5105', $1::date, 'community') as result`,
				[day]
			);
		}
		// The running drill, today, as its secretary reads it.
		out['drill today'] = await asUser(
			'secretary@baizhaopai.demo',
			`select unit_dashboard('510502001006', (now() at time zone 'Asia/Shanghai')::date) as result`
		);
		return out;
	}

	async function counts(): Promise<Record<string, string>> {
		return one(`select (select count(*) from screenings) as screenings, (select count(*) from residents) as residents,
			(select count(*) from service_requests) as service_requests, (select count(*) from building_claims) as claims,
			(select count(*) from households) as households,
			(select count(*) from households where head_name <> '（已匿名）' or phone is not null) as named_households,
			(select count(*) from leads) as leads,
			(select count(*) from leads where lon is not null or description is not null or reported_by is not null
				or title <> '（已匿名）') as located_leads,
			(select count(*) from lead_events) as lead_events,
			(select count(*) from lead_events where note is not null or by_user is not null) as attributed_events`);
	}

	it('is refused to members and changes nothing before it is due', async () => {
		await expect(
			asUser('leader@luzhou.demo', `select purge_personal_data('2030-01-01') as result`)
		).rejects.toMatchObject({ code: '42501' });
		const before = await counts();
		// The 2020 response ended on 2020-03-15 and keeps personal data 180 days; the drill still runs.
		expect((await client.query(`select purge_personal_data('2020-09-10') as r`)).rows[0].r).toEqual({
			purged: [],
			next_due_on: '2020-09-11'
		});
		expect(await counts()).toEqual(before);
	});

	it('removes the ended response’s health and location data on the due day, keeps every aggregate, and leaves the running drill alone', async () => {
		const before = await counts();
		const of2020 = await one(`select
			(select count(*) from screenings s join screening_rounds r on r.id = s.round_id where r.response_id = 1) as screenings,
			(select count(*) from screenings s join screening_rounds r on r.id = s.round_id where r.response_id = 2) as drill,
			(select count(*) from residents where response_id = 1) as residents,
			(select count(*) from service_requests where response_id = 1) as service_requests,
			(select count(*) from households where grid_code not like '510502%' and (head_name <> '（已匿名）' or phone is not null)) as households,
			(select count(*) from leads where response_id = 1) as leads,
			(select count(*) from leads where response_id = 2) as drill_leads,
			(select count(*) from households where grid_code like '510502%') as drill_households`);
		expect(Number(of2020.screenings)).toBeGreaterThan(10_000);
		expect(Number(of2020.drill)).toBeGreaterThan(1_000);
		const aggregatesBefore = await aggregates();

		const result = (await client.query(`select purge_personal_data('2020-09-11') as r`)).rows[0].r;
		expect(result).toEqual({
			purged: [
				{
					response_id: 1,
					due_on: '2020-09-11',
					screenings: Number(of2020.screenings),
					building_claims: 0,
					residents: Number(of2020.residents),
					service_requests: Number(of2020.service_requests),
					households: Number(of2020.households),
					leads: Number(of2020.leads),
					lead_events: expect.any(Number)
				}
			],
			next_due_on: null
		});
		expect(await counts()).toEqual({
			...before,
			screenings: of2020.drill,
			residents: '0',
			service_requests: '0',
			claims: '0',
			// 江阳区's households keep their names: the running drill covers them.
			named_households: of2020.drill_households,
			located_leads: of2020.drill_leads,
			attributed_events: '0'
		});
		// The per-household state is what the drill's screenings alone give.
		expect(
			await one(`select count(*) as states, count(*) filter (where 1 = any (round_ids) or 2 = any (round_ids)) as old
				from private.household_screening_state`)
		).toMatchObject({ old: '0' });
		expect(await aggregates()).toEqual(aggregatesBefore);

		const audit =
			await one(`select action, unit_code, record_id::int as response, detail->>'screenings' as screenings
			from audit_log where action = 'purge' order by id desc limit 1`);
		expect(audit).toEqual({ action: 'purge', unit_code: '5105', response: 1, screenings: of2020.screenings });
		expect(await one(`select purged_at is not null as purged from retention_policy`)).toEqual({
			purged: true
		});
		// The counters' trigger is back on: a screening recorded after the purge is counted.
		expect(await one(`select tgenabled from pg_trigger where tgname = 'screenings_counters'`)).toEqual({
			tgenabled: 'O'
		});
	});

	it('purges a response once', async () => {
		const again = (await client.query(`select purge_personal_data('2020-09-12') as r`)).rows[0].r;
		expect(again).toEqual({ purged: [], next_due_on: null });
	});
});
