/**
 * Holes found by probing the stack as each role (issue #19; migration 20261207000100_security_fixes), through
 * supabase-js as the demo roles against the seeded embedded stack. Each test is the probe that found the hole:
 *
 *   checklist 27  a direct write to screenings, leads or service_requests obeys the rules the RPCs check (times,
 *                 actors, status history, assignment inside the caller's unit);
 *   checklist 5   a volunteer's board shows rooms and status, and health details only of her own screenings;
 *   checklist 22  bulk reads of personal rows write read_personal rows (once per person and place per 15
 *                 minutes), the briefing's downloads write export rows, and personal columns are not read
 *                 around those functions;
 *   checklist 8   EXECUTE on definer functions is exactly what the app needs (an explicit list).
 *
 * Rows written here carry 库安全测试 (notes, titles, details) and are removed before and after; audit rows are
 * compared by count, so a kept data folder (DB_TEST_DATA_DIR) gives the same results run after run.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdStatus, tally, type ScreeningEntry } from '../../src/lib/domain/screening';
import { DEMO, signedIn } from './clients';
import { stack } from './stack-env';

const BAIZHAOPAI = '510502001006';
const SHANGPING = '510502001001';
const MARK = '库安全测试';
const DAY = 86_400_000;

let db: pg.Client;
const users: Record<string, SupabaseClient> = {};
/** The demo volunteer (白招牌社区) and another volunteer of her community. */
let volunteerId: number;
let colleagueId: number;
/** Households of 白招牌社区 with no round-2 screening of the seed's. */
let fresh: { id: number; grid_code: string; building_id: number }[];
/** A grid of 白招牌社区 and one of 上平社区. */
let grid: string;
let shangpingGrid: string;
/** A resident of 上平社区 with an open service request, and an open lead there (both written here). */
let shangpingRequest: number;
let shangpingLead: number;

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
	return (await db.query(sql, params)).rows as T[];
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
	return Number((await db.query(sql, params)).rows[0].n);
}

async function cleanUp(): Promise<void> {
	await db.query(`delete from screenings where note = $1`, [MARK]);
	await db.query(`delete from leads where title like $1`, [`${MARK}%`]);
	await db.query(`delete from residents where name = $1`, [MARK.slice(0, 3)]);
	await db.query(`delete from service_requests where detail = $1`, [MARK]);
}

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	await cleanUp();
	for (const k of ['secretary', 'shangping', 'commander', 'leader', 'volunteer'] as const)
		users[k] = await signedIn(DEMO[k]);
	volunteerId = Number(
		(
			await rows<{ volunteer_id: string }>(
				`select m.volunteer_id from memberships m join auth.users u on u.id = m.user_id where u.email = $1`,
				[DEMO.volunteer]
			)
		)[0].volunteer_id
	);
	colleagueId = Number(
		(
			await rows<{ id: string }>(`select min(id) id from volunteers where home_unit_code = $1 and id <> $2`, [
				BAIZHAOPAI,
				volunteerId
			])
		)[0].id
	);
	fresh = (
		await rows<{ id: string; grid_code: string; building_id: string }>(
			`select h.id, h.grid_code, h.building_id from households h
			where h.community_code = $1 and not exists (
				select 1 from screenings s where s.household_id = h.id and s.round_id = 2 and coalesce(s.note, '') <> $2)
			order by h.id desc limit 4`,
			[BAIZHAOPAI, MARK]
		)
	).map((r) => ({ id: Number(r.id), grid_code: r.grid_code, building_id: Number(r.building_id) }));
	expect(fresh.length).toBe(4);
	grid = fresh[0].grid_code;
	shangpingGrid = (
		await rows<{ code: string }>(`select min(code) code from units where parent_code = $1`, [SHANGPING])
	)[0].code;
	// Written as the database's owner (as the seed writes), so the rules for members' writes do not apply.
	const [{ id: household }] = await rows<{ id: string }>(
		`select min(id) id from households where community_code = $1`,
		[SHANGPING]
	);
	const [{ id: resident }] = await rows<{ id: string }>(
		`insert into residents (household_id, grid_code, name, special_groups) values ($1, $2, $3, '{elderly_alone}')
		returning id`,
		[household, shangpingGrid, MARK.slice(0, 3)]
	);
	shangpingRequest = Number(
		(
			await rows<{ id: string }>(
				`insert into service_requests (resident_id, grid_code, kind, detail, due_at)
				values ($1, $2, 'food', $3, now() + interval '1 day') returning id`,
				[resident, shangpingGrid, MARK]
			)
		)[0].id
	);
	shangpingLead = Number(
		(
			await rows<{ id: string }>(
				`insert into leads (grid_code, title, kind) values ($1, $2, 'symptoms') returning id`,
				[shangpingGrid, `${MARK}：上平`]
			)
		)[0].id
	);
});

