/**
 * The embedded stack seen from the app's side: supabase-js and plain HTTP against the gateway, as against
 * `supabase start`. Covers the gateway's key checks, CORS and body limit, the auth service's GoTrue behaviour
 * (sign-in, rotation and its reuse interval, metadata, password change, sign-out), PostgREST's JWT checks and
 * roles, schema reloads, the data folder's lock, and that two clients' transactions never share an identity on
 * PGlite's single session.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { decodeJwt } from 'jose';
import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokedTokenVerdict } from '../../scripts/embedded/auth';
import { onLines, spawnStack, stopChild } from '../../scripts/embedded/child';
import { signApiKey, signJwt } from '../../scripts/embedded/jwt';
import {
	DEFAULT_ANON_KEY,
	DEFAULT_JWT_SECRET,
	DEFAULT_SERVICE_ROLE_KEY,
	RELOAD_SCHEMA_PATH,
	portEnv,
	type StackPorts
} from '../../scripts/embedded/keys';
import { RingLog } from '../../scripts/embedded/postgrest';
import { stack } from './stack-env';

const RUN = Math.random().toString(36).slice(2, 8); // unique emails, so a reused data folder works too
const PASSWORD = 'correct horse battery';
const emailOf = (who: string) => `${who}.${RUN}@stack-test.local`;

let db: pg.Client;
const userIds: Record<string, string> = {};

function client(): SupabaseClient {
	return createClient(stack().url, stack().anonKey, {
		auth: { persistSession: false, autoRefreshToken: false }
	});
}

async function signedIn(who: string): Promise<SupabaseClient> {
	const c = client();
	const { error } = await c.auth.signInWithPassword({ email: emailOf(who), password: PASSWORD });
	if (error) throw error;
	return c;
}

/**
 * A user created the way seeds do it: straight into auth.users with a pgcrypto bcrypt hash, at GoTrue's cost 10
 * (what the auth service's stand-in hash for unknown emails costs too, so both answer in the same time).
 */
async function createUser(who: string): Promise<string> {
	const { rows } = await db.query(
		`insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
		 values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1,
		         extensions.crypt($2, extensions.gen_salt('bf', 10)), now(), '{"provider":"email","providers":["email"]}', '{"name":"测试"}')
		 returning id`,
		[emailOf(who), PASSWORD]
	);
	return rows[0].id;
}

