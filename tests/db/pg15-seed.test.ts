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
		).toEqual({ planned: '3' });
	});

	it('leaves the session as it found it and gives every lead its history', async () => {
		expect((await one(`show session_replication_role`)).session_replication_role).toBe('origin');
		expect(
			await one(`select count(*) as without_history from leads l
				where not exists (select 1 from lead_events e where e.lead_id = l.id)`)
		).toEqual({ without_history: '0' });
	});
});
