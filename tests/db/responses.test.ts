/**
 * Responses and rounds (issue #15, migrations …0150_responses and …1207000200_response_runs) through supabase-js
 * as each demo role: who opens, ends, extends and closes what; nesting responses and overlapping rounds refused;
 * every function that takes a date refuses a day outside the response or after today; a screening lands in the
 * round open over its grid; every change audited.
 *
 * The tests open a response over 泸县 (510521, no demo data of its own), and remove it, its rounds and its audit
 * rows before and after, so a kept data folder gives the same results run after run.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, signedIn } from './clients';
import { stack } from './stack-env';

const LUXIAN = '510521';
const BAIZHAOPAI = '510502001006';
const NAME = '库测试泸县响应';

let db: pg.Client;
const users: Record<string, SupabaseClient> = {};

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
	return (await db.query(sql, params)).rows as T[];
}

/** Today and a day offset from it, in China Standard Time. */
const day = (offset = 0) =>
	new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

async function cleanUp() {
	await db.query(`delete from audit_log where table_name in ('responses', 'screening_rounds')
		and (unit_code like '${LUXIAN}%' or purpose like '%库测试%')`);
	await db.query(`delete from screening_rounds where name like '库测试%'`);
	await db.query(`delete from responses where name like '库测试%'`);
}

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	for (const k of ['secretary', 'shangping', 'commander', 'leader', 'xuyong', 'volunteer'] as const)
		users[k] = await signedIn(DEMO[k]);
	await cleanUp();
});

afterAll(async () => {
	if (db) await cleanUp();
	await db?.end();
});

describe('responses', () => {
	it('are seen inside and above their unit, never beside it', async () => {
		const seen = async (who: SupabaseClient) =>
			((await who.from('responses').select('id').order('id')).data ?? []).map((r) => r.id);
		expect(await seen(users.secretary)).toEqual([1, 2]);
		expect(await seen(users.leader)).toEqual([1, 2]);
		// 叙永县 lies beside 江阳区: the drill is not its business.
		expect(await seen(users.xuyong)).toEqual([1]);
		const direct = await users.leader
			.from('responses')
			.insert({ unit_code: LUXIAN, name: NAME, started_on: day() });
		expect(direct.error?.code).toBe('42501');
	});

	it('are opened and ended by the leader of the unit, one running over nesting units, with an audit row', async () => {
		for (const who of ['secretary', 'commander', 'volunteer'] as const) {
			const r = await users[who].rpc('open_response', { p_unit: LUXIAN, p_name: NAME });
			expect(r.error?.hint).toBe('not_allowed');
		}
		const beside = await users.xuyong.rpc('open_response', { p_unit: LUXIAN, p_name: NAME });
		expect(beside.error?.hint).toBe('outside_scope');
		// 江阳区 runs its drill: nothing over it, above it or below it opens meanwhile.
		const nested = await users.leader.rpc('open_response', { p_unit: '510502001', p_name: NAME });
		expect(nested.error).toMatchObject({
			hint: 'response_running',
			message: '已有进行中的应急响应：江阳区聚集性疫情处置演练'
		});
		const city = await users.leader.rpc('open_response', { p_unit: '5105', p_name: NAME });
		expect(city.error?.hint).toBe('response_running');
		const early = await users.leader.rpc('open_response', {
			p_unit: LUXIAN,
			p_name: NAME,
			p_started_on: day(-31)
		});
		expect(early.error?.hint).toBe('bad_dates');

		const opened = await users.leader.rpc('open_response', {
			p_unit: LUXIAN,
			p_name: NAME,
			p_started_on: day(-2)
		});
		expect(opened.error).toBeNull();
		expect(opened.data).toMatchObject({ unit_code: LUXIAN, name: NAME, started_on: day(-2), ended_on: null });
		const again = await users.leader.rpc('open_response', { p_unit: LUXIAN, p_name: `${NAME}2` });
		expect(again.error?.hint).toBe('response_running');

		const noReason = await users.leader.rpc('end_response', { p_response_id: opened.data.id, p_reason: ' ' });
		expect(noReason.error?.hint).toBe('reason_missing');
		const notHis = await users.xuyong.rpc('end_response', {
			p_response_id: opened.data.id,
			p_reason: '库测试'
		});
		expect(notHis.error?.hint).toBe('outside_scope');
		const ended = await users.leader.rpc('end_response', {
			p_response_id: opened.data.id,
			p_reason: '库测试结束'
		});
		expect(ended.error).toBeNull();
		expect(ended.data.ended_on).toBe(day());
		const twice = await users.leader.rpc('end_response', {
			p_response_id: opened.data.id,
			p_reason: '库测试结束'
		});
		expect(twice.error?.hint).toBe('response_ended');
		// A new response may not reach back into the ended one's days.
		const overlap = await users.leader.rpc('open_response', {
			p_unit: LUXIAN,
			p_name: NAME,
			p_started_on: day(-1)
		});
		expect(overlap.error?.hint).toBe('response_overlap');

		expect(
			await rows(
				`select action, purpose, detail->>'op' as op from audit_log
				where table_name = 'responses' and record_id = $1 order by id`,
				[opened.data.id]
			)
		).toEqual([
			{ action: 'response', purpose: `开启应急响应：${NAME}`, op: 'open' },
			{ action: 'response', purpose: '结束应急响应：库测试结束', op: 'end' }
		]);
	});
});

