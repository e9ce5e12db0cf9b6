/**
 * Responses and rounds under real concurrency, on a PostgreSQL 15 server (PGlite is one session): every call runs
 * the way PostgREST runs a request (a transaction with `role` and `request.jwt.claims` set locally, the call,
 * commit), each from its own connection, all released at once.
 *
 *   - leaders opening responses over nesting units at once: exactly one runs, the others are told which;
 *   - staff opening rounds over one unit on overlapping days at once: exactly one lands, the others are told
 *     which round is in the way (the exclusion constraint, in Chinese);
 *   - a day outside the response, or after today, is refused by the date-taking functions here too.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPg15, type Pg15 } from '../../scripts/pg15';

const CITY = '9990';
const DISTRICT = '999001';
const STREET = '999001001';
const COMMUNITY = '999001001001';
const LEADER = '00000000-0000-4000-8000-00000000d001';
const STAFF = Array.from(
	{ length: 8 },
	(_, i) => `00000000-0000-4000-8000-0000000d01${String(i).padStart(2, '0')}`
);

let server: Pg15;
let admin: pg.Client;
let pool: pg.Pool;

type Outcome = { ok: true; value: unknown } | { ok: false; error: pg.DatabaseError };

async function atOnce(calls: { user: string; sql: string; params: unknown[] }[]): Promise<Outcome[]> {
	const open = await Promise.all(
		calls.map(async (call) => {
			const c = await pool.connect();
			await c.query('begin');
			await c.query(
				`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
				[JSON.stringify({ sub: call.user, role: 'authenticated' })]
			);
			return c;
		})
	);
	return Promise.all(
		calls.map(async (call, i) => {
			const c = open[i];
			try {
				const { rows } = await c.query(call.sql, call.params);
				await c.query('commit');
				return { ok: true as const, value: rows[0]?.result };
			} catch (error) {
				await c.query('rollback');
				return { ok: false as const, error: error as pg.DatabaseError };
			} finally {
				c.release();
			}
		})
	);
}

beforeAll(async () => {
	server = await startPg15({ settings: { max_connections: '40' } });
	admin = new pg.Client({ connectionString: server.url });
	await admin.connect();
	pool = new pg.Pool({ connectionString: server.url, max: 20 });
	pool.on('connect', (c) => c.on('error', () => {}));
	pool.on('error', () => {});
	for (const [code, level, parent] of [
		[CITY, 'city', null],
		[DISTRICT, 'district', CITY],
		['999002', 'district', CITY],
		[STREET, 'street', DISTRICT],
		[COMMUNITY, 'community', STREET]
	])
		await admin.query(`insert into units (code, name, level, parent_code) values ($1, $1, $2, $3)`, [
			code,
			level,
			parent
		]);
	for (const [id, role, unit] of [
		[LEADER, 'leader', CITY],
		...STAFF.map((id) => [id, 'secretary', COMMUNITY])
	]) {
		await admin.query(`insert into auth.users (id, email, email_confirmed_at) values ($1, $2, now())`, [
			id,
			`${id}@pg15.test`
		]);
		await admin.query(`insert into memberships (user_id, role, unit_code) values ($1, $2, $3)`, [
			id,
			role,
			unit
		]);
	}
}, 120_000);

afterAll(async () => {
	await pool?.end();
	await admin?.end();
	await server?.stop();
});

describe('responses and rounds on PostgreSQL 15', () => {
	it('runs one of several responses over nesting units opened at once', async () => {
		// A district beside runs its own: the city, above both, cannot open now.
		const beside = await atOnce([
			{ user: LEADER, sql: `select public.open_response('999002', '并发旁区') as result`, params: [] }
		]);
		expect(beside[0].ok).toBe(true);
		const units = [DISTRICT, STREET, CITY, DISTRICT, STREET, CITY];
		const results = await atOnce(
			units.map((unit, i) => ({
				user: LEADER,
				sql: `select public.open_response($1, $2) as result`,
				params: [unit, `并发响应${i}`]
			}))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		for (const r of results)
			if (!r.ok) {
				expect(r.error.hint).toBe('response_running');
				expect(r.error.message).toMatch(/^已有进行中的应急响应：(并发响应\d|并发旁区)$/);
			}
		const { rows } = await admin.query(
			`select unit_code from responses where ended_on is null order by unit_code`
		);
		expect(rows.map((r) => r.unit_code)).toHaveLength(2);
		expect([DISTRICT, STREET]).toContain(rows.find((r) => r.unit_code !== '999002').unit_code);
	});

	it('lands one of several overlapping rounds over one unit opened at once, and names it to the others', async () => {
		const results = await atOnce(
			STAFF.map((user, i) => ({
				user,
				sql: `select public.open_round($1, $2, current_date + $3::int) as result`,
				params: [COMMUNITY, `并发轮次${i}`, 3 + i]
			}))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		for (const r of results)
			if (!r.ok) {
				expect(r.error.code).toBe('23P01');
				expect(r.error.hint).toBe('round_overlap');
				expect(r.error.message).toMatch(/^与本单位的摸排轮次「并发轮次\d」/);
			}
		const { rows } = await admin.query(`select count(*)::int n from screening_rounds where unit_code = $1`, [
			COMMUNITY
		]);
		expect(rows[0].n).toBe(1);
	});

	it('refuses a day after today or outside the response, as it does on the embedded stack', async () => {
		const [late, before, today] = await atOnce([
			{
				user: STAFF[0],
				sql: `select public.unit_dashboard($1, '2100-01-01') as result`,
				params: [COMMUNITY]
			},
			{
				user: STAFF[0],
				sql: `select public.unit_dashboard($1, current_date - 40) as result`,
				params: [COMMUNITY]
			},
			{
				user: STAFF[0],
				sql: `select public.unit_dashboard($1, (now() at time zone 'Asia/Shanghai')::date) as result`,
				params: [COMMUNITY]
			}
		]);
		expect(!late.ok && late.error.hint).toBe('date_after_today');
		expect(!before.ok && before.error.hint).toBe('date_outside_response');
		expect(today.ok).toBe(true);
	});
});
