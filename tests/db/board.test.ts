/**
 * The screening board (migration 20261129001300) through supabase-js as each demo role, against the seeded
 * embedded stack: a submission stored once however often it is sent (checklist 20), a volunteer screening her
 * own community and nothing outside it, claims (who holds a building, until when, expiry without a job, who may
 * release), what the board reads per role (names masked for volunteers, nothing for leaders), the same status
 * rule in SQL and in TypeScript, and the households not re-screened in N days. Concurrency: pg15-claims.test.ts.
 *
 * Rows written here carry the note 库测试 or lie on buildings whose claims are cleared before and after, so a
 * kept data folder (DB_TEST_DATA_DIR) gives the same results run after run.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	buildingStatus,
	householdStatus,
	reached,
	tally,
	type ScreeningEntry
} from '../../src/lib/domain/screening';
import { DEMO, signedIn } from './clients';
import { stack } from './stack-env';

const BAIZHAOPAI = '510502001006';
const SHANGPING = '510502001001';
const NOTE = '库测试';

let db: pg.Client;
const users: Record<string, SupabaseClient> = {};
/** Households of 白招牌社区 nobody screened in round 2, and one of 上平社区. */
let fresh: { id: number; grid_code: string; building_id: number }[];
let shangpingHousehold: number;
/** Two buildings of 白招牌社区 whose claims the tests own. */
let buildingA: number;
let buildingB: number;

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
	return (await db.query(sql, params)).rows as T[];
}

async function cleanUp(): Promise<void> {
	await db.query(`delete from screenings where note = $1`, [NOTE]);
	await db.query(`delete from building_claims where building_id = any ($1)`, [[buildingA, buildingB]]);
}

function submission(household: number, extra: Record<string, unknown> = {}) {
	return {
		p_idempotency_key: randomUUID(),
		p_household_id: household,
		p_round_id: 2,
		p_method: 'door',
		p_outcome: 'normal',
		p_flags: [],
		p_note: NOTE,
		p_screened_at: new Date().toISOString(),
		...extra
	};
}

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	for (const k of ['secretary', 'shangping', 'commander', 'leader', 'volunteer'] as const)
		users[k] = await signedIn(DEMO[k]);
	fresh = (
		await rows<{ id: string; grid_code: string; building_id: string }>(
			`select h.id, h.grid_code, h.building_id from households h
			where h.community_code = $1 and not exists (
				select 1 from screenings s where s.household_id = h.id and s.round_id = 2 and coalesce(s.note, '') <> $2)
			order by h.id limit 6`,
			[BAIZHAOPAI, NOTE]
		)
	).map((r) => ({ id: Number(r.id), grid_code: r.grid_code, building_id: Number(r.building_id) }));
	expect(fresh.length).toBe(6);
	shangpingHousehold = Number(
		(
			await rows<{ id: string }>(`select min(id) id from households where community_code = $1`, [SHANGPING])
		)[0].id
	);
	const buildings = await rows<{ id: string }>(
		`select id from buildings where community_code = $1 order by id desc limit 2`,
		[BAIZHAOPAI]
	);
	[buildingA, buildingB] = buildings.map((b) => Number(b.id));
	await cleanUp();
});

afterAll(async () => {
	if (db) await cleanUp();
	await db?.end();
});

