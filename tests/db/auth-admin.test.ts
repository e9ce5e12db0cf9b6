/**
 * The embedded auth service's admin API, session guard and sign-in throttling (issue #16, items 3 and 4),
 * through supabase-js exactly as the app's server will call hosted Supabase:
 *
 * - `supabase.auth.admin` createUser / listUsers / getUserById / updateUserById / deleteUser with the
 *   service_role key, GoTrue's answers and error codes; refused with the anon key or a member's token;
 * - a banned, signed-out or deleted user's access token refused at once by /rest/v1 (guard.check_session, the
 *   PostgREST db-pre-request of migration 20261208000100_session_guard) and /auth/v1/user; unbanned, it works;
 * - password sign-ins throttled per account and per client address (429, Retry-After, even the right
 *   password), the address forwarded by a server in Sb-Forwarded-For only with the service_role key;
 * - passwords of at least 8 characters.
 *
 * Accounts are made here (…@auth-admin.test, unique per run) and deleted afterwards.
 */
import { AuthApiError, createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBanDuration } from '../../scripts/embedded/auth';
import { signJwt } from '../../scripts/embedded/jwt';
import { SignInThrottle, normaliseAddress } from '../../scripts/embedded/throttle';
import { client, DEMO, signedIn } from './clients';
import { stack } from './stack-env';

const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const PASSWORD = 'correct horse 8';
const emailOf = (who: string) => `${who}.${RUN}@auth-admin.test`;
/** A distinct documentation address (RFC 5737) per purpose and run, so reruns on a kept stack start clean. */
const addressOf = (n: number) => `198.51.${Number.parseInt(RUN.slice(-2), 36) % 250}.${n}`;

let db: pg.Client;
const made: string[] = [];

function adminClient(): SupabaseClient {
	return createClient(stack().url, stack().serviceRoleKey, {
		auth: { persistSession: false, autoRefreshToken: false }
	});
}
const admin = () => adminClient().auth.admin;

async function makeUser(who: string, extra: Record<string, unknown> = {}) {
	const { data, error } = await admin().createUser({
		email: emailOf(who),
		password: PASSWORD,
		email_confirm: true,
		...extra
	});
	if (error) throw error;
	made.push(data.user!.id);
	return data.user!;
}

/** Signs in; returns the session's tokens. */
async function signIn(email: string, password = PASSWORD) {
	const c = client();
	const { data, error } = await c.auth.signInWithPassword({ email, password });
	if (error) throw error;
	return data.session!;
}

/** One REST read with a bearer token: status and body (a PostgREST error has code and message). */
async function rest(token: string): Promise<{ status: number; body: { code?: string; message?: string } }> {
	const res = await fetch(`${stack().url}/rest/v1/units?select=code&limit=1`, {
		headers: { apikey: stack().anonKey, authorization: `Bearer ${token}` }
	});
	return { status: res.status, body: await res.json() };
}

/** GET /auth/v1/user with a bearer token. */
async function whoAmI(token: string) {
	return client().auth.getUser(token);
}

/** A raw password sign-in, optionally forwarded by a "server" (service_role key + Sb-Forwarded-For). */
async function rawSignIn(
	email: string,
	password: string,
	opts: { forwardedFor?: string; key?: string } = {}
) {
	const key = opts.key ?? (opts.forwardedFor ? stack().serviceRoleKey : stack().anonKey);
	const res = await fetch(`${stack().url}/auth/v1/token?grant_type=password`, {
		method: 'POST',
		headers: {
			apikey: key,
			authorization: `Bearer ${key}`,
			'content-type': 'application/json',
			'x-supabase-api-version': '2024-01-01',
			...(opts.forwardedFor ? { 'sb-forwarded-for': opts.forwardedFor } : {})
		},
		body: JSON.stringify({ email, password })
	});
	return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
});

afterAll(async () => {
	if (made.length) {
		await db.query('delete from auth.refresh_tokens where user_id = any($1::uuid[])', [made]);
		await db.query('delete from auth.users where id = any($1::uuid[])', [made]);
	}
	await db.query(`delete from auth.users where email like '%.' || $1 || '@auth-admin.test'`, [RUN]);
	await db?.end();
});