describe('rounds', () => {
	it('are opened, extended and closed by the unit’s staff inside a running response, never overlapping', async () => {
		const grid = `${BAIZHAOPAI}001`;
		const open = (who: SupabaseClient, unit: string, name: string, starts = day(), ends = day(5)) =>
			who.rpc('open_round', {
				p_unit: unit,
				p_name: name,
				p_starts_on: starts,
				p_ends_on: ends,
				p_valid_days: 7
			});

		expect((await open(users.leader, grid, '库测试轮次')).error?.hint).toBe('not_allowed');
		expect((await open(users.volunteer, grid, '库测试轮次')).error?.hint).toBe('not_allowed');
		expect((await open(users.shangping, grid, '库测试轮次')).error?.hint).toBe('outside_scope');
		const direct = await users.secretary
			.from('screening_rounds')
			.insert({ response_id: 2, unit_code: grid, name: '库测试直写', starts_on: day(), ends_on: day(3) });
		expect(direct.error?.code).toBe('42501');

		const first = await open(users.secretary, grid, '库测试轮次');
		expect(first.error).toBeNull();
		expect(first.data).toMatchObject({ response_id: 2, unit_code: grid, starts_on: day(), ends_on: day(5) });
		const overlapping = await open(users.commander, grid, '库测试轮次二', day(3), day(8));
		expect(overlapping.error).toMatchObject({ hint: 'round_overlap', code: '23P01' });
		expect(overlapping.error?.message).toContain('库测试轮次');
		// Another unit may run its own round on the same days.
		const beside = await open(users.secretary, `${BAIZHAOPAI}002`, '库测试轮次三');
		expect(beside.error).toBeNull();

		const extended = await users.commander.rpc('extend_round', {
			p_round_id: first.data.id,
			p_ends_on: day(9)
		});
		expect(extended.error).toBeNull();
		expect(extended.data.ends_on).toBe(day(9));
		const intoPast = await users.secretary.rpc('extend_round', {
			p_round_id: first.data.id,
			p_ends_on: day(-1)
		});
		expect(intoPast.error?.hint).toBe('bad_dates');

		const closed = await users.secretary.rpc('close_round', { p_round_id: first.data.id });
		expect(closed.error).toBeNull();
		expect(closed.data.ends_on).toBe(day());
		const reopen = await users.secretary.rpc('extend_round', {
			p_round_id: first.data.id,
			p_ends_on: day(9)
		});
		expect(reopen.error?.hint).toBe('round_closed');
		expect(
			(
				await rows<{ op: string }>(
					`select detail->>'op' as op from audit_log where table_name = 'screening_rounds' and record_id = $1 order by id`,
					[first.data.id]
				)
			).map((r) => r.op)
		).toEqual(['open', 'extend', 'close']);
	});

	it('are refused outside a running response', async () => {
		const r = await users.commander.rpc('open_round', {
			p_unit: '510502001',
			p_name: '库测试轮次',
			p_starts_on: '2020-03-01',
			p_ends_on: '2020-03-10'
		});
		expect(r.error?.hint).toBe('bad_dates');
	});
});