describe('recording a screening (checklist 20)', () => {
	it('stores a submission once, however often it is sent, and says which time stored it', async () => {
		const s = submission(fresh[0].id);
		const first = await users.secretary.rpc('record_screening', s);
		expect(first).toMatchObject({ error: null, data: { stored: true } });
		for (let i = 0; i < 3; i++) {
			const again = await users.secretary.rpc('record_screening', s);
			expect(again).toMatchObject({ error: null, data: { stored: false } });
		}
		const stored = await rows<{ n: string; grid_code: string; by: string }>(
			`select count(*) n, min(grid_code) grid_code, min(screened_by_user::text) by from screenings where idempotency_key = $1`,
			[s.p_idempotency_key]
		);
		expect(stored[0]).toEqual({
			n: '1',
			grid_code: fresh[0].grid_code,
			by: '00000000-0000-4000-8000-000000000001'
		});
	});

	it('lets the volunteer screen her home community, records who, and refuses other communities', async () => {
		const s = submission(fresh[1].id, { p_method: 'phone' });
		const ok = await users.volunteer.rpc('record_screening', s);
		expect(ok).toMatchObject({ error: null, data: { stored: true } });
		const [row] = await rows<{ volunteer: string | null; by: string }>(
			`select s.screened_by_volunteer_id::text volunteer, s.screened_by_user::text by from screenings s
			where s.idempotency_key = $1`,
			[s.p_idempotency_key]
		);
		const [me] = await rows<{ volunteer_id: string }>(
			`select volunteer_id from memberships where user_id = '00000000-0000-4000-8000-000000000004'`
		);
		expect(row).toEqual({ volunteer: me.volunteer_id, by: '00000000-0000-4000-8000-000000000004' });

		const outside = await users.volunteer.rpc('record_screening', submission(shangpingHousehold));
		expect(outside.error).toMatchObject({
			code: '42501',
			hint: 'outside_scope',
			message: '该住户不在你的管辖范围内'
		});
		// Straight into the table with her own grid forged on it: the household decides the grid, and RLS refuses.
		const forged = await users.volunteer.from('screenings').insert({
			round_id: 2,
			household_id: shangpingHousehold,
			grid_code: fresh[1].grid_code,
			screened_at: new Date().toISOString(),
			method: 'door',
			outcome: 'normal',
			note: NOTE
		});
		expect(forged.error?.code).toBe('42501');
		expect(
			await rows(`select 1 from screenings where household_id = $1 and note = $2`, [shangpingHousehold, NOTE])
		).toEqual([]);
		// The leader records nothing.
		const leader = await users.leader.rpc('record_screening', submission(fresh[2].id));
		expect(leader.error).toMatchObject({ code: '42501', hint: 'outside_scope' });
	});

	it('files a screening under its household’s grid whatever grid the client sent', async () => {
		const otherGrid = fresh.find((h) => h.grid_code !== fresh[2].grid_code)?.grid_code ?? `${BAIZHAOPAI}001`;
		const wrong = otherGrid === fresh[2].grid_code ? `${BAIZHAOPAI}002` : otherGrid;
		const { error } = await users.secretary.from('screenings').insert({
			round_id: 2,
			household_id: fresh[2].id,
			grid_code: wrong,
			screened_at: new Date().toISOString(),
			method: 'door',
			outcome: 'normal',
			note: NOTE
		});
		expect(error).toBeNull();
		const [row] = await rows<{ grid_code: string }>(
			`select grid_code from screenings where household_id = $1 and note = $2`,
			[fresh[2].id, NOTE]
		);
		expect(row.grid_code).toBe(fresh[2].grid_code);
	});

	it('refuses a time outside the last 7 days, a grid with no round open, and flags without flagged', async () => {
		const old = await users.secretary.rpc(
			'record_screening',
			submission(fresh[3].id, { p_screened_at: new Date(Date.now() - 8 * 86_400_000).toISOString() })
		);
		expect(old.error).toMatchObject({ hint: 'screened_at_out_of_range', message: '摸排时间须在最近 7 天内' });
		const future = await users.secretary.rpc(
			'record_screening',
			submission(fresh[3].id, { p_screened_at: new Date(Date.now() + 3600_000).toISOString() })
		);
		expect(future.error?.hint).toBe('screened_at_out_of_range');
		// The drill's round closed a minute ago: a screening recorded now has no round to count in, whatever
		// round the phone names; one recorded before the close (an offline entry synced late) still counts.
		await db.query(`update screening_rounds set closed_at = now() - interval '1 minute' where id = 3`);
		try {
			const closed = await users.secretary.rpc(
				'record_screening',
				submission(fresh[3].id, { p_round_id: 3 })
			);
			expect(closed.error?.hint).toBe('no_open_round');
			expect(closed.error?.message).toMatch(/没有进行中的摸排轮次/);
			const before = await users.secretary.rpc(
				'record_screening',
				submission(fresh[3].id, { p_screened_at: new Date(Date.now() - 2 * 3600_000).toISOString() })
			);
			expect(before.error).toBeNull();
			expect(
				await rows(`select round_id::int from screenings where household_id = $1 and note = $2`, [
					fresh[3].id,
					NOTE
				])
			).toEqual([{ round_id: 3 }]);
		} finally {
			await db.query(`update screening_rounds set closed_at = null where id = 3`);
			await db.query(`delete from screenings where household_id = $1 and note = $2`, [fresh[3].id, NOTE]);
		}
		const flags = await users.secretary.rpc(
			'record_screening',
			submission(fresh[3].id, { p_flags: ['fever'] })
		);
		expect(flags.error?.code).toBe('23514');
		expect(
			await rows(`select 1 from screenings where household_id = $1 and note = $2`, [fresh[3].id, NOTE])
		).toEqual([]);
	});
});

