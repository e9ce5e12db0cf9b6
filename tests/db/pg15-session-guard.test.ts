/**
 * guard.check_session (migration 20261208000100_session_guard) on PostgreSQL 15, the version hosted Supabase
 * runs, behind a real PostgREST 12 that finds it as hosted does: through `pgrst.db_pre_request` on the
 * authenticator role (in-database configuration), not the embedded stack's PGRST_DB_PRE_REQUEST. Tokens are
 * signed here with the claims GoTrue writes (sub, role, session_id); sessions and bans are rows of auth.*.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../scripts/embedded/jwt';
import { Postgrest } from '../../scripts/embedded/postgrest';
import { freePort, startPg15, type Pg15 } from '../../scripts/pg15';

const SECRET = 'pg15-guard-secret-that-is-at-least-32-characters';

let server: Pg15;
let db: pg.Client;
let postgrest: Postgrest;
let userId: string;

const token = (claims: Record<string, unknown>) =>
	signJwt({ aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + 600, ...claims }, SECRET);

async function read(bearer?: string): Promise<{ status: number; body: { code?: string } }> {
	const res = await fetch(`${postgrest.url}/units?select=code&limit=1`, {
		headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
		signal: AbortSignal.timeout(15_000)
	});
	return { status: res.status, body: await res.json() };
}

async function newSession(): Promise<string> {
	const { rows } = await db.query('insert into auth.sessions (user_id) values ($1) returning id::text', [
		userId
	]);
	return rows[0].id;
}

beforeAll(async () => {
	server = await startPg15();
	db = new pg.Client({ connectionString: server.url });
	await db.connect();
	const { rows } = await db.query(
		`insert into auth.users (id, email, email_confirmed_at) values (gen_random_uuid(), 'guard@pg15.test', now())
		 returning id::text`
	);
	userId = rows[0].id;
	postgrest = new Postgrest({
		port: await freePort(),
		dbUri: `postgres://authenticator:postgres@127.0.0.1:${server.port}/postgres`,
		jwtSecret: SECRET
	});
	await postgrest.waitReady();
});

afterAll(async () => {
	await postgrest?.stop();
	await db?.end();
	await server?.stop();
});

describe('guard.check_session on PostgreSQL 15 behind PostgREST', () => {
	it('is configured on the authenticator role, where PostgREST reads it', async () => {
		const { rows } = await db.query(
			`select unnest(setconfig) s from pg_db_role_setting where setrole = 'authenticator'::regrole`
		);
		expect(rows.map((r) => r.s)).toContain('pgrst.db_pre_request=guard.check_session');
	});

	it('lets a live session, anon and service_role through', async () => {
		const session = await newSession();
		expect(
			(await read(await token({ sub: userId, role: 'authenticated', session_id: session }))).status
		).toBe(200);
		expect((await read()).status).toBe(200);
		expect((await read(await token({ role: 'service_role' }))).status).toBe(200);
	});

	it('refuses a token whose session has ended', async () => {
		const session = await newSession();
		const bearer = await token({ sub: userId, role: 'authenticated', session_id: session });
		expect((await read(bearer)).status).toBe(200);
		await db.query('delete from auth.sessions where id = $1', [session]);
		const refused = await read(bearer);
		expect(refused.status).toBe(401);
		expect(refused.body.code).toBe('session_not_found');
		// Another user's session id does not stand in for one's own.
		const { rows } = await db.query(
			`insert into auth.users (id, email, email_confirmed_at) values (gen_random_uuid(), 'other@pg15.test', now())
			 returning id::text`
		);
		const { rows: other } = await db.query(
			'insert into auth.sessions (user_id) values ($1) returning id::text',
			[rows[0].id]
		);
		const borrowed = await read(await token({ sub: userId, role: 'authenticated', session_id: other[0].id }));
		expect(borrowed.status).toBe(401);
	});

	it('refuses a banned user until the ban ends, and a deleted one', async () => {
		const session = await newSession();
		const bearer = await token({ sub: userId, role: 'authenticated', session_id: session });
		await db.query(`update auth.users set banned_until = now() + interval '1 hour' where id = $1`, [userId]);
		const banned = await read(bearer);
		expect(banned.status).toBe(403);
		expect(banned.body.code).toBe('user_banned');
		await db.query(`update auth.users set banned_until = now() - interval '1 second' where id = $1`, [
			userId
		]);
		expect((await read(bearer)).status).toBe(200);

		await db.query(`update auth.users set deleted_at = now() where id = $1`, [userId]);
		const deleted = await read(bearer);
		expect(deleted.status).toBe(401);
		expect(deleted.body.code).toBe('user_not_found');
		await db.query(`update auth.users set deleted_at = null where id = $1`, [userId]);
		const stranger = await read(
			await token({ sub: '00000000-0000-4000-8000-000000000001', role: 'authenticated' })
		);
		expect(stranger.status).toBe(401);
	});

	it('raises PGRST in plain SQL with the claims PostgREST sets, as any role', async () => {
		const session = await newSession();
		await db.query('delete from auth.sessions where id = $1', [session]);
		for (const role of ['anon', 'authenticated']) {
			await db.query('begin');
			try {
				await db.query(`set local role ${role}`);
				await db.query(`select set_config('request.jwt.claims', $1, true)`, [
					JSON.stringify({ sub: userId, role: 'authenticated', session_id: session })
				]);
				await expect(db.query('select guard.check_session()')).rejects.toMatchObject({ code: 'PGRST' });
			} finally {
				await db.query('rollback');
			}
		}
	});
});
