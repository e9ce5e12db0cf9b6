/**
 * A volunteer's tasks (migration 20261129001800) through supabase-js: `my_tasks` lists exactly what is assigned
 * to the caller, with names and phones masked; `update_my_request` moves only the caller's own requests, and
 * only forward. Staff and leaders are refused both.
 *
 * The resident and requests written here are named 库任务… and removed before and after.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, signedIn } from './clients';
import { stack } from './stack-env';

const BAIZHAOPAI = '510502001006';
const NAME = '库任务居民';

let db: pg.Client;
const users: Record<string, SupabaseClient> = {};
let volunteerId: number;
let otherVolunteerId: number;
let mine: number;
let theirs: number;

interface Tasks {
	requests: {
		id: number;
		kind: string;
		status: string;
		resident: string;
		phone_masked: string | null;
		building: string;
		room: string;
		grid: string;
	}[];
	leads: { id: number; title: string; status: string }[];
}

async function cleanUp(): Promise<void> {
	await db.query(`delete from residents where name like $1`, [`${NAME}%`]);
}

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	await cleanUp();
	for (const k of ['secretary', 'commander', 'leader', 'volunteer'] as const)
		users[k] = await signedIn(DEMO[k]);
	volunteerId = Number(
		(
			await db.query(
				`select m.volunteer_id from memberships m join auth.users u on u.id = m.user_id where u.email = $1`,
				[DEMO.volunteer]
			)
		).rows[0].volunteer_id
	);
	otherVolunteerId = Number(
		(await db.query(`select id from volunteers where id <> $1 order by id limit 1`, [volunteerId])).rows[0].id
	);
	const [h] = (
		await db.query(`select id from households where community_code = $1 order by id limit 1`, [BAIZHAOPAI])
	).rows;
	const [r] = (
		await db.query(
			`insert into residents (household_id, grid_code, name, phone, special_groups, needs)
			values ($1, '', $2, '13812345678', '{elderly_alone}', '{medicine}') returning id`,
			[h.id, `${NAME}甲`]
		)
	).rows;
	const insert = `insert into service_requests (resident_id, grid_code, kind, status, detail, due_at, assigned_volunteer_id)
		values ($1, '', 'medicine', 'assigned', $2, now() + interval '1 day', $3) returning id`;
	mine = Number((await db.query(insert, [r.id, `${NAME}：送降压药`, volunteerId])).rows[0].id);
	theirs = Number((await db.query(insert, [r.id, `${NAME}：买菜`, otherVolunteerId])).rows[0].id);
});

afterAll(async () => {
	await cleanUp();
	await db?.end();
});

describe('a volunteer’s tasks', () => {
	it('lists exactly the requests and leads assigned to the volunteer, names and phones masked', async () => {
		const { data, error } = await users.volunteer.rpc('my_tasks');
		expect(error).toBeNull();
		const tasks = data as Tasks;
		const expected = await db.query(
			`select count(*) as n from service_requests
			where assigned_volunteer_id = $1 and (status not in ('done', 'cancelled')
				or coalesce(done_at, created_at) > now() - interval '3 days')`,
			[volunteerId]
		);
		expect(tasks.requests.length).toBe(Number(expected.rows[0].n));
		const leads = await db.query(
			`select count(*) as n from leads where assigned_volunteer_id = $1 and status not in ('closed', 'dismissed')`,
			[volunteerId]
		);
		expect(tasks.leads.length).toBe(Number(leads.rows[0].n));
		const own = tasks.requests.find((r) => r.id === mine);
		const [where] = (
			await db.query(
				`select b.name as building, h.room, g.name as grid from service_requests s
				join residents r on r.id = s.resident_id join households h on h.id = r.household_id
				join buildings b on b.id = h.building_id join units g on g.code = s.grid_code where s.id = $1`,
				[mine]
			)
		).rows;
		expect(own).toMatchObject({ kind: 'medicine', status: 'assigned', resident: '库*****', ...where });
		expect(own?.phone_masked).toBe('138****5678');
		expect(tasks.requests.some((r) => r.id === theirs)).toBe(false);
		expect(JSON.stringify(tasks)).not.toContain('13812345678');
		expect(JSON.stringify(tasks)).not.toContain(`${NAME}甲`);
	});

	it('moves the volunteer’s own request forward only, and never another’s', async () => {
		const start = await users.volunteer.rpc('update_my_request', {
			p_request_id: mine,
			p_status: 'in_progress'
		});
		expect(start.error).toBeNull();
		const back = await users.volunteer.rpc('update_my_request', { p_request_id: mine, p_status: 'assigned' });
		expect(back.error?.code).toBe('23514');
		expect(back.error?.message).toBe('任务不能从「服务中」改为「已指派」');
		const done = await users.volunteer.rpc('update_my_request', { p_request_id: mine, p_status: 'done' });
		expect(done.error).toBeNull();
		const [row] = (await db.query(`select status, done_at from service_requests where id = $1`, [mine])).rows;
		expect(row.status).toBe('done');
		expect(row.done_at).not.toBeNull();
		const other = await users.volunteer.rpc('update_my_request', { p_request_id: theirs, p_status: 'done' });
		expect(other.error?.message).toBe('找不到该任务，或它没有分派给你');
		expect(
			(await db.query(`select status from service_requests where id = $1`, [theirs])).rows[0].status
		).toBe('assigned');
		// Just done: still listed, for the volunteer to see, as done.
		const { data } = await users.volunteer.rpc('my_tasks');
		expect((data as Tasks).requests.find((r) => r.id === mine)?.status).toBe('done');
	});

	it('is the volunteers’ own: staff and leaders are refused', async () => {
		for (const who of ['secretary', 'commander', 'leader'] as const) {
			expect((await users[who].rpc('my_tasks')).error?.code).toBe('42501');
			const move = await users[who].rpc('update_my_request', { p_request_id: theirs, p_status: 'done' });
			expect(move.error?.code).toBe('42501');
		}
	});
});