afterAll(async () => {
	if (db) await cleanUp();
	await db?.end();
});

/** A screening straight into the table (POST /rest/v1/screenings), as a phone's own client could send it. */
function screening(household: { id: number; grid_code: string }, fields: Record<string, unknown> = {}) {
	return {
		round_id: 2,
		household_id: household.id,
		grid_code: household.grid_code,
		screened_at: new Date().toISOString(),
		method: 'door',
		outcome: 'normal',
		note: MARK,
		...fields
	};
}

describe('27. direct writes obey the rules the RPCs check', () => {
	it('refuses a volunteer’s screening dated in 2099 or weeks back, or filed under another volunteer', async () => {
		const stored = () => count(`select count(*) n from screenings where note = $1`, [MARK]);
		const future = await users.volunteer
			.from('screenings')
			.insert(screening(fresh[0], { screened_at: '2099-01-01T08:00:00+08:00' }));
		expect(future.error).toMatchObject({
			code: '23514',
			hint: 'screened_at_out_of_range',
			message: '摸排时间须在最近 7 天内'
		});
		const weeksBack = await users.volunteer
			.from('screenings')
			.insert(screening(fresh[0], { screened_at: new Date(Date.now() - 21 * DAY).toISOString() }));
		expect(weeksBack.error?.hint).toBe('screened_at_out_of_range');
		const colleague = await users.volunteer
			.from('screenings')
			.insert(screening(fresh[0], { screened_by_volunteer_id: colleagueId }));
		expect(colleague.error).toMatchObject({ code: '42501', hint: 'screener_not_self' });
		expect(await stored()).toBe(0);

		// What the outbox may send: a few days late (recorded offline), a few minutes ahead (a fast clock).
		const late = await users.volunteer
			.from('screenings')
			.insert(screening(fresh[0], { screened_at: new Date(Date.now() - 3 * DAY).toISOString() }));
		expect(late.error).toBeNull();
		const ahead = await users.volunteer
			.from('screenings')
			.insert(screening(fresh[1], { screened_at: new Date(Date.now() + 5 * 60_000).toISOString() }));
		expect(ahead.error).toBeNull();
		const [who] = await rows<{ volunteers: string[]; users: string[] }>(
			`select array_agg(distinct screened_by_volunteer_id::text) volunteers,
				array_agg(distinct screened_by_user::text) users from screenings where note = $1`,
			[MARK]
		);
		expect(who).toEqual({
			volunteers: [String(volunteerId)],
			users: ['00000000-0000-4000-8000-000000000004']
		});

		// The seed and operators write history as the database's owner: a 2020 screening is theirs to store.
		await db.query(
			`insert into screenings (round_id, household_id, grid_code, screened_at, method, outcome, note)
			values (2, $1, $2, '2020-03-14 10:00+08', 'door', 'normal', $3)`,
			[fresh[2].id, fresh[2].grid_code, MARK]
		);
	});

	it('refuses a secretary’s lead reported as already closed, or with a made-up report time', async () => {
		const report = (fields: Record<string, unknown>) =>
			users.secretary
				.from('leads')
				.insert({ grid_code: grid, title: MARK, kind: 'symptoms', ...fields })
				.select('id, status, reported_at, reported_by');
		const closed = await report({
			status: 'closed',
			reported_at: '2020-02-01T09:00:00+08:00',
			closed_at: '2020-02-02T09:00:00+08:00'
		});
		expect(closed.error).toMatchObject({ code: '23514', hint: 'lead_must_start_new' });
		const backdated = await report({ reported_at: '2020-02-01T09:00:00+08:00' });
		expect(backdated.error).toMatchObject({ code: '23514', hint: 'lead_reported_at_fixed' });
		const assigned = await report({ assigned_volunteer_id: volunteerId });
		expect(assigned.error?.hint).toBe('lead_must_start_new');
		expect(await count(`select count(*) n from leads where title = $1`, [MARK])).toBe(0);

		// A plain report is new, now, by her; its history cannot be rewritten afterwards.
		const ok = await report({});
		expect(ok.error).toBeNull();
		const lead = ok.data![0];
		expect(lead).toMatchObject({ status: 'new', reported_by: '00000000-0000-4000-8000-000000000001' });
		expect(Math.abs(Date.parse(lead.reported_at) - Date.now())).toBeLessThan(60_000);
		for (const patch of [
			{ reported_at: '2020-02-01T09:00:00+08:00' },
			{ closed_at: new Date().toISOString() },
			{ reported_by: '00000000-0000-4000-8000-000000000002' }
		]) {
			const edit = await users.secretary.from('leads').update(patch).eq('id', lead.id);
			expect(edit.error?.hint, JSON.stringify(patch)).toBe('lead_history_fixed');
		}
	});

	it('refuses assigning a request or a lead to a volunteer of another community, who then sees nothing of it', async () => {
		const before = (await users.volunteer.rpc('my_tasks')).data as {
			requests: { id: number }[];
			leads: { id: number }[];
		};
		// 上平社区's secretary hands her request and lead to 白招牌社区's volunteer.
		const request = await users.shangping
			.from('service_requests')
			.update({ status: 'assigned', assigned_volunteer_id: volunteerId })
			.eq('id', shangpingRequest)
			.select('id');
		expect(request.error).toMatchObject({ code: '42501', hint: 'volunteer_outside_scope' });
		const created = await users.shangping
			.from('service_requests')
			.insert({
				resident_id: (
					await rows<{ resident_id: string }>(`select resident_id from service_requests where id = $1`, [
						shangpingRequest
					])
				)[0].resident_id,
				kind: 'medicine',
				detail: MARK,
				due_at: new Date(Date.now() + DAY).toISOString(),
				status: 'assigned',
				assigned_volunteer_id: volunteerId
			})
			.select('id');
		expect(created.error?.hint).toBe('volunteer_outside_scope');
		const lead = await users.shangping
			.from('leads')
			.update({ assigned_volunteer_id: volunteerId })
			.eq('id', shangpingLead)
			.select('id');
		expect(lead.error).toMatchObject({ code: '42501', hint: 'volunteer_outside_scope' });
		const moved = await users.shangping.rpc('move_lead', {
			p_lead_id: shangpingLead,
			p_to_status: 'verifying'
		});
		expect(moved.error).toBeNull();
		const step = await users.shangping.rpc('move_lead', {
			p_lead_id: shangpingLead,
			p_to_status: 'assigned',
			p_volunteer_id: volunteerId
		});
		expect(step.error?.hint).toBe('volunteer_outside_scope');

		const after = (await users.volunteer.rpc('my_tasks')).data as typeof before;
		expect(after.requests.map((r) => r.id)).toEqual(before.requests.map((r) => r.id));
		expect(after.leads.map((l) => l.id)).toEqual(before.leads.map((l) => l.id));
		expect(
			await rows(`select assigned_volunteer_id from service_requests where id = $1`, [shangpingRequest])
		).toEqual([{ assigned_volunteer_id: null }]);
	});

	it('keeps a request’s steps and creation as the care screen makes them', async () => {
		const [{ resident_id: resident }] = await rows<{ resident_id: string }>(
			`select resident_id from service_requests where id = $1`,
			[shangpingRequest]
		);
		const done = await users.shangping
			.from('service_requests')
			.insert({ resident_id: Number(resident), kind: 'food', detail: MARK, status: 'done' });
		expect(done.error?.hint).toBe('request_must_start_open');
		const backdated = await users.shangping.from('service_requests').insert({
			resident_id: Number(resident),
			kind: 'food',
			detail: MARK,
			created_at: '2020-02-01T09:00:00+08:00'
		});
		expect(backdated.error?.hint).toBe('request_created_at_fixed');
		const cancel = await users.shangping
			.from('service_requests')
			.update({ status: 'cancelled' })
			.eq('id', shangpingRequest)
			.select('status');
		expect(cancel.error).toBeNull();
		const reopen = await users.shangping
			.from('service_requests')
			.update({ status: 'open' })
			.eq('id', shangpingRequest);
		expect(reopen.error).toMatchObject({ hint: 'request_step_not_allowed' });
		expect(reopen.error!.message).toBe('任务不能从「已取消」改为「待指派」');
		await db.query(`update service_requests set status = 'open' where id = $1`, [shangpingRequest]);
	});
});