/** Raw HTTP against the gateway with the anon key (what supabase-js sends, minus its conveniences). */
function api(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
	return fetch(`${stack().url}${path}`, {
		...init,
		headers: { apikey: stack().anonKey, 'content-type': 'application/json', ...init.headers }
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RELOAD_PROBES = 5;
const reloadProbe = (i: number) => `stack_test_reload_${i}`;

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	for (const who of ['alice', 'bob', 'carol', 'dave', 'erin']) userIds[who] = await createUser(who);
	// Probes PostgREST only sees after a schema reload.
	await db.query(
		`create or replace function public.stack_test_whoami() returns text language sql as 'select current_user::text'`
	);
	await db.query(
		`create or replace function public.stack_test_uid() returns uuid language sql as 'select auth.uid()'`
	);
	await stack().reloadSchema();
});

afterAll(async () => {
	if (!db) return;
	const probes = Array.from({ length: RELOAD_PROBES }, (_, i) => `public.${reloadProbe(i)}()`);
	await db.query(
		`drop function if exists public.stack_test_whoami(), public.stack_test_uid(), public.stack_test_notified(), ${probes.join(', ')}`
	);
	await db.query(`delete from auth.users where email like $1`, [`%.${RUN}@stack-test.local`]);
	await stack().reloadSchema();
	await db.end();
});

describe('gateway', () => {
	it('refuses a request without an API key, like Kong', async () => {
		const res = await fetch(`${stack().url}/rest/v1/`);
		expect(res.status).toBe(401);
		expect(await res.json()).toEqual({ message: 'No API key found in request' });
	});

	it('refuses a wrong API key', async () => {
		const res = await fetch(`${stack().url}/rest/v1/`, { headers: { apikey: 'not-a-key' } });
		expect(res.status).toBe(401);
		expect(await res.json()).toEqual({ message: 'Invalid API key' });
	});

	it('accepts the key as a query parameter and serves the health check without one', async () => {
		expect((await fetch(`${stack().url}/auth/v1/settings?apikey=${stack().anonKey}`)).status).toBe(200);
		const health = await fetch(`${stack().url}/auth/v1/health`);
		expect(health.status).toBe(200);
		expect((await health.json()).name).toBe('GoTrue');
	});

	it('answers CORS preflights for any origin with Supabase’s headers', async () => {
		const res = await fetch(`${stack().url}/rest/v1/units`, {
			method: 'OPTIONS',
			headers: {
				origin: 'http://localhost:5173',
				'access-control-request-method': 'POST',
				'access-control-request-headers': 'x-custom'
			}
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
		const allowed = res.headers.get('access-control-allow-headers')!;
		for (const h of [
			'authorization',
			'apikey',
			'content-type',
			'x-client-info',
			'prefer',
			'range',
			'x-custom'
		])
			expect(allowed).toContain(h);
		const get = await api('/rest/v1/', { headers: { origin: 'http://localhost:5173' } });
		expect(get.headers.get('access-control-expose-headers')).toContain('content-range');
	});

	it('answers unknown routes with 404 JSON', async () => {
		const res = await api('/storage/v1/bucket');
		expect(res.status).toBe(404);
		expect(await res.json()).toEqual({ message: 'no Route matched with those values' });
		const auth = await api('/auth/v1/nope');
		expect(auth.status).toBe(404);
		expect((await auth.json()).error_code).toBe('not_found');
	});

	it('refuses request bodies over 2 MB with 413', async () => {
		const res = await api('/rest/v1/rpc/stack_test_whoami', {
			method: 'POST',
			body: JSON.stringify({ pad: 'x'.repeat(3 * 1024 * 1024) })
		});
		expect(res.status).toBe(413);
		expect(await res.json()).toEqual({ message: 'Request size limit exceeded' });
	});

	it('refuses a chunked upload (no content-length) once it passes 2 MB, while it streams', async () => {
		const url = new URL(`${stack().url}/rest/v1/rpc/stack_test_whoami`);
		const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			const req = http.request(
				{
					host: url.hostname,
					port: url.port,
					path: url.pathname,
					method: 'POST',
					headers: {
						apikey: stack().anonKey,
						'content-type': 'application/json',
						'transfer-encoding': 'chunked'
					}
				},
				(res) => {
					let body = '';
					res.setEncoding('utf8');
					res.on('data', (c: string) => (body += c));
					res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
				}
			);
			req.on('error', reject);
			const chunk = 'x'.repeat(64 * 1024);
			req.write('{"pad":"');
			for (let i = 0; i < 48; i++) req.write(chunk); // 3 MB in 64 KB chunks
			req.end('"}');
		});
		expect(answer.status).toBe(413);
		expect(JSON.parse(answer.body)).toEqual({ message: 'Request size limit exceeded' });
	});

	it('reproduces the default API keys from the secret with signApiKey (for a custom JWT_SECRET)', async () => {
		expect(await signApiKey('anon', DEFAULT_JWT_SECRET)).toBe(DEFAULT_ANON_KEY);
		expect(await signApiKey('service_role', DEFAULT_JWT_SECRET)).toBe(DEFAULT_SERVICE_ROLE_KEY);
	});
});

describe('auth', () => {
	it('refuses a wrong password with GoTrue’s error', async () => {
		const { data, error } = await client().auth.signInWithPassword({
			email: emailOf('alice'),
			password: 'wrong password'
		});
		expect(data.session).toBeNull();
		expect(error?.status).toBe(400);
		expect(error?.code).toBe('invalid_credentials');
		expect(error?.message).toBe('Invalid login credentials');
	});

	it('answers an unknown email exactly like a wrong password', async () => {
		const attempt = async (email: string, apiVersion?: string) => {
			const res = await api('/auth/v1/token?grant_type=password', {
				method: 'POST',
				body: JSON.stringify({ email, password: 'wrong password' }),
				headers: apiVersion ? { 'x-supabase-api-version': apiVersion } : {}
			});
			return { status: res.status, body: await res.json() };
		};
		for (const apiVersion of [undefined, '2024-01-01']) {
			const wrongPassword = await attempt(emailOf('alice'), apiVersion);
			expect(wrongPassword.status).toBe(400);
			expect(await attempt(`nobody.${RUN}@stack-test.local`, apiVersion)).toEqual(wrongPassword);
		}
	});

	it('answers malformed JSON in GoTrue’s error shape', async () => {
		const bad = (headers: Record<string, string> = {}) =>
			api('/auth/v1/token?grant_type=password', { method: 'POST', body: '{"email": ', headers });
		const legacy = await bad();
		expect(legacy.status).toBe(400);
		expect(await legacy.json()).toEqual({
			code: 400,
			error_code: 'bad_json',
			msg: 'Could not parse request body as JSON'
		});
		const current = await bad({ 'x-supabase-api-version': '2024-01-01' });
		expect(current.status).toBe(400);
		expect(current.headers.get('x-supabase-api-version')).toBe('2024-01-01');
		expect(await current.json()).toEqual({ code: 'bad_json', msg: 'Could not parse request body as JSON' });
	});

	it('signs in a user created in auth.users and issues GoTrue-shaped tokens', async () => {
		const { data, error } = await client().auth.signInWithPassword({
			email: emailOf('alice'),
			password: PASSWORD
		});
		expect(error).toBeNull();
		const session = data.session!;
		expect(session.token_type).toBe('bearer');
		expect(session.expires_in).toBe(3600);
		expect(session.refresh_token).toMatch(/^[\w-]{20,}$/);
		expect(session.user.id).toBe(userIds.alice);
		expect(session.user.user_metadata).toEqual({ name: '测试' });

		const claims = decodeJwt(session.access_token);
		expect(claims).toMatchObject({
			aud: 'authenticated',
			iss: `${stack().url}/auth/v1`,
			sub: userIds.alice,
			email: emailOf('alice'),
			role: 'authenticated',
			aal: 'aal1',
			app_metadata: { provider: 'email', providers: ['email'] },
			user_metadata: { name: '测试' },
			is_anonymous: false
		});
		expect(claims.exp! - claims.iat!).toBe(3600);
		expect(typeof claims.session_id).toBe('string');
	});

	it('returns the signed-in user from getUser', async () => {
		const alice = await signedIn('alice');
		const { data, error } = await alice.auth.getUser();
		expect(error).toBeNull();
		expect(data.user?.id).toBe(userIds.alice);
		expect(data.user?.email).toBe(emailOf('alice'));
	});

	it('rotates refresh tokens: a new one each time, in the same session', async () => {
		const alice = await signedIn('alice');
		const first = (await alice.auth.getSession()).data.session!;
		const { data, error } = await alice.auth.refreshSession({ refresh_token: first.refresh_token });
		expect(error).toBeNull();
		const second = data.session!;
		expect(second.refresh_token).not.toBe(first.refresh_token);
		expect(decodeJwt(second.access_token).session_id).toBe(decodeJwt(first.access_token).session_id);
		const third = await client().auth.refreshSession({ refresh_token: second.refresh_token });
		expect(third.error).toBeNull();
		expect(third.data.session!.refresh_token).not.toBe(second.refresh_token);
	});

	it('answers a just-rotated token with the active session (two requests with one cookie stay signed in)', async () => {
		const alice = await signedIn('alice');
		const first = (await alice.auth.getSession()).data.session!;
		// Two server-side refreshes carrying the same cookie at once, as @supabase/ssr does on parallel requests.
		const [a, b] = await Promise.all([
			client().auth.refreshSession({ refresh_token: first.refresh_token }),
			client().auth.refreshSession({ refresh_token: first.refresh_token })
		]);
		expect(a.error).toBeNull();
		expect(b.error).toBeNull();
		const active = a.data.session!.refresh_token;
		expect(active).not.toBe(first.refresh_token);
		expect(b.data.session!.refresh_token).toBe(active);
		expect(decodeJwt(b.data.session!.access_token).session_id).toBe(decodeJwt(first.access_token).session_id);
		// The active token goes on rotating normally.
		const next = await client().auth.refreshSession({ refresh_token: active });
		expect(next.error).toBeNull();
		expect(next.data.session!.refresh_token).not.toBe(active);
	});

	it('revokes the whole session when a rotated token comes back after the reuse interval', async () => {
		const alice = await signedIn('alice');
		const first = (await alice.auth.getSession()).data.session!;
		const second = (await client().auth.refreshSession({ refresh_token: first.refresh_token })).data.session!;
		await sleep(stack().refreshTokenReuseInterval * 1000 + 500);

		const reuse = await client().auth.refreshSession({ refresh_token: first.refresh_token });
		expect(reuse.error?.code).toBe('refresh_token_already_used');
		// Reuse this late means the token leaked: GoTrue-style, the session's newer tokens are revoked as well.
		const after = await client().auth.refreshSession({ refresh_token: second.refresh_token });
		expect(after.error?.code).toBe('refresh_token_already_used');
	});

	it('decides reuse by the time since the token was rotated', () => {
		const rotated = new Date('2026-11-29T08:00:00Z');
		const at = (ms: number) => new Date(rotated.getTime() + ms);
		expect(revokedTokenVerdict(rotated, at(0), 10)).toBe('reuse');
		expect(revokedTokenVerdict(rotated, at(9_999), 10)).toBe('reuse');
		expect(revokedTokenVerdict(rotated, at(10_000), 10)).toBe('revoke');
		expect(revokedTokenVerdict(rotated, at(0), 0)).toBe('revoke'); // interval 0: no reuse at all
		expect(revokedTokenVerdict(null, at(0), 10)).toBe('revoke'); // revoked without a child: signed out
	});

	it('updates user_metadata; the next token carries it, but never a role from it', async () => {
		const bob = await signedIn('bob');
		const { data, error } = await bob.auth.updateUser({
			data: { display_name: '李四', role: 'service_role', name: null }
		});
		expect(error).toBeNull();
		expect(data.user?.user_metadata).toEqual({ display_name: '李四', role: 'service_role' });

		const refreshed = await bob.auth.refreshSession();
		const claims = decodeJwt(refreshed.data.session!.access_token);
		expect(claims.user_metadata).toEqual({ display_name: '李四', role: 'service_role' });
		expect(claims.role).toBe('authenticated');
		const { data: who } = await bob.rpc('stack_test_whoami');
		expect(who).toBe('authenticated');
	});

	it('a password change ends the user’s other sessions but keeps this one', async () => {
		const here = await signedIn('dave');
		const there = await signedIn('dave');
		const elsewhere = (await there.auth.getSession()).data.session!;

		const { error } = await here.auth.updateUser({ password: 'a new correct horse' });
		expect(error).toBeNull();

		const refresh = await client().auth.refreshSession({ refresh_token: elsewhere.refresh_token });
		expect(refresh.error?.code).toBe('refresh_token_not_found');
		const user = await api('/auth/v1/user', {
			headers: { authorization: `Bearer ${elsewhere.access_token}`, 'x-supabase-api-version': '2024-01-01' }
		});
		expect(user.status).toBe(403);
		expect(await user.json()).toMatchObject({ code: 'session_not_found' });

		expect((await here.auth.getUser()).error).toBeNull();
		expect((await here.auth.refreshSession()).error).toBeNull();
		const oldPassword = await client().auth.signInWithPassword({
			email: emailOf('dave'),
			password: PASSWORD
		});
		expect(oldPassword.error?.code).toBe('invalid_credentials');
		const newPassword = await client().auth.signInWithPassword({
			email: emailOf('dave'),
			password: 'a new correct horse'
		});
		expect(newPassword.error).toBeNull();
	});

	it('signs out: refresh tokens and the session are gone', async () => {
		const carol = await signedIn('carol');
		const session = (await carol.auth.getSession()).data.session!;
		const { error } = await carol.auth.signOut();
		expect(error).toBeNull();

		const refresh = await client().auth.refreshSession({ refresh_token: session.refresh_token });
		expect(refresh.error?.code).toBe('refresh_token_not_found');
		const user = await api('/auth/v1/user', {
			headers: { authorization: `Bearer ${session.access_token}`, 'x-supabase-api-version': '2024-01-01' }
		});
		expect(user.status).toBe(403);
		expect(await user.json()).toMatchObject({ code: 'session_not_found' });
	});

	it('refuses signup (users are created by administrators)', async () => {
		const { error } = await client().auth.signUp({ email: emailOf('mallory'), password: PASSWORD });
		expect(error?.code).toBe('signup_disabled');
	});
});

describe('tokens at PostgREST', () => {
	const forged = () =>
		signJwt(
			{
				sub: userIds.alice,
				role: 'authenticated',
				aud: 'authenticated',
				exp: Math.floor(Date.now() / 1000) + 600
			},
			'another-secret-that-is-at-least-32-characters'
		);
	const expired = () =>
		signJwt(
			{
				sub: userIds.alice,
				role: 'authenticated',
				aud: 'authenticated',
				iat: 1_700_000_000,
				exp: 1_700_003_600
			},
			stack().jwtSecret
		);

	it('refuses a token signed with another secret (401 at /rest/v1, bad_jwt at /auth/v1)', async () => {
		const token = await forged();
		const rest = await api('/rest/v1/rpc/stack_test_whoami', {
			method: 'POST',
			body: '{}',
			headers: { authorization: `Bearer ${token}` }
		});
		expect(rest.status).toBe(401);
		const user = await api('/auth/v1/user', { headers: { authorization: `Bearer ${token}` } });
		expect(user.status).toBe(403);
		expect((await user.json()).error_code).toBe('bad_jwt');
	});

	it('refuses an expired token', async () => {
		const token = await expired();
		const rest = await api('/rest/v1/rpc/stack_test_whoami', {
			method: 'POST',
			body: '{}',
			headers: { authorization: `Bearer ${token}` }
		});
		expect(rest.status).toBe(401);
		expect((await rest.json()).message).toMatch(/expired/i);
		const user = await api('/auth/v1/user', { headers: { authorization: `Bearer ${token}` } });
		expect(user.status).toBe(403);
		expect((await user.json()).msg).toMatch(/expired/);
	});

	it('runs requests as the JWT’s role: anon, authenticated, service_role', async () => {
		expect((await client().rpc('stack_test_whoami')).data).toBe('anon');
		expect((await (await signedIn('alice')).rpc('stack_test_whoami')).data).toBe('authenticated');
		const service = createClient(stack().url, stack().serviceRoleKey, {
			auth: { persistSession: false, autoRefreshToken: false }
		});
		expect((await service.rpc('stack_test_whoami')).data).toBe('service_role');
	});
});

describe('schema cache and the shared session', () => {
	it('reloads on NOTIFY pgrst, as hosted PostgREST does', async () => {
		await db.query(
			`create or replace function public.stack_test_notified() returns int language sql as 'select 42'`
		);
		await db.query(`notify pgrst, 'reload schema'`);
		const deadline = Date.now() + 10_000;
		let result = await client().rpc('stack_test_notified');
		while (result.error && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 50));
			result = await client().rpc('stack_test_notified');
		}
		expect(result.data).toBe(42);
	});

	it('reloads through the gateway route several times in a row, each time with the new schema', async () => {
		for (let i = 0; i < RELOAD_PROBES; i++) {
			await db.query(
				`create or replace function public.${reloadProbe(i)}() returns int language sql as 'select ${i}'`
			);
			await stack().reloadSchema(); // throws unless the route answers 204
			const { data, error } = await client().rpc(reloadProbe(i));
			expect(error).toBeNull();
			expect(data).toBe(i);
		}
	});

	it('counts schema cache loads over PostgREST’s whole log, not only the lines it keeps', () => {
		// The reload route waits for this count to rise; counted over a full ring it would stop rising.
		const log = new RingLog(3, /Schema cache loaded/);
		for (let i = 0; i < 10; i++) {
			log.push('Attempting to connect to the database...');
			log.push('Schema cache loaded');
		}
		expect(log.matched).toBe(10);
		expect(log.text().split('\n')).toHaveLength(3);
	});

	it('refuses the reload route without the service_role key', async () => {
		const res = await api(RELOAD_SCHEMA_PATH, { method: 'POST' }); // the anon key
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: 'the service_role key is required' });
		const none = await fetch(`${stack().url}${RELOAD_SCHEMA_PATH}`, { method: 'POST' });
		expect(none.status).toBe(401);
	});

	it('keeps two clients’ transactions apart: each sees its own auth.uid(), never the other’s', async () => {
		// Both clients share PGlite's one session. Each runs transactions that set request.jwt.claims locally (as
		// PostgREST does per request) and read auth.uid() after a pause, while the other client's next statement
		// is already waiting at the socket. Were the socket to let it in mid-transaction, its set_config would
		// replace the claims and the first client would read the other user's uid.
		const clients = [new pg.Client(stack().pgUrl), new pg.Client(stack().pgUrl)];
		await Promise.all(clients.map((c) => c.connect()));
		const run = async (c: pg.Client, who: string) => {
			const claims = JSON.stringify({ sub: userIds[who], role: 'authenticated' });
			const seen: string[] = [];
			for (let round = 0; round < 8; round++) {
				await c.query('begin');
				await c.query(`select set_config('request.jwt.claims', $1, true)`, [claims]); // = set local
				await sleep(5);
				seen.push((await c.query('select auth.uid()::text as uid')).rows[0].uid);
				await sleep(5);
				seen.push((await c.query('select auth.uid()::text as uid')).rows[0].uid);
				await c.query('commit');
			}
			return seen;
		};
		try {
			const [alice, bob] = await Promise.all([run(clients[0], 'alice'), run(clients[1], 'bob')]);
			expect(new Set(alice)).toEqual(new Set([userIds.alice]));
			expect(new Set(bob)).toEqual(new Set([userIds.bob]));
		} finally {
			await Promise.all(clients.map((c) => c.end()));
		}
	});

	it('reads a request’s claims before any legacy per-claim setting left on the shared session', async () => {
		await db.query('begin');
		try {
			// A stray legacy setting (PostgREST < 9 style), as a script or psql might leave behind.
			await db.query(`select set_config('request.jwt.claim.sub', $1, true)`, [userIds.bob]);
			await db.query(`select set_config('request.jwt.claim.role', 'service_role', true)`);
			const read = async (claims: object) => {
				await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
				return (await db.query('select auth.uid()::text as uid, auth.role() as role')).rows[0];
			};
			expect(await read({ sub: userIds.alice, role: 'authenticated' })).toEqual({
				uid: userIds.alice,
				role: 'authenticated'
			});
			// An anon request has claims without sub: its uid is null, not the stray one.
			expect(await read({ role: 'anon' })).toEqual({ uid: null, role: 'anon' });
		} finally {
			await db.query('rollback');
		}
	});

	it('keeps one client’s extended-protocol exchange whole while another client talks', async () => {
		// Parse now, Bind/Execute/Sync later (as when a large statement arrives in several TCP chunks). Another
		// client's query in between would replace the unnamed statement on the shared session; the socket must
		// hold it back until this client's Sync.
		const raw = new pg.Connection() as unknown as RawConnection;
		const events = new EventEmitterProbe(raw, [
			'connect',
			'readyForQuery',
			'parseComplete',
			'dataRow',
			'errorMessage'
		]);
		raw.connect(Number(new URL(stack().pgUrl).port), '127.0.0.1');
		await events.next('connect');
		raw.startup({ user: 'postgres', database: 'postgres' });
		await events.next('readyForQuery');

		const other = new pg.Client({ connectionString: stack().pgUrl });
		await other.connect();
		try {
			raw.parse({ text: 'select $1::int + 1 as n', types: [] });
			raw.flush();
			await events.next('parseComplete');

			let otherDone = false;
			const otherQuery = other.query('select 7 as n').then((r) => ((otherDone = true), r.rows[0].n));
			await new Promise((r) => setTimeout(r, 150));
			expect(otherDone).toBe(false); // waits: the raw client is mid-exchange

			raw.bind({ values: ['41'] });
			raw.execute({});
			raw.sync();
			const row = await Promise.race([
				events.next('dataRow'),
				events.next('errorMessage').then((e) => Promise.reject(e))
			]);
			expect((row as { fields: unknown[] }).fields[0]?.toString()).toBe('42');
			await events.next('readyForQuery');
			expect(await otherQuery).toBe(7);
		} finally {
			raw.end();
			await other.end();
		}
	});
});

