/**
 * Row-level security as each demo role, through supabase-js against the seeded embedded stack (checklist items
 * 1-10 and 17 of shared/docs/security.md). Each denial is asserted next to the allowance it contrasts with, so a
 * broken policy turns a denial into a visible pass of the wrong kind.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { spawnSync } from 'node:child_process';
import { SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, DEMO, signedIn } from './clients';
import { stack } from './stack-env';

let db: pg.Client;
const users: Record<string, SupabaseClient> = {};

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	for (const k of ['secretary', 'shangping', 'commander', 'beicheng', 'leader', 'volunteer'] as const)
		users[k] = await signedIn(DEMO[k]);
});

afterAll(async () => {
	await db?.end();
});

async function sqlCount(sql: string, params: unknown[] = []): Promise<number> {
	const { rows } = await db.query(sql, params);
	return Number(rows[0].n);
}

describe('1. a community secretary', () => {
	it('counts exactly the households of her community', async () => {
		const expected = await sqlCount(
			`select count(*) n from households where community_code = '510502001006'`
		);
		expect(expected).toBe(4943);
		const { count, error } = await users.secretary
			.from('households')
			.select('id', { count: 'exact', head: true });
		expect(error).toBeNull();
		expect(count).toBe(expected);
	});

	it('gets no row for a household of another community', async () => {
		const other = await db.query(`select id from households where community_code = '510502001001' limit 1`);
		const { data, error } = await users.secretary.from('households').select('id').eq('id', other.rows[0].id);
		expect(error).toBeNull();
		expect(data).toEqual([]);
		const own = await users.shangping.from('households').select('id').eq('id', other.rows[0].id);
		expect(own.data).toHaveLength(1);
	});
});

describe('2. a street commander', () => {
	it('sees every community and grid under the street and nothing under a sibling street', async () => {
		const expected = await sqlCount(
			`select count(*) n from units where code like '510502001%' and level in ('community','grid')`
		);
		const { data } = await users.commander.from('units').select('code').in('level', ['community', 'grid']);
		expect(data!.length).toBe(expected);
		expect(data!.every((u) => u.code.startsWith('510502001'))).toBe(true);
		const sibling = await users.commander
			.from('households')
			.select('id')
			.like('grid_code', '510502002%')
			.limit(1);
		expect(sibling.data).toEqual([]);
		const mine = await users.commander
			.from('households')
			.select('id')
			.like('grid_code', '510502001%')
			.limit(1);
		expect(mine.data).toHaveLength(1);
	});

	it('a membership with an empty, wildcard or malformed unit sees nothing', async () => {
		// The table refuses such units outright (foreign key to real unit codes)...
		const user = await db.query(`select id from auth.users where email = 'commander@beicheng.demo'`);
		await expect(
			db.query(`update memberships set unit_code = '5105%' where user_id = $1`, [user.rows[0].id])
		).rejects.toThrow();
		await expect(
			db.query(`update memberships set unit_code = '' where user_id = $1`, [user.rows[0].id])
		).rejects.toThrow();
		// ...and the scope helper ignores anything that is not purely digits, even if one slipped in.
		const { rows } = await db.query(`
			select private.in_scope('510502001006') as a from (select 1) x`);
		expect(rows[0].a).toBeNull(); // no JWT in this session: no scope at all
	});
});

describe('3. writes are scoped too', () => {
	it('refuses moving a row into another unit and inserting into one', async () => {
		const b = await db.query(
			`select id, grid_code from buildings where community_code = '510502001006' limit 1`
		);
		const move = await users.secretary
			.from('buildings')
			.update({ grid_code: '510502001001001', community_code: '510502001001' })
			.eq('id', b.rows[0].id)
			.select('id');
		expect(move.error?.code).toBe('42501');
		const insert = await users.secretary.from('checkpoints').insert({
			community_code: '510502001001',
			name: '越界卡口',
			kind: 'road_checkpoint',
			lon: 105.44,
			lat: 28.88
		});
		expect(insert.error?.code).toBe('42501');
		// Inside her community (its label point): the database refuses checkpoints outside it.
		const label = await db.query(`select center_lon, center_lat from units where code = '510502001006'`);
		const ok = await users.secretary
			.from('checkpoints')
			.insert({
				community_code: '510502001006',
				name: '测试卡口',
				kind: 'road_checkpoint',
				lon: label.rows[0].center_lon,
				lat: label.rows[0].center_lat
			})
			.select('id')
			.single();
		expect(ok.error).toBeNull();
		await db.query(`delete from checkpoints where id = $1`, [ok.data!.id]);
	});
});

describe('4. the municipal leader', () => {
	it('reads no personal rows', async () => {
		for (const table of [
			'households',
			'residents',
			'screenings',
			'volunteers',
			'leads',
			'shifts',
			'service_requests'
		]) {
			const { data, error } = await users.leader.from(table).select('id').limit(5);
			expect(error, table).toBeNull();
			expect(data, table).toEqual([]);
		}
		const phones = await users.leader.from('volunteers').select('phone').limit(1);
		expect(phones.error?.code).toBe('42501');
	});

	it('gets aggregates with cells under 3 suppressed', async () => {
		const { data, error } = await users.leader.rpc('coverage_by_unit', {
			p_unit: '5105',
			p_as_of: '2020-03-15'
		});
		expect(error).toBeNull();
		const city = data.find((r: { is_parent: boolean }) => r.is_parent);
		const expected = await sqlCount(`select count(*) n from households`);
		expect(Number(city.households)).toBe(expected);
		for (const r of data)
			for (const k of ['households', 'screened', 'remaining']) expect([1, 2]).not.toContain(r[k]);
	});
});

describe('5. a volunteer', () => {
	it('sees own shifts and own record only, and no other volunteer’s phone', async () => {
		const me = await db.query(
			`select volunteer_id from memberships m join auth.users u on u.id = m.user_id where u.email = 'volunteer@baizhaopai.demo'`
		);
		const vid = Number(me.rows[0].volunteer_id);
		const shifts = await users.volunteer.from('shifts').select('volunteer_id');
		expect(shifts.data!.length).toBeGreaterThan(0);
		expect(shifts.data!.every((s) => s.volunteer_id === vid)).toBe(true);
		const vols = await users.volunteer.from('volunteers').select('id, phone_masked');
		expect(vols.data!.map((v) => v.id)).toEqual([vid]);
		expect(vols.data![0].phone_masked).toMatch(/^1\d\d\*{4}\d{4}$/);
		const hh = await users.volunteer.from('households').select('id').limit(1);
		expect(hh.data).toEqual([]);
	});
});

describe('6. user metadata changes nothing about access', () => {
	it('claims of role and unit in user metadata are ignored', async () => {
		const c = await signedIn('secretary@shangping.demo');
		const before = await c.from('households').select('id', { count: 'exact', head: true });
		await c.auth.updateUser({ data: { role: 'leader', unit_code: '5105' } });
		await c.auth.refreshSession();
		const after = await c.from('households').select('id', { count: 'exact', head: true });
		expect(after.count).toBe(before.count);
		const street = await c.rpc('coverage_by_unit', { p_unit: '510502001' });
		expect(street.error?.code).toBe('42501');
	});
});

describe('7. tokens', () => {
	it('refuses an expired token, a token signed with another secret, and anonymous requests reach nothing', async () => {
		const user = await db.query(`select id from auth.users where email = 'secretary@baizhaopai.demo'`);
		const claims = { sub: user.rows[0].id, role: 'authenticated', aud: 'authenticated' };
		const expired = await new SignJWT(claims)
			.setProtectedHeader({ alg: 'HS256' })
			.setIssuedAt(1580000000)
			.setExpirationTime(1580003600)
			.sign(new TextEncoder().encode(stack().jwtSecret));
		const forged = await new SignJWT(claims)
			.setProtectedHeader({ alg: 'HS256' })
			.setExpirationTime('1h')
			.sign(new TextEncoder().encode('another-secret-another-secret-another-secret'));
		for (const token of [expired, forged]) {
			const { data, error } = await client(token).from('households').select('id').limit(1);
			expect(data).toBeNull();
			expect(error).not.toBeNull();
		}
		const anon = client();
		for (const table of ['units', 'households', 'memberships', 'volunteers', 'organisations', 'audit_log']) {
			const { data } = await anon.from(table).select('*').limit(1);
			expect(data ?? [], table).toEqual([]);
		}
		const rpc = await anon.rpc('coverage_by_unit', { p_unit: '5105' });
		expect(rpc.error).not.toBeNull();
	});
});

describe('8-10. the catalogue', () => {
	it('every exposed view is security_invoker, every definer function is hidden or closed to anon with an empty search_path', async () => {
		const views = await db.query(`
			select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind in ('v', 'm')
				and not coalesce('security_invoker=true' = any (c.reloptions), false)`);
		expect(views.rows).toEqual([]);
		const definers = await db.query(`
			select p.proname, has_function_privilege('anon', p.oid, 'execute') as anon_exec,
				coalesce(array_to_string(p.proconfig, ','), '') as config
			from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			where p.prosecdef and n.nspname in ('public', 'private')`);
		expect(definers.rows.length).toBeGreaterThan(0);
		for (const f of definers.rows) expect(f.config, f.proname).toContain('search_path=""');
		// Definer functions in the exposed schema are closed to anon; the private schema is closed as a whole.
		expect(definers.rows.find((f) => f.proname === 'reveal_phone')?.anon_exec).toBe(false);
		expect(definers.rows.find((f) => f.proname === 'coverage_by_unit')?.anon_exec).toBe(false);
		const anonSchemaUsage = await db.query(`select has_schema_privilege('anon', 'private', 'usage') as u`);
		expect(anonSchemaUsage.rows[0].u).toBe(false);
	});

	it('every table in the exposed schema has RLS enabled', async () => {
		const tables = await db.query(`
			select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind in ('r', 'p')`);
		expect(tables.rows.length).toBeGreaterThanOrEqual(15);
		expect(tables.rows.filter((t) => !t.relrowsecurity).map((t) => t.relname)).toEqual([]);
	});

	it('policies are checked as the authenticated role, not an owner that bypasses them', async () => {
		await db.query(
			`create or replace function public.rls_probe() returns text language sql as 'select current_user::text'`
		);
		try {
			await stack().reloadSchema();
			const { data } = await users.secretary.rpc('rls_probe');
			expect(data).toBe('authenticated');
		} finally {
			await db.query(`drop function public.rls_probe()`);
			await stack().reloadSchema();
		}
	});
});

describe('17. interleaved requests of two users', () => {
	it('never see each other’s rows', async () => {
		const a = users.secretary;
		const b = users.shangping;
		const runs = await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				(i % 2 ? b : a)
					.from('households')
					.select('community_code')
					.limit(20)
					.then((r) => ({ who: i % 2 ? 'b' : 'a', rows: r.data ?? [] }))
			)
		);
		for (const r of runs) {
			expect(r.rows.length).toBe(20);
			const expected = r.who === 'a' ? '510502001006' : '510502001001';
			expect(r.rows.every((row) => row.community_code === expected)).toBe(true);
		}
	});
});

describe('privacy: phones masked, reveal audited', () => {
	it('reveals a phone only through the audited call, and the audit log cannot be edited', async () => {
		const raw = await users.secretary.from('households').select('phone').limit(1);
		expect(raw.error?.code).toBe('42501');
		// Masked phones are read through the audited board (board_households), not straight from the table.
		expect((await users.secretary.from('households').select('phone_masked').limit(1)).error?.code).toBe(
			'42501'
		);
		const [{ building_id: building }] = (
			await db.query(
				`select building_id from households where community_code = '510502001006' and phone is not null limit 1`
			)
		).rows;
		const board = await users.secretary.rpc('board_households', { p_building_id: building });
		const h = {
			data: (board.data.households as { id: number; phone_masked: string }[]).find(
				(x) => x.phone_masked !== null
			)
		};
		expect(h.data!.phone_masked).toMatch(/^1\d\d\*{4}\d{4}$/);
		const before = await sqlCount(`select count(*) n from audit_log where action = 'reveal_phone'`);
		const revealed = await users.secretary.rpc('reveal_phone', {
			p_table: 'households',
			p_id: h.data!.id,
			p_purpose: '核实发热线索'
		});
		expect(revealed.error).toBeNull();
		expect(revealed.data).toMatch(/^1[3-9]\d{9}$/);
		expect(revealed.data.slice(-4)).toBe(h.data!.phone_masked.slice(-4));
		expect(await sqlCount(`select count(*) n from audit_log where action = 'reveal_phone'`)).toBe(before + 1);
		const other = await db.query(
			`select id from households where community_code = '510502001001' and phone is not null limit 1`
		);
		const denied = await users.secretary.rpc('reveal_phone', {
			p_table: 'households',
			p_id: other.rows[0].id,
			p_purpose: '越权'
		});
		expect(denied.error).not.toBeNull();
		const leader = await users.leader.rpc('reveal_phone', {
			p_table: 'households',
			p_id: h.data!.id,
			p_purpose: '查看'
		});
		expect(leader.error?.code).toBe('42501');
		const edit = await users.secretary.from('audit_log').delete().eq('action', 'reveal_phone').select('id');
		expect(edit.error?.code).toBe('42501');
	});
});

/** Item 23 on the embedded stack: the purge itself is tested on PostgreSQL 15 (pg15-seed.test.ts), as it empties data. */
describe('23. retention: the purge is the operator’s', () => {
	it('members read when it last ran but can neither change it nor run the purge; the operator can, and nothing is due yet', async () => {
		for (const who of ['secretary', 'commander', 'leader', 'volunteer'] as const) {
			const policy = await users[who].from('retention_policy').select('purged_at').single();
			expect(policy.error).toBeNull();
			expect(policy.data).toEqual({ purged_at: null });
			const purge = await users[who].rpc('purge_personal_data', { p_today: '2030-01-01' });
			expect(purge.error?.code).toBe('42501');
			const forge = await users[who]
				.from('retention_policy')
				.update({ purged_at: new Date().toISOString() })
				.eq('id', true)
				.select('id');
			expect(forge.error?.code).toBe('42501');
		}
		const operator = createClient(stack().url, stack().serviceRoleKey, {
			auth: { persistSession: false, autoRefreshToken: false }
		});
		const screenings = await sqlCount(`select count(*) n from screenings`);
		// The 2020 response ended on 2020-03-15 and keeps its data 180 days; the drill still runs.
		const run = await operator.rpc('purge_personal_data', { p_today: '2020-04-01' });
		expect(run.error).toBeNull();
		expect(run.data).toEqual({ purged: [], next_due_on: '2020-09-11' });
		expect(await sqlCount(`select count(*) n from screenings`)).toBe(screenings);
	});
});

describe('23. retention: the operator’s script', () => {
	it('says when the next purge is due and refuses a malformed day in Chinese', async () => {
		const run = (...args: string[]) =>
			spawnSync(
				process.execPath,
				['--experimental-websocket', '--import', 'tsx', 'scripts/purge.ts', ...args],
				{
					encoding: 'utf8',
					env: {
						...process.env,
						PUBLIC_SUPABASE_URL: stack().url,
						SUPABASE_SERVICE_ROLE_KEY: stack().serviceRoleKey
					}
				}
			);
		const due = run('--today', '2020-04-01');
		expect(due.stderr).toBe('');
		expect(JSON.parse(due.stdout)).toEqual({ purged: [], next_due_on: '2020-09-11' });
		const bad = run('--today', '2020/04/01');
		expect(bad.status).toBe(1);
		expect(bad.stderr).toContain('须为 YYYY-MM-DD 日期');
	});
});