interface BoardScreening extends ScreeningEntry {
	flags: string[];
	note: string | null;
}
interface BoardHousehold {
	id: number;
	room: string;
	head_name: string | null;
	phone_masked: string | null;
	screenings: BoardScreening[];
}

describe('5. a volunteer’s board', () => {
	it('shows rooms and status, and health details only of the screenings she recorded', async () => {
		// A building of her community where others flagged households in the drill's round 3 (the seed's volunteers), the round her board shows today.
		const [{ building_id: building, flagged }] = await rows<{ building_id: string; flagged: string }>(
			`select h.building_id, count(*) flagged from screenings s join households h on h.id = s.household_id
			where h.community_code = $1 and s.round_id = 3 and s.outcome = 'flagged'
			group by 1 order by 2 desc, 1 limit 1`,
			[BAIZHAOPAI]
		);
		expect(Number(flagged)).toBeGreaterThan(0);
		// She flags a household of that building herself.
		const [own] = await rows<{ id: string }>(
			`select h.id from households h where h.building_id = $1 and not exists (
				select 1 from screenings s where s.household_id = h.id and s.round_id = 3) order by h.id limit 1`,
			[building]
		);
		const target = own
			? Number(own.id)
			: Number(
					(
						await rows<{ id: string }>(`select min(id) id from households where building_id = $1`, [building])
					)[0].id
				);
		const mine = await users.volunteer.rpc('record_screening', {
			p_idempotency_key: randomUUID(),
			p_household_id: target,
			p_round_id: 3,
			p_method: 'door',
			p_outcome: 'flagged',
			p_flags: ['fever'],
			p_note: MARK
		});
		expect(mine.error).toBeNull();

		const seen = await users.volunteer.rpc('board_households', { p_building_id: Number(building) });
		expect(seen.error).toBeNull();
		const households = seen.data.households as BoardHousehold[];
		const health = households.flatMap((h) =>
			h.screenings.filter((s) => s.flags.length > 0 || s.outcome === 'flagged' || s.note)
		);
		// Only her own screening carries health details; others' say when and how, reached or not.
		expect(health).toEqual([expect.objectContaining({ outcome: 'flagged', flags: ['fever'], note: MARK })]);
		for (const h of households) {
			expect(h.head_name).toBeNull();
			expect(h.phone_masked).toBeNull();
			expect(h.room.length).toBeGreaterThan(0);
			for (const s of h.screenings) expect([null, 'normal', 'unreachable', 'flagged']).toContain(s.outcome);
		}
		expect(households.find((h) => h.id === target)!.screenings[0]).toMatchObject({ outcome: 'flagged' });
		// Staff still see every flag.
		const staff = await users.secretary.rpc('board_households', { p_building_id: Number(building) });
		const staffFlagged = (staff.data.households as BoardHousehold[]).filter((h) =>
			h.screenings.some((s) => s.outcome === 'flagged')
		);
		expect(staffFlagged.length).toBeGreaterThan(1);

		// The board's list agrees: her building counts one flagged household (hers), as her building page does.
		const board = await users.volunteer.rpc('board_buildings', { p_unit: BAIZHAOPAI });
		const b = board.data.find((x: { id: number }) => x.id === Number(building));
		const counts = tally(households.map((h) => householdStatus(h.screenings)));
		expect(b.flagged).toBe(1);
		expect(counts.flagged).toBe(1);
		expect({ door: b.door, phone: b.phone, unreachable: b.unreachable, not_started: b.not_started }).toEqual({
			door: counts.door,
			phone: counts.phone,
			unreachable: counts.unreachable,
			not_started: counts.not_started
		});
		const flaggedElsewhere = board.data.filter(
			(x: { id: number; flagged: number }) => x.id !== Number(building) && x.flagged > 0
		);
		expect(flaggedElsewhere).toEqual([]);
	});
});