describe('claims', () => {
	it('names who holds a building and until when, extends one’s own, and lets it go', async () => {
		const mine = await users.secretary.rpc('claim_building', { p_building_id: buildingA, p_minutes: 60 });
		expect(mine.error).toBeNull();
		expect(mine.data).toMatchObject({
			building_id: buildingA,
			round_id: 3,
			mine: true,
			claimed_by_name: '白招牌社区党委书记'
		});

		const taken = await users.volunteer.rpc('claim_building', { p_building_id: buildingA });
		expect(taken.error).toMatchObject({ code: '23P01', hint: 'building_claimed' });
		expect(taken.error!.message).toMatch(/^该楼栋已由白招牌社区党委书记认领（至 \d\d-\d\d \d\d:\d\d）$/);
		expect(JSON.parse(taken.error!.details!)).toMatchObject({ id: mine.data.id, mine: false });

		// The volunteer sees the claim on the board; the leader sees no claim at all.
		const seen = await users.volunteer
			.from('building_claims')
			.select('id, claimed_by_name')
			.eq('building_id', buildingA);
		expect(seen.data).toEqual([{ id: mine.data.id, claimed_by_name: '白招牌社区党委书记' }]);
		expect((await users.leader.from('building_claims').select('id')).data).toEqual([]);

		const longer = await users.secretary.rpc('claim_building', { p_building_id: buildingA, p_minutes: 240 });
		expect(longer.data.id).toBe(mine.data.id);
		expect(Date.parse(longer.data.expires_at)).toBeGreaterThan(Date.parse(mine.data.expires_at));

		// The volunteer cannot release it; the secretary can, and then the volunteer claims it.
		const notHers = await users.volunteer.rpc('release_building_claim', { p_claim_id: mine.data.id });
		expect(notHers.error?.hint).toBe('claim_not_found');
		expect(
			(await users.secretary.rpc('release_building_claim', { p_claim_id: mine.data.id })).error
		).toBeNull();
		const hers = await users.volunteer.rpc('claim_building', { p_building_id: buildingA });
		expect(hers.data).toMatchObject({ mine: true, claimed_by_name: '白招牌社区志愿者' });
		// Staff release a volunteer's claim (she went home).
		expect(
			(await users.secretary.rpc('release_building_claim', { p_claim_id: hers.data.id })).error
		).toBeNull();
	});

	it('lets an expired claim lapse by itself: a new claim lands, no job needed', async () => {
		// A claim that ran out an hour ago (written around the triggers, as time would have left it).
		await db.query('begin');
		await db.query('set local session_replication_role = replica');
		await db.query(
			`insert into building_claims (building_id, round_id, grid_code, claimed_by, claimed_by_name, claimed_at, expires_at)
			select id, 2, grid_code, '00000000-0000-4000-8000-000000000001', '白招牌社区党委书记', now() - interval '3 hours', now() - interval '1 hour'
			from buildings where id = $1`,
			[buildingB]
		);
		await db.query('commit');
		const board = await users.volunteer.rpc('board_buildings', { p_unit: BAIZHAOPAI });
		expect(board.data.find((b: { id: number }) => b.id === buildingB).claim).toBeNull();
		const claimed = await users.volunteer.rpc('claim_building', { p_building_id: buildingB });
		expect(claimed.error).toBeNull();
		expect(
			await rows(`select 1 from building_claims where building_id = $1`, [buildingB]).then((r) => r.length)
		).toBe(2);
	});

	it('refuses a claim outside the unit, for too long, or by a leader, and keeps claims unedited', async () => {
		const [other] = await rows<{ id: string }>(`select min(id) id from buildings where community_code = $1`, [
			SHANGPING
		]);
		const outside = await users.secretary.rpc('claim_building', { p_building_id: Number(other.id) });
		expect(outside.error?.hint).toBe('building_not_found');
		const long = await users.secretary.rpc('claim_building', { p_building_id: buildingB, p_minutes: 721 });
		expect(long.error?.hint).toBe('claim_minutes');
		const leader = await users.leader.rpc('claim_building', { p_building_id: buildingB });
		expect(leader.error?.code).toBe('42501');
		// Straight at the table: the building of a claim is not the client's to change, nor is a claim deleted.
		const [live] = await rows<{ id: string }>(
			`select id from building_claims where building_id = $1 and released_at is null and expires_at > now()`,
			[buildingB]
		);
		const move = await users.volunteer
			.from('building_claims')
			.update({ building_id: buildingA })
			.eq('id', live.id);
		expect(move.error?.code).toBe('42501');
		const del = await users.volunteer.from('building_claims').delete().eq('id', live.id);
		expect(del.error?.code).toBe('42501');
		const forever = await users.volunteer
			.from('building_claims')
			.update({ expires_at: new Date(Date.now() + 86_400_000).toISOString() })
			.eq('id', live.id);
		expect(forever.error?.hint).toBe('claim_minutes');
	});
});