describe('the data folder lock', () => {
	it('stops a second stack on the same folder before it touches the running one', async () => {
		// Same folder, same ports: the lock must refuse it first, before it would clear an "orphaned" PostgREST
		// (the running stack's own) or probe the ports.
		const { port: apiPort } = new URL(stack().url);
		const ports: StackPorts = {
			apiPort: Number(apiPort),
			pgPort: Number(new URL(stack().pgUrl).port),
			postgrestPort: Number(new URL(stack().postgrestUrl).port)
		};
		const second = spawnStack({ ...process.env, ...portEnv(ports), EMBEDDED_DATA_DIR: stack().dataDir });
		const output: string[] = [];
		onLines(second.stdout, (l) => output.push(l));
		onLines(second.stderr, (l) => output.push(l));
		try {
			const code = await new Promise<number | null>((r) => second.once('close', r));
			expect(code).toBe(1);
			expect(output.join('\n')).toMatch(/is in use by another embedded stack \(pid \d+\)/);
		} finally {
			await stopChild(second);
		}
		// The running stack's PostgREST is untouched.
		const head = await fetch(`${stack().postgrestUrl}/`, { method: 'HEAD' });
		expect(head.ok).toBe(true);
		expect((await client().rpc('stack_test_whoami')).data).toBe('anon');
	});
});