describe('pure parts', () => {
	it('reads ban durations as Go does', () => {
		expect(parseBanDuration('24h')).toBe(86_400_000);
		expect(parseBanDuration('1h30m')).toBe(5_400_000);
		expect(parseBanDuration('1.5h')).toBe(5_400_000);
		expect(parseBanDuration('876000h')).toBe(876_000 * 3_600_000);
		expect(parseBanDuration('none')).toBe(0);
		expect(() => parseBanDuration('3 days')).toThrow(/invalid duration/);
		expect(() => parseBanDuration('24')).toThrow(/invalid duration/);
	});

	it('throttles per account and per address over a sliding window', () => {
		let now = 1_000_000;
		const t = new SignInThrottle({ perAccount: 3, perAddress: 5, windowSeconds: 60 }, () => now);
		for (let i = 0; i < 3; i++) {
			expect(t.retryAfter('A@x', '1.2.3.4')).toBe(0);
			t.fail('a@x', '1.2.3.4');
			now += 1000;
		}
		// Locked until the first failure leaves the window: 60 s after it, 3 s have gone by.
		expect(t.retryAfter('a@x', '5.6.7.8')).toBe(57);
		expect(t.retryAfter('b@x', '1.2.3.4')).toBe(0);
		t.fail('b@x', '::ffff:1.2.3.4');
		t.fail('c@x', '1.2.3.4');
		// Five failures from 1.2.3.4 across accounts: the address is locked for every account.
		expect(t.retryAfter('d@x', '1.2.3.4')).toBeGreaterThan(0);
		expect(t.retryAfter('d@x', '9.9.9.9')).toBe(0);
		now += 57_000;
		expect(t.retryAfter('a@x', '5.6.7.8')).toBe(0);
		// Success forgives the account's failures, not the address's.
		t.fail('e@x', '7.7.7.7');
		t.fail('e@x', '7.7.7.7');
		t.succeed('e@x');
		t.fail('e@x', '7.7.7.7');
		expect(t.retryAfter('e@x', '8.8.8.8')).toBe(0);
		expect(normaliseAddress('::FFFF:10.0.0.1')).toBe('10.0.0.1');
	});
});