describe('what the board reads', () => {
	it('shows rooms without names to a volunteer, names in full (phones masked) to the secretary, and nothing to a leader', async () => {
		const building = fresh[0].building_id;
		const staff = await users.secretary.rpc('board_households', { p_building_id: building });
		const volunteer = await users.volunteer.rpc('board_households', { p_building_id: building });
		expect(staff.error).toBeNull();
		expect(volunteer.error).toBeNull();
		const names = await rows<{ id: string; head_name: string }>(
			`select id, head_name from households where building_id = $1 order by id`,
			[building]
		);
		expect(staff.data.households.map((h: { head_name: string }) => h.head_name)).toEqual(
			names.map((n) => n.head_name)
		);
		// A volunteer's board has rooms, not names (checklist 5; health details: security.test.ts).
		for (const h of volunteer.data.households) {
			expect(h.head_name).toBeNull();
			expect(h.phone_masked).toBeNull();
		}
		for (const h of staff.data.households)
			if (h.phone_masked !== null) expect(h.phone_masked).toMatch(/^1\d\d\*{4}\d{4}$/);
		// A screener other than herself is masked for the volunteer.
		const others = volunteer.data.households
			.flatMap((h: { screenings: { by: string | null }[] }) => h.screenings)
			.filter((s: { by: string | null }) => s.by && !s.by.startsWith('白招牌'));
		for (const s of others) expect(s.by).toMatch(/^.\*+$/);

		const leader = await users.leader.rpc('board_households', { p_building_id: building });
		expect(leader.error?.code).toBe('42501');
		const leaderBoard = await users.leader.rpc('board_buildings', { p_unit: BAIZHAOPAI });
		expect(leaderBoard.error?.code).toBe('42501');
		const outside = await users.secretary.rpc('board_buildings', { p_unit: SHANGPING });
		expect(outside.error?.code).toBe('42501');
	});

	it('derives each building’s counts and status by the same rule in SQL and in the app', async () => {
		const board = await users.secretary.rpc('board_buildings', { p_unit: BAIZHAOPAI });
		expect(board.error).toBeNull();
		expect(board.data.length).toBe(113);
		const sample = [
			...board.data.filter((b: { flagged: number }) => b.flagged > 0).slice(0, 2),
			...board.data
				.filter((b: { flagged: number; unreachable: number }) => !b.flagged && b.unreachable)
				.slice(0, 2),
			board.data.find((b: { id: number }) => b.id === fresh[0].building_id)
		];
		for (const b of sample) {
			const detail = await users.secretary.rpc('board_households', { p_building_id: b.id });
			const statuses = detail.data.households.map((h: { screenings: ScreeningEntry[] }) =>
				householdStatus(h.screenings)
			);
			const counts = tally(statuses);
			expect(
				{ ...counts, reached: reached(counts), status: buildingStatus(counts) },
				`building ${b.id}`
			).toEqual({
				not_started: b.not_started,
				unreachable: b.unreachable,
				door: b.door,
				phone: b.phone,
				flagged: b.flagged,
				reached: b.reached,
				status: b.status
			});
		}
		// The building screened above shows its last screening, by whom.
		const screened = board.data.find((b: { id: number }) => b.id === fresh[1].building_id);
		expect(screened.last_screened_by).not.toBeNull();
	});

	it('lists the households not re-screened in N days: the dashboard’s count, and each building’s share', async () => {
		for (const [asOf, days] of [
			['2020-03-15', 7],
			['2020-02-20', 3],
			['2020-03-01', 14]
		] as const) {
			const list = await users.secretary.rpc('households_not_rescreened', {
				p_unit: BAIZHAOPAI,
				p_days: days,
				p_as_of: asOf,
				p_limit: 50
			});
			expect(list.error).toBeNull();
			const dash = await users.secretary.rpc('unit_dashboard', {
				p_unit: BAIZHAOPAI,
				p_as_of: asOf,
				p_stale_days: days
			});
			expect(list.data.total, `${asOf}/${days}`).toBe(dash.data.kpis.stale);
			// Independently, from the records.
			const [independent] = await rows<{ n: string }>(
				`select count(*) n from households h where h.community_code = $1 and coalesce((
					select max((s.screened_at at time zone 'Asia/Shanghai')::date) from screenings s
					where s.household_id = h.id and s.outcome <> 'unreachable'
						and (s.screened_at at time zone 'Asia/Shanghai')::date <= $2::date), '1900-01-01') <= $2::date - $3::int`,
				[BAIZHAOPAI, asOf, days]
			);
			expect(list.data.total).toBe(Number(independent.n));
			expect(list.data.households.length).toBe(Math.min(50, list.data.total));
			expect(list.data.buildings.reduce((t: number, b: { stale: number }) => t + b.stale, 0)).toBe(
				list.data.total
			);
			// Longest waiting first.
			const days_ = list.data.households.map((h: { last_day: string | null }) => h.last_day ?? '');
			expect([...days_].sort()).toEqual(days_);
		}
		const volunteer = await users.volunteer.rpc('households_not_rescreened', {
			p_unit: BAIZHAOPAI,
			p_days: 7
		});
		expect(volunteer.error?.code).toBe('42501');
		const tooMany = await users.secretary.rpc('households_not_rescreened', {
			p_unit: BAIZHAOPAI,
			p_days: 61
		});
		expect(tooMany.error?.hint).toBe('bad_days');
	});

	it('caps a huge limit at PostgREST’s max rows (checklist 13)', async () => {
		const { data, error } = await users.commander.from('screenings').select('id').limit(50_000);
		expect(error).toBeNull();
		expect(data!.length).toBe(1000);
	});
});
