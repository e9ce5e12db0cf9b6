/**
 * bootstrap.sql and every migration on a real PostgreSQL 15 server (the version hosted Supabase runs), not only
 * on PGlite: catches SQL that one accepts and the other refuses, and checks catalog facts the app relies on.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../../scripts/embedded/migrations';
import { MIGRATIONS_DIR } from '../../scripts/embedded/db';
import { startPg15, type Pg15 } from '../../scripts/pg15';

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

	it('runs bootstrap.sql a second time without error (idempotent)', async () => {
		const { readFile } = await import('node:fs/promises');
		const { BOOTSTRAP_SQL } = await import('../../scripts/embedded/db');
		await db.query(await readFile(BOOTSTRAP_SQL, 'utf8'));
	});
});