describe('admin API through supabase.auth.admin', () => {
	it('creates a user as GoTrue does, who can then sign in', async () => {
		const user = await makeUser('create', {
			email: emailOf('Create').toUpperCase(),
			user_metadata: { name: '测试管理员' },
			app_metadata: { unit: '5105' }
		});
		expect(user.email).toBe(emailOf('create').toLowerCase());
		expect(user.email_confirmed_at).toBeTruthy();
		expect(user.user_metadata).toEqual({ name: '测试管理员' });
		expect(user.app_metadata).toMatchObject({ provider: 'email', providers: ['email'], unit: '5105' });
		expect(user.role).toBe('authenticated');
		const session = await signIn(emailOf('create'));
		expect(session.user.id).toBe(user.id);
	});

	it('answers GoTrue’s errors: email_exists, phone_exists, validation_failed, weak_password', async () => {
		const phone = `86139${String(Date.now()).slice(-8)}`;
		const withPhone = await makeUser('phone', { phone: `+${phone.slice(0, 2)} ${phone.slice(2)}` });
		expect(withPhone.phone).toBe(phone);
		expect(withPhone.app_metadata.providers).toEqual(['email', 'phone']);

		const dup = await admin().createUser({ email: emailOf('phone'), password: PASSWORD });
		expect(dup.error).toBeInstanceOf(AuthApiError);
		expect(dup.error).toMatchObject({ status: 422, code: 'email_exists' });
		const dupPhone = await admin().createUser({ email: emailOf('phone2'), phone, password: PASSWORD });
		expect(dupPhone.error).toMatchObject({ status: 422, code: 'phone_exists' });
		const nothing = await admin().createUser({ password: PASSWORD });
		expect(nothing.error).toMatchObject({ status: 400, code: 'validation_failed' });
		const badEmail = await admin().createUser({ email: 'not an email', password: PASSWORD });
		expect(badEmail.error).toMatchObject({ status: 400, code: 'validation_failed' });
		const badBan = await admin().createUser({ email: emailOf('ban0'), ban_duration: 'forever' });
		expect(badBan.error).toMatchObject({ status: 400, code: 'validation_failed' });

		const takenId = await admin().createUser({ email: emailOf('id'), id: withPhone.id, password: PASSWORD });
		expect(takenId.error?.status).toBe(500);
		const short = await admin().createUser({ email: emailOf('short'), password: 'seven77' });
		expect(short.error).toMatchObject({ status: 422, code: 'weak_password', reasons: ['length'] });
		expect(short.error?.message).toBe('Password should be at least 8 characters.');
		// Nothing half-made by the refusals.
		const { rows } = await db.query(`select email from auth.users where email in ($1, $2, $3)`, [
			emailOf('phone2'),
			emailOf('ban0'),
			emailOf('short')
		]);
		expect(rows).toEqual([]);
	});

	it('lists users a page at a time with X-Total-Count and Link, newest first', async () => {
		const a = await makeUser('list-a');
		const b = await makeUser('list-b');
		const { data, error } = await admin().listUsers({ page: 1, perPage: 2 });
		expect(error).toBeNull();
		expect(data.users.map((u) => u.id)).toEqual([b.id, a.id]);
		const { count } = (await db.query(`select count(*)::int count from auth.users`)).rows[0];
		expect((data as unknown as { total: number }).total).toBe(count);
		expect((data as unknown as { nextPage: number }).nextPage).toBe(2);
		const second = await admin().listUsers({ page: 2, perPage: 2 });
		expect(second.data.users).toHaveLength(2);
		expect(second.data.users.map((u) => u.id)).not.toContain(a.id);
		const all = await admin().listUsers({ perPage: 1000 });
		expect(all.data.users.map((u) => u.email)).toContain(DEMO.secretary);
	});

	it('gets a user by id; an unknown id is user_not_found', async () => {
		const user = await makeUser('get');
		const { data } = await admin().getUserById(user.id);
		expect(data.user).toMatchObject({ id: user.id, email: emailOf('get') });
		const missing = await admin().getUserById('00000000-0000-4000-8000-00000000f00d');
		expect(missing.error).toMatchObject({ status: 404, code: 'user_not_found' });
	});

	it('updates email, metadata (merged) and the password, which ends the user’s sessions', async () => {
		const user = await makeUser('update', { user_metadata: { name: '甲', keep: 1 } });
		const session = await signIn(emailOf('update'));
		expect((await rest(session.access_token)).status).toBe(200);

		const { data, error } = await admin().updateUserById(user.id, {
			email: emailOf('updated'),
			user_metadata: { name: '乙', keep: null },
			app_metadata: { unit: '510502' }
		});
		expect(error).toBeNull();
		expect(data.user).toMatchObject({
			email: emailOf('updated'),
			user_metadata: { name: '乙' },
			app_metadata: { provider: 'email', unit: '510502' }
		});
		expect((await rest(session.access_token)).status).toBe(200);

		const weak = await admin().updateUserById(user.id, { password: 'short' });
		expect(weak.error).toMatchObject({ status: 422, code: 'weak_password' });
		const taken = await admin().updateUserById(user.id, { email: DEMO.secretary });
		expect(taken.error).toMatchObject({ status: 422, code: 'email_exists' });

		expect((await admin().updateUserById(user.id, { password: 'a brand new one' })).error).toBeNull();
		const after = await rest(session.access_token);
		expect(after.status).toBe(401);
		expect(after.body.code).toBe('session_not_found');
		// GoTrue's 403 session_not_found, which supabase-js reports as AuthSessionMissingError.
		const gone = await whoAmI(session.access_token);
		expect(gone.data.user).toBeNull();
		expect(gone.error?.name).toBe('AuthSessionMissingError');
		await expect(signIn(emailOf('updated'))).rejects.toMatchObject({ code: 'invalid_credentials' });
		await signIn(emailOf('updated'), 'a brand new one');
	});

	it('bans: the existing token stops at /rest/v1 and /auth/v1 at once, sign-in and refresh are refused; unbanned, all works again', async () => {
		const user = await makeUser('ban');
		const session = await signIn(emailOf('ban'));
		expect((await rest(session.access_token)).status).toBe(200);

		const { data, error } = await admin().updateUserById(user.id, { ban_duration: '24h' });
		expect(error).toBeNull();
		const until = new Date((data.user as unknown as { banned_until: string }).banned_until).getTime();
		expect(Math.abs(until - Date.now() - 86_400_000)).toBeLessThan(60_000);

		const refused = await rest(session.access_token);
		expect(refused.status).toBe(403);
		expect(refused.body.code).toBe('user_banned');
		expect((await whoAmI(session.access_token)).error).toMatchObject({ status: 403, code: 'user_banned' });
		await expect(signIn(emailOf('ban'))).rejects.toMatchObject({ status: 400, code: 'user_banned' });
		const refresh = await fetch(`${stack().url}/auth/v1/token?grant_type=refresh_token`, {
			method: 'POST',
			headers: { apikey: stack().anonKey, 'content-type': 'application/json' },
			body: JSON.stringify({ refresh_token: session.refresh_token })
		});
		expect(refresh.status).toBe(400);
		expect((await refresh.json()).error_code).toBe('user_banned');

		const lifted = await admin().updateUserById(user.id, { ban_duration: 'none' });
		expect((lifted.data.user as unknown as { banned_until?: string }).banned_until).toBeUndefined();
		expect((await rest(session.access_token)).status).toBe(200);
		expect((await whoAmI(session.access_token)).data.user?.id).toBe(user.id);
		await signIn(emailOf('ban'));
	});

	it('deletes a user with their sessions and refresh tokens; their token stops working', async () => {
		const user = await makeUser('delete');
		const session = await signIn(emailOf('delete'));
		const { data, error } = await admin().deleteUser(user.id);
		expect(error).toBeNull();
		expect(data.user).toEqual({});
		const { rows } = await db.query(
			`select (select count(*) from auth.sessions where user_id = $1)::int s,
			        (select count(*) from auth.refresh_tokens where user_id = $1)::int t,
			        (select count(*) from auth.users where id = $1)::int u`,
			[user.id]
		);
		expect(rows[0]).toEqual({ s: 0, t: 0, u: 0 });
		expect((await rest(session.access_token)).status).toBe(401);
		expect((await admin().getUserById(user.id)).error).toMatchObject({ status: 404, code: 'user_not_found' });
		expect((await admin().deleteUser(user.id)).error).toMatchObject({ status: 404 });
	});

	it('soft-deletes: the row stays with deleted_at, the person cannot sign in, the token stops', async () => {
		const user = await makeUser('soft');
		const session = await signIn(emailOf('soft'));
		expect((await admin().deleteUser(user.id, true)).error).toBeNull();
		const { data } = await admin().getUserById(user.id);
		expect((data.user as unknown as { deleted_at?: string }).deleted_at).toBeTruthy();
		expect((await rest(session.access_token)).status).toBe(401);
		await expect(signIn(emailOf('soft'))).rejects.toMatchObject({ code: 'invalid_credentials' });
	});

	it('refuses the anon key and a member’s token with 403 not_admin', async () => {
		const anon = createClient(stack().url, stack().anonKey, {
			auth: { persistSession: false, autoRefreshToken: false }
		}).auth.admin;
		expect((await anon.listUsers()).error).toMatchObject({ status: 403, code: 'not_admin' });
		expect((await anon.createUser({ email: emailOf('anon'), password: PASSWORD })).error).toMatchObject({
			status: 403,
			code: 'not_admin'
		});

		const member = await signedIn(DEMO.leader);
		const token = (await member.auth.getSession()).data.session!.access_token;
		const asMember = createClient(stack().url, stack().anonKey, {
			auth: { persistSession: false, autoRefreshToken: false },
			global: { headers: { Authorization: `Bearer ${token}` } }
		}).auth.admin;
		const { data: leader } = await member.auth.getUser();
		expect((await asMember.getUserById(leader.user!.id)).error).toMatchObject({
			status: 403,
			code: 'not_admin'
		});
		expect((await asMember.updateUserById(leader.user!.id, { ban_duration: 'none' })).error).toMatchObject({
			status: 403,
			code: 'not_admin'
		});
		expect((await asMember.deleteUser(leader.user!.id)).error).toMatchObject({ status: 403 });
		const { rows } = await db.query(`select count(*)::int n from auth.users where email = $1`, [
			emailOf('anon')
		]);
		expect(rows[0].n).toBe(0);
	});
});