describe('days outside the response', () => {
	const dated: [
		string,
		(who: SupabaseClient, d: string) => PromiseLike<{ error: { hint?: string } | null }>
	][] = [
		['unit_dashboard', (w, d) => w.rpc('unit_dashboard', { p_unit: BAIZHAOPAI, p_as_of: d })],
		['coverage_by_unit', (w, d) => w.rpc('coverage_by_unit', { p_unit: BAIZHAOPAI, p_as_of: d })],
		['map_buildings', (w, d) => w.rpc('map_buildings', { p_unit: BAIZHAOPAI, p_as_of: d })],
		['map_leads', (w, d) => w.rpc('map_leads', { p_unit: BAIZHAOPAI, p_as_of: d })],
		['map_screening_heat', (w, d) => w.rpc('map_screening_heat', { p_unit: BAIZHAOPAI, p_as_of: d })],
		[
			'map_checkpoints',
			(w, d) => w.rpc('map_checkpoints', { p_unit: BAIZHAOPAI, p_at: `${d}T10:00:00+08:00` })
		],
		['map_on_duty', (w, d) => w.rpc('map_on_duty', { p_unit: BAIZHAOPAI, p_at: `${d}T10:00:00+08:00` })],
		['lagging_units', (w, d) => w.rpc('lagging_units', { p_unit: BAIZHAOPAI, p_as_of: d, p_level: 'grid' })],
		['organisation_overview', (w, d) => w.rpc('organisation_overview', { p_unit: BAIZHAOPAI, p_as_of: d })],
		['daily_briefing', (w, d) => w.rpc('daily_briefing', { p_unit: BAIZHAOPAI, p_as_of: d })],
		[
			'households_not_rescreened',
			(w, d) => w.rpc('households_not_rescreened', { p_unit: BAIZHAOPAI, p_days: 7, p_as_of: d })
		],
		['roster_export', (w, d) => w.rpc('roster_export', { p_unit: BAIZHAOPAI, p_from: d, p_to: d })],
		['copy_roster_day', (w, d) => w.rpc('copy_roster_day', { p_unit: BAIZHAOPAI, p_from: d, p_to: day(20) })]
	];

	it('are refused by every function that takes a date, with the reason as a hint', async () => {
		const who = users.secretary;
		for (const [name, call] of dated) {
			// In 2100: after today. Between the two responses: in none. Inside each: answered.
			expect((await call(who, '2100-01-01')).error?.hint, `${name} 2100`).toBe('date_after_today');
			expect((await call(who, '2024-06-01')).error?.hint, `${name} 2024`).toBe('date_outside_response');
			if (name === 'copy_roster_day') continue; // it writes: its in-range call is the roster tests'
			expect((await call(who, '2020-03-01')).error, `${name} 2020`).toBeNull();
			expect((await call(who, day())).error, `${name} today`).toBeNull();
		}
		const roster = await who.rpc('roster_day', { p_unit: BAIZHAOPAI, p_day: day(30) });
		expect(roster.error?.hint).toBe('date_after_today');
		expect((await who.rpc('roster_day', { p_unit: BAIZHAOPAI, p_day: day(14) })).error).toBeNull();
	});

	it('start the series at the response’s first day', async () => {
		const { data, error } = await users.secretary.rpc('unit_dashboard', {
			p_unit: BAIZHAOPAI,
			p_as_of: day()
		});
		expect(error).toBeNull();
		const [drill] = await rows<{ started_on: string }>(`select started_on::text from responses where id = 2`);
		expect(data.coverage_series[0].day).toBe(drill.started_on);
		expect(data.coverage_series.at(-1).day).toBe(day());
		expect(data.round_id).toBe(3);
	});
});

describe('screenings and rows of a response', () => {
	it('land in the round open over their grid, and leads in the response of their unit and day', async () => {
		const [h] = await rows<{ id: string; grid_code: string }>(
			`select id, grid_code from households where community_code = $1 order by id limit 1`,
			[BAIZHAOPAI]
		);
		// The community's own round, narrower than the drill's district-wide round, takes today's screenings.
		const own = await users.secretary.rpc('open_round', {
			p_unit: BAIZHAOPAI,
			p_name: '库测试社区轮次',
			p_ends_on: day(3)
		});
		expect(own.error).toBeNull();
		const key = crypto.randomUUID();
		const rec = await users.secretary.rpc('record_screening', {
			p_idempotency_key: key,
			p_household_id: Number(h.id),
			p_round_id: 1, // what an old phone might send: the database files it where it belongs
			p_method: 'phone',
			p_outcome: 'normal',
			p_note: '库测试'
		});
		expect(rec.error).toBeNull();
		const [stored] = await rows<{ round_id: string }>(
			`select round_id from screenings where idempotency_key = $1`,
			[key]
		);
		expect(Number(stored.round_id)).toBe(own.data.id);
		await db.query(`delete from screenings where idempotency_key = $1`, [key]);

		const lead = await users.secretary
			.from('leads')
			.insert({ grid_code: h.grid_code, title: '库测试线索' })
			.select('id, response_id')
			.single();
		expect(lead.error).toBeNull();
		expect(lead.data!.response_id).toBe(2);
		await db.query(`delete from leads where id = $1`, [lead.data!.id]);
	});
});