describe('22. personal reads and downloads are audited', () => {
	const audits = (action: string, table: string, user: string) =>
		count(
			`select count(*) n from audit_log where action = $1 and table_name = $2 and user_id = $3
				and at > now() - interval '15 minutes'`,
			[action, table, user]
		);
	const SECRETARY = '00000000-0000-4000-8000-000000000001';
	const COMMANDER = '00000000-0000-4000-8000-000000000002';

	it('reads the special-group registry only through the audited call, once per quarter hour', async () => {
		// Straight at the table: ids and grids, no names, groups or masked numbers.
		for (const column of ['name', 'special_groups', 'needs', 'phone_masked', 'id_number_masked', 'note']) {
			const direct = await users.secretary.from('residents').select(column).limit(5);
			expect(direct.error?.code, column).toBe('42501');
		}
		const ids = await users.secretary.from('residents').select('id, grid_code').limit(5);
		expect(ids.error).toBeNull();
		await db.query(
			`delete from audit_log where action = 'read_personal' and user_id = $1 and table_name = 'residents'`,
			[SECRETARY]
		);
		const registry = await users.secretary.rpc('care_registry', { p_unit: BAIZHAOPAI });
		expect(registry.error).toBeNull();
		expect(registry.data.length).toBe(
			await count(`select count(*) n from residents where grid_code like $1 || '%'`, [BAIZHAOPAI])
		);
		expect(registry.data[0]).toMatchObject({
			name: expect.any(String),
			special_groups: expect.any(Array),
			household: { room: expect.any(String), building: { id: expect.any(Number) } }
		});
		expect(JSON.stringify(registry.data)).not.toMatch(/1[3-9]\d{9}|\d{17}[\dX]/);
		await users.secretary.rpc('care_registry', { p_unit: BAIZHAOPAI });
		const [row] = await rows<{ unit_code: string; purpose: string; detail: { rows: number } }>(
			`select unit_code, purpose, detail from audit_log
			where action = 'read_personal' and user_id = $1 and table_name = 'residents'`,
			[SECRETARY]
		);
		expect(row).toEqual({
			unit_code: BAIZHAOPAI,
			purpose: '查看特殊人群名册',
			detail: { rows: registry.data.length }
		});
		expect(await audits('read_personal', 'residents', SECRETARY)).toBe(1);
		for (const who of [users.volunteer, users.leader]) {
			const refused = await who.rpc('care_registry', { p_unit: BAIZHAOPAI });
			expect(refused.error?.code).toBe('42501');
		}
		expect((await users.secretary.rpc('care_registry', { p_unit: SHANGPING })).error?.code).toBe('42501');
	});

	it('audits a building’s households and the not-re-screened list for staff; heads are not read around them', async () => {
		const direct = await users.commander.from('households').select('head_name').limit(5);
		expect(direct.error?.code).toBe('42501');
		const masked = await users.commander.from('households').select('phone_masked').limit(5);
		expect(masked.error?.code).toBe('42501');
		await db.query(
			`delete from audit_log where action = 'read_personal' and user_id = $1 and table_name = 'households'`,
			[COMMANDER]
		);
		for (let i = 0; i < 2; i++) {
			const b = await users.commander.rpc('board_households', { p_building_id: fresh[3].building_id });
			expect(b.error).toBeNull();
			expect(b.data.households[0].head_name).not.toMatch(/\*/);
		}
		const stale = await users.commander.rpc('households_not_rescreened', {
			p_unit: BAIZHAOPAI,
			p_days: 7,
			p_limit: 20
		});
		expect(stale.error).toBeNull();
		const logged = await rows<{ unit_code: string; record_id: string | null; purpose: string }>(
			`select unit_code, record_id::text, purpose from audit_log
			where action = 'read_personal' and user_id = $1 and table_name = 'households' order by id`,
			[COMMANDER]
		);
		expect(logged).toEqual([
			{ unit_code: fresh[3].grid_code, record_id: String(fresh[3].building_id), purpose: '查看楼栋住户' },
			{ unit_code: BAIZHAOPAI, record_id: null, purpose: '查看未复摸排住户名单' }
		]);
		// A volunteer's board holds no names: nothing to audit.
		const before = await count(`select count(*) n from audit_log where action = 'read_personal'`);
		await users.volunteer.rpc('board_households', { p_building_id: fresh[3].building_id });
		expect(await count(`select count(*) n from audit_log where action = 'read_personal'`)).toBe(before);
	});

	it('writes an export row for each briefing download, for those who may read the briefing', async () => {
		const before = await count(
			`select count(*) n from audit_log where action = 'export' and table_name = 'briefing'`
		);
		const pdf = await users.leader.rpc('audit_briefing_download', {
			p_unit: '5105',
			p_as_of: '2020-02-10',
			p_format: 'pdf'
		});
		expect(pdf.error).toBeNull();
		const xlsx = await users.secretary.rpc('audit_briefing_download', {
			p_unit: BAIZHAOPAI,
			p_as_of: '2020-02-10',
			p_format: 'xlsx'
		});
		expect(xlsx.error).toBeNull();
		const [last] = await rows<{ unit_code: string; user_id: string; detail: unknown }>(
			`select unit_code, user_id::text, detail from audit_log where action = 'export' and table_name = 'briefing'
			order by id desc limit 1`
		);
		expect(last).toEqual({
			unit_code: BAIZHAOPAI,
			user_id: SECRETARY,
			detail: { as_of: '2020-02-10', format: 'xlsx' }
		});
		const refused = [
			await users.volunteer.rpc('audit_briefing_download', {
				p_unit: BAIZHAOPAI,
				p_as_of: '2020-02-10',
				p_format: 'pdf'
			}),
			await users.secretary.rpc('audit_briefing_download', {
				p_unit: SHANGPING,
				p_as_of: '2020-02-10',
				p_format: 'pdf'
			}),
			await users.secretary.rpc('audit_briefing_download', {
				p_unit: BAIZHAOPAI,
				p_as_of: '2020-02-10',
				p_format: 'docx'
			})
		];
		expect(refused.map((r) => r.error?.code)).toEqual(['42501', '42501', '22023']);
		expect(
			await count(`select count(*) n from audit_log where action = 'export' and table_name = 'briefing'`)
		).toBe(before + 2);
	});
});