describe('signed-out tokens', () => {
	it('are refused by /rest/v1 as soon as the session is signed out', async () => {
		await makeUser('logout');
		const c = client();
		const { data } = await c.auth.signInWithPassword({ email: emailOf('logout'), password: PASSWORD });
		const token = data.session!.access_token;
		expect((await rest(token)).status).toBe(200);
		expect((await c.auth.signOut()).error).toBeNull();
		const refused = await rest(token);
		expect(refused.status).toBe(401);
		expect(refused.body.code).toBe('session_not_found');
		// Anonymous and service_role requests are not affected.
		expect((await rest(stack().anonKey)).status).toBe(200);
		expect((await rest(stack().serviceRoleKey)).status).toBe(200);
	});
});

describe('borrowed sessions', () => {
	it('a token naming another user’s live session is refused by /rest/v1 and /auth/v1/user', async () => {
		const mine = await makeUser('borrower');
		await makeUser('lender');
		const lent = await signIn(emailOf('lender'));
		const { session_id } = JSON.parse(Buffer.from(lent.access_token.split('.')[1], 'base64url').toString());
		const now = Math.floor(Date.now() / 1000);
		const forged = await signJwt(
			{ sub: mine.id, role: 'authenticated', aud: 'authenticated', session_id, iat: now, exp: now + 600 },
			stack().jwtSecret
		);
		expect((await rest(forged)).status).toBe(401);
		expect((await whoAmI(forged)).data.user).toBeNull();
		expect((await rest(lent.access_token)).status).toBe(200);
	});
});