/** The protocol-level methods of pg.Connection (its published types leave most of them out). */
interface RawConnection extends NodeJS.EventEmitter {
	connect(port: number, host: string): void;
	startup(config: { user: string; database: string }): void;
	parse(query: { text: string; types: number[] }): void;
	bind(config: { values: unknown[] }): void;
	execute(config: object): void;
	flush(): void;
	sync(): void;
	end(): void;
}

/** Awaitable events of a pg.Connection (which speaks the protocol one message at a time). */
class EventEmitterProbe {
	// Events are recorded from the start: a protocol reply can arrive in the same chunk as the one awaited
	// before it (DataRow, CommandComplete, ReadyForQuery), and a listener attached afterwards would miss it.
	private seen = new Map<string, unknown[]>();
	private waiting = new Map<string, ((value: unknown) => void)[]>();

	constructor(emitter: NodeJS.EventEmitter, events: string[]) {
		for (const event of events)
			emitter.on(event, (value: unknown) => {
				const waiter = this.waiting.get(event)?.shift();
				if (waiter) waiter(value);
				else this.seen.set(event, [...(this.seen.get(event) ?? []), value]);
			});
	}

	next(event: string): Promise<unknown> {
		const queued = this.seen.get(event);
		if (queued?.length) return Promise.resolve(queued.shift());
		return new Promise((resolve) => this.waiting.set(event, [...(this.waiting.get(event) ?? []), resolve]));
	}
}
