/**
 * bootstrap.sql and every migration on a real PostgreSQL 15 server (the version hosted Supabase runs), not only
 * on PGlite: catches SQL that one accepts and the other refuses, checks catalog facts the app relies on, and
 * what needs real concurrent sessions (a request blocked by a row lock, security checklist 19).
 * Runs in the vitest project "pg15" (no embedded stack).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../scripts/embedded/jwt';
import { listMigrations } from '../../scripts/embedded/migrations';
import { MIGRATIONS_DIR } from '../../scripts/embedded/db';
import { Postgrest } from '../../scripts/embedded/postgrest';
import { freePort, startPg15, type Pg15 } from '../../scripts/pg15';

let server: Pg15;
let db: pg.Client;

beforeAll(async () => {
	server = await startPg15();
	db = new pg.Client({ connectionString: server.url });
	await db.connect();
});

afterAll(async () => {
	await db?.end();
	await server?.stop();
});

describe('PostgreSQL 15 with bootstrap and migrations', () => {
	it('is PostgreSQL 15', async () => {
		const { rows } = await db.query(`select current_setting('server_version_num')::int as v`);
		expect(Math.floor(rows[0].v / 10000)).toBe(15);
	});

	it('applied and recorded every migration file', async () => {
		const files = await listMigrations(MIGRATIONS_DIR);
		const { rows } = await db.query(
			'select version from supabase_migrations.schema_migrations order by version'
		);
		expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.version));
		expect(server.migrations.map((m) => m.version)).toEqual(files.map((f) => f.version));
	});

	it('has Supabase’s API roles with hosted attributes', async () => {
		const { rows } = await db.query(`
			select rolname, rolcanlogin, rolbypassrls, rolinherit from pg_roles
			where rolname in ('anon', 'authenticated', 'service_role', 'authenticator') order by rolname`);
		expect(rows).toEqual([
			{ rolname: 'anon', rolcanlogin: false, rolbypassrls: false, rolinherit: false },
			{ rolname: 'authenticated', rolcanlogin: false, rolbypassrls: false, rolinherit: false },
			{ rolname: 'authenticator', rolcanlogin: true, rolbypassrls: false, rolinherit: false },
			{ rolname: 'service_role', rolcanlogin: false, rolbypassrls: true, rolinherit: false }
		]);
		const members = await db.query(`
			select r.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
			where u.rolname = 'authenticator' order by 1`);
		expect(members.rows.map((r) => r.rolname)).toEqual(['anon', 'authenticated', 'service_role']);
	});

	it('has pgcrypto and btree_gist in the extensions schema', async () => {
		const { rows } = await db.query(
			`select extname, extnamespace::regnamespace::text as schema from pg_extension where extname in ('pgcrypto', 'btree_gist') order by 1`
		);
		expect(rows).toEqual([
			{ extname: 'btree_gist', schema: 'extensions' },
			{ extname: 'pgcrypto', schema: 'extensions' }
		]);
	});

	it('enables row-level security on every table in public', async () => {
		const { rows } = await db.query(`
			select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity order by 1`);
		expect(rows.map((r) => r.relname)).toEqual([]);
	});

	it('reads the JWT claims the way PostgREST sets them', async () => {
		await db.query('begin');
		try {
			await db.query(`select set_config('request.jwt.claims', $1, true)`, [
				JSON.stringify({ sub: '6f1c1d0e-6a7e-4a55-9d43-3c1fd1a1c001', role: 'authenticated', email: 'a@b.c' })
			]);
			const { rows } = await db.query(
				'select auth.uid()::text as uid, auth.role() as role, auth.email() as email, auth.jwt() ->> $1 as sub',
				['sub']
			);
			expect(rows[0]).toEqual({
				uid: '6f1c1d0e-6a7e-4a55-9d43-3c1fd1a1c001',
				role: 'authenticated',
				email: 'a@b.c',
				sub: '6f1c1d0e-6a7e-4a55-9d43-3c1fd1a1c001'
			});
		} finally {
			await db.query('rollback');
		}
		// Outside a request (and after one, when the setting reads back as ''), the helpers answer null, not an error.
		const { rows } = await db.query('select auth.uid() as uid, auth.jwt() as jwt');
		expect(rows[0]).toEqual({ uid: null, jwt: null });
	});

	it('reads a request’s claims before any legacy per-claim setting', async () => {
		await db.query('begin');
		try {
			await db.query(
				`select set_config('request.jwt.claim.sub', '00000000-0000-0000-0000-0000000000bb', true)`
			);
			await db.query(`select set_config('request.jwt.claims', $1, true)`, [
				JSON.stringify({ sub: '00000000-0000-0000-0000-0000000000aa', role: 'authenticated' })
			]);
			expect((await db.query('select auth.uid()::text as uid')).rows[0].uid).toBe(
				'00000000-0000-0000-0000-0000000000aa'
			);
			await db.query(`select set_config('request.jwt.claims', '{"role":"anon"}', true)`);
			expect((await db.query('select auth.uid() as uid, auth.role() as role')).rows[0]).toEqual({
				uid: null,
				role: 'anon'
			});
		} finally {
			await db.query('rollback');
		}
	});

	it('runs bootstrap.sql a second time without error (idempotent)', async () => {
		const { readFile } = await import('node:fs/promises');
		const { BOOTSTRAP_SQL } = await import('../../scripts/embedded/db');
		await db.query(await readFile(BOOTSTRAP_SQL, 'utf8'));
	});
});

describe('statement timeouts (security checklist 19)', () => {
	const roleTimeouts = async () => {
		const { rows } = await db.query(`
			select r.rolname, s.setconfig from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
			where s.setdatabase = 0 and r.rolname in ('anon', 'authenticated') order by 1`);
		return Object.fromEntries(
			rows.map((r) => [
				r.rolname,
				(r.setconfig as string[]).find((c) => c.startsWith('statement_timeout='))?.split('=')[1]
			])
		);
	};

	it('gives the API roles hosted Supabase’s statement timeouts', async () => {
		expect(await roleTimeouts()).toEqual({ anon: '3s', authenticated: '8s' });
	});

	it('fails a request waiting on a held row lock within the role’s timeout instead of hanging', async () => {
		// PostgREST (>= 11.1) applies the impersonated role's ALTER ROLE ... SET settings to each request's
		// transaction; a plain session's SET ROLE would not, so the request goes through the real PostgREST.
		// The role's 8 s is shortened to 1 s for the test (PostgREST reads role settings when it starts).
		const TIMEOUT_S = 1;
		const secret = 'pg15-test-secret-that-is-at-least-32-characters';
		// A secretary of a test city, and an organisation there that she may edit.
		const user = await db.query(
			`insert into auth.users (id, email, email_confirmed_at) values (gen_random_uuid(), 'lock@pg15.test', now())
			 returning id::text`
		);
		const userId = user.rows[0].id as string;
		await db.query(`insert into public.units (code, name, level) values ('9999', '锁测试市', 'city')`);
		await db.query(
			`insert into public.memberships (user_id, role, unit_code) values ($1, 'secretary', '9999')`,
			[userId]
		);
		const org = await db.query(
			`insert into public.organisations (name, kind, incubation_level, unit_code)
			 values ('锁测试组织', 'volunteer_group', 'city', '9999') returning id`
		);
		const orgId = org.rows[0].id as string;
		await db.query(`alter role authenticated set statement_timeout = '${TIMEOUT_S}s'`);

		const postgrest = new Postgrest({
			port: await freePort(),
			dbUri: `postgres://authenticator:postgres@127.0.0.1:${server.port}/postgres`,
			jwtSecret: secret
		});
		const locker = new pg.Client({ connectionString: server.url });
		try {
			await postgrest.waitReady();
			await locker.connect();
			const token = await signJwt(
				{
					sub: userId,
					role: 'authenticated',
					aud: 'authenticated',
					exp: Math.floor(Date.now() / 1000) + 600
				},
				secret
			);
			const rename = (name: string) =>
				fetch(`${postgrest.url}/organisations?id=eq.${orgId}`, {
					method: 'PATCH',
					headers: {
						authorization: `Bearer ${token}`,
						'content-type': 'application/json',
						prefer: 'return=representation'
					},
					body: JSON.stringify({ name }),
					signal: AbortSignal.timeout(15_000) // a hang fails the test instead of stalling it
				});

			// Unblocked, the member may edit the row: what follows fails for the lock alone.
			const free = await rename('锁测试组织 1');
			expect(free.status).toBe(200);
			expect(await free.json()).toHaveLength(1);

			await locker.query('begin');
			await locker.query('select id from public.organisations where id = $1 for update', [orgId]);
			const started = performance.now();
			const blocked = await rename('锁测试组织 2');
			const elapsed = performance.now() - started;
			expect(blocked.ok).toBe(false);
			expect((await blocked.json()).code).toBe('57014'); // query_canceled: statement timeout
			expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_S * 1000 - 100);
			expect(elapsed).toBeLessThan(5_000);
		} finally {
			await locker.query('rollback').catch(() => {});
			await locker.end().catch(() => {});
			await postgrest.stop();
			await db.query(`alter role authenticated set statement_timeout = '8s'`);
		}
		expect(await roleTimeouts()).toEqual({ anon: '3s', authenticated: '8s' });
	});
});