describe('sign-in throttling', () => {
	it('locks an account after 10 failures: 429 with Retry-After, the right password too, from any address', async () => {
		await makeUser('throttle');
		const from = addressOf(1);
		for (let i = 0; i < 10; i++) {
			const attempt = await rawSignIn(emailOf('throttle'), `wrong password ${i}`, { forwardedFor: from });
			expect(attempt.status, `attempt ${i + 1}`).toBe(400);
		}
		const locked = await rawSignIn(emailOf('throttle'), PASSWORD, { forwardedFor: from });
		expect(locked.status).toBe(429);
		expect(locked.body.code).toBe('over_request_rate_limit');
		expect(Number(locked.retryAfter)).toBeGreaterThan(800);
		expect(Number(locked.retryAfter)).toBeLessThanOrEqual(900);
		expect((await rawSignIn(emailOf('throttle'), PASSWORD, { forwardedFor: addressOf(2) })).status).toBe(429);
		// supabase-js reports it with GoTrue's code.
		const { error } = await client().auth.signInWithPassword({
			email: emailOf('throttle'),
			password: PASSWORD
		});
		expect(error).toMatchObject({ status: 429, code: 'over_request_rate_limit' });
		// Others are not locked out, from the same address.
		await makeUser('throttle-other');
		expect((await rawSignIn(emailOf('throttle-other'), PASSWORD, { forwardedFor: from })).status).toBe(200);
	});

	it('locks an address after 30 failures across accounts; the forwarded address counts only with the service_role key', async () => {
		await makeUser('sprayed');
		const from = addressOf(3);
		for (let i = 0; i < 30; i++) {
			const attempt = await rawSignIn(emailOf(`nobody${i}`), 'guess guess', { forwardedFor: from });
			expect(attempt.status, `attempt ${i + 1}`).toBe(400);
		}
		const locked = await rawSignIn(emailOf('sprayed'), PASSWORD, { forwardedFor: from });
		expect(locked.status).toBe(429);
		expect(Number(locked.retryAfter)).toBeGreaterThan(0);
		// The same account from another address, and a browser claiming the locked address with the anon key
		// (counted under its own socket address instead), sign in.
		expect((await rawSignIn(emailOf('sprayed'), PASSWORD, { forwardedFor: addressOf(4) })).status).toBe(200);
		const spoofed = await fetch(`${stack().url}/auth/v1/token?grant_type=password`, {
			method: 'POST',
			headers: {
				apikey: stack().anonKey,
				'content-type': 'application/json',
				'sb-forwarded-for': from
			},
			body: JSON.stringify({ email: emailOf('sprayed'), password: PASSWORD })
		});
		expect(spoofed.status).toBe(200);
	});

	it('does not count successful sign-ins', async () => {
		await makeUser('often');
		for (let i = 0; i < 12; i++) {
			expect((await rawSignIn(emailOf('often'), PASSWORD, { forwardedFor: addressOf(5) })).status).toBe(200);
		}
	});
});

describe('password minimum', () => {
	it('refuses a new password under 8 characters when the user changes their own', async () => {
		await makeUser('selfpw');
		const c = client();
		await c.auth.signInWithPassword({ email: emailOf('selfpw'), password: PASSWORD });
		const { error } = await c.auth.updateUser({ password: '1234567' });
		expect(error).toMatchObject({ status: 422, code: 'weak_password' });
		expect((await c.auth.updateUser({ password: '12345678' })).error).toBeNull();
	});
});