describe('8. EXECUTE on definer functions', () => {
	/**
	 * Who may run each security-definer function of `public`, `private` and `guard`: EXECUTE on the function and USAGE on
	 * its schema. Trigger functions are left out (they run only as triggers, whoever holds EXECUTE). A new
	 * definer function, or a blanket `grant execute on all functions`, fails this until the list says why.
	 */
	async function executable(role: string): Promise<string[]> {
		return (
			await rows<{ f: string }>(
				`select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' f
				from pg_proc p join pg_namespace n on n.oid = p.pronamespace
				where n.nspname in ('public', 'private', 'guard') and p.prosecdef and p.prorettype <> 'trigger'::regtype
					and has_schema_privilege($1, n.oid, 'USAGE') and has_function_privilege($1, p.oid, 'EXECUTE')
				order by 1`,
				[role]
			)
		).map((r) => r.f);
	}

	it('gives anon only the session guard, and members the RPCs and the helpers their own statements call, nothing more', async () => {
		// PostgREST runs the db-pre-request as the request's role, anon included (20261208000100_session_guard).
		expect(await executable('anon')).toEqual(['guard.check_session()']);
		expect(await executable('authenticated')).toEqual([
			'guard.check_session()',
			// Realtime's join policy asks it (20261208000200_realtime).
			'guard.session_alive()',
			// Helpers that policies and security-invoker RPCs call as the member.
			// copy_roster_day (invoker) refuses days outside the response with it.
			'private.check_day(p_unit text, p_day date, p_ahead integer)',
			'private.household_grid(p_household_id bigint)',
			'private.lock_checkpoints(p_ids bigint[])',
			'private.lock_volunteers(p_ids bigint[])',
			'private.my_role()',
			'private.my_unit()',
			'private.my_volunteer_id()',
			// claim_building (invoker) takes the round open now when none is named.
			'private.open_round_at(p_grid text, p_at timestamp with time zone)',
			'private.raise_shift_conflict(p_volunteer_id bigint, p_period tstzrange, p_exclude bigint)',
			'private.round_on(p_unit text, p_day date)',
			'private.screening_key_exists(p_key uuid)',
			// The RPCs (each checks role and scope itself); purge_personal_data is the operator's alone.
			'public.add_member(p_user_id uuid, p_role text, p_unit text, p_display_name text)',
			'public.audit_briefing_download(p_unit text, p_as_of date, p_format text)',
			'public.audit_password_reset(p_user_id uuid)',
			'public.board_buildings(p_unit text, p_round_id bigint)',
			'public.board_households(p_building_id bigint, p_round_id bigint)',
			'public.care_registry(p_unit text)',
			'public.change_member(p_user_id uuid, p_role text, p_unit text)',
			'public.close_round(p_round_id bigint)',
			'public.coverage_by_unit(p_unit text, p_as_of date, p_round_id bigint, p_valid_days integer)',
			'public.daily_briefing(p_unit text, p_as_of date)',
			'public.end_response(p_response_id bigint, p_reason text, p_ended_on date)',
			'public.export_special_groups(p_unit text, p_purpose text)',
			'public.export_unit(p_unit text, p_kind text, p_purpose text)',
			'public.extend_round(p_round_id bigint, p_ends_on date)',
			'public.hours_served(p_unit text, p_from date, p_to date, p_by text)',
			'public.households_not_rescreened(p_unit text, p_days integer, p_as_of date, p_limit integer)',
			'public.import_households(p_community text, p_rows jsonb, p_dry_run boolean)',
			'public.import_residents(p_community text, p_rows jsonb, p_dry_run boolean)',
			'public.import_volunteers(p_rows jsonb, p_dry_run boolean)',
			'public.lagging_units(p_unit text, p_as_of date, p_level text, p_valid_days integer, p_limit integer)',
			'public.map_buildings(p_unit text, p_as_of date, p_round_id bigint)',
			'public.map_checkpoints(p_unit text, p_at timestamp with time zone)',
			'public.map_leads(p_unit text, p_as_of date)',
			'public.map_on_duty(p_unit text, p_at timestamp with time zone)',
			'public.map_screening_heat(p_unit text, p_as_of date, p_days integer)',
			'public.map_special_groups(p_unit text)',
			'public.my_tasks()',
			'public.open_response(p_unit text, p_name text, p_started_on date, p_retention_days integer)',
			'public.open_round(p_unit text, p_name text, p_ends_on date, p_starts_on date, p_valid_days integer)',
			'public.organisation_overview(p_unit text, p_as_of date)',
			'public.retention_due_on(p_response_id bigint)',
			'public.reveal_id_number(p_resident_id bigint, p_purpose text)',
			'public.reveal_phone(p_table text, p_id bigint, p_purpose text)',
			'public.roster_candidates(p_checkpoint_id bigint, p_starts timestamp with time zone, p_ends timestamp with time zone, p_organisation_id bigint, p_team_id bigint, p_skill text, p_home_unit text, p_free_only boolean, p_limit integer)',
			'public.roster_day(p_unit text, p_day date, p_slots jsonb)',
			'public.roster_export(p_unit text, p_from date, p_to date)',
			'public.save_grid_boundaries(p_community text, p_grids jsonb, p_moves jsonb)',
			'public.set_member_active(p_user_id uuid, p_active boolean, p_reason text)',
			'public.unit_dashboard(p_unit text, p_as_of date, p_at timestamp with time zone, p_stale_days integer, p_round_id bigint)',
			// Yes or no for a unit code outside the member's scope: "no such unit" (404) rather than "forbidden".
			'public.unit_exists(p_code text)',
			'public.unit_members(p_unit text)',
			'public.update_my_request(p_request_id bigint, p_status text)'
		]);
	});

	it('keeps the counters’ rebuild and the unscoped aggregates away from members', async () => {
		for (const f of [
			'private.rebuild_coverage_counters()',
			'private.leads_as_of(text, timestamptz)',
			'private.served_shifts(text, timestamptz)'
		]) {
			const [{ ok }] = await rows<{ ok: boolean }>(
				`select has_function_privilege('authenticated', $1::regprocedure, 'EXECUTE') ok`,
				[f]
			);
			expect(ok, f).toBe(false);
		}
	});
});
