/**
 * A local stand-in for GoTrue (Supabase Auth) covering what supabase-js v2 uses for email + password:
 *   POST /token?grant_type=password | refresh_token, GET /user, PUT /user, POST /logout, GET /health, GET /settings,
 * and the part of GoTrue's admin API that `supabase.auth.admin` calls with the service_role key:
 *   GET|POST /admin/users, GET|PUT|DELETE /admin/users/{id} (create, list, get, update incl. ban, delete).
 * Password sign-ins are throttled per account and per client address (throttle.ts; 429 with Retry-After).
 * Paths here are relative to /auth/v1. Users live in auth.users exactly as on hosted Supabase (bcrypt hashes in
 * encrypted_password), so seeds can create them with `extensions.crypt(pw, extensions.gen_salt('bf', 10))`
 * (cost 10, GoTrue's; see BCRYPT_COST).
 *
 * Each endpoint is a plain function (AuthDb, AuthConfig, input) -> AuthResponse, with no HTTP in it;
 * handleAuthRequest maps a request onto them. Errors are thrown as AuthError and rendered in GoTrue's shape.
 *
 * It reads and writes through its own node-postgres connection to the PGlite socket (not the in-process PGlite):
 * only the socket's queue keeps its transactions apart from PostgREST's.
 */
import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { JwtError, type JwtCodec } from './jwt';
import { normaliseAddress, type SignInThrottle } from './throttle';

// ---------------------------------------------------------------------------------------------------------
// Configuration, errors, responses
// ---------------------------------------------------------------------------------------------------------

export interface AuthConfig {
	/** Signs and verifies access tokens with the stack's JWT secret. */
	jwt: JwtCodec;
	/** `iss` of access tokens: <api url>/auth/v1, as GoTrue's API_EXTERNAL_URL. */
	issuer: string;
	/** Access token lifetime in seconds (GoTrue's JWT_EXP, Supabase default 3600). */
	jwtExpiry: number;
	/** Seconds a rotated refresh token may still be presented (GoTrue's refresh_token_reuse_interval, 10). */
	refreshTokenReuseInterval: number;
	/** Shortest password accepted when one is set (GoTrue's GOTRUE_PASSWORD_MIN_LENGTH; the product's 8). */
	passwordMinLength: number;
	/** Counts failed password sign-ins per account and address (throttle.ts). */
	throttle: SignInThrottle;
}

interface AuthResponse {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

class AuthError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		/** Extra fields of the error body (GoTrue's `weak_password: { reasons }`). */
		readonly extra?: Record<string, unknown>,
		/** Extra response headers (Retry-After on a 429). */
		readonly headers?: Record<string, string>
	) {
		super(message);
	}
}

const API_VERSION = '2024-01-01';

/**
 * GoTrue answers errors in two shapes: clients that send X-Supabase-Api-Version >= 2024-01-01 (supabase-js v2
 * does) get `{ code: "<error_code>", msg }` plus that header back; older ones `{ code: <status>, error_code, msg }`.
 */
function renderError(err: AuthError, requestApiVersion?: string): AuthResponse {
	if (requestApiVersion && requestApiVersion >= API_VERSION) {
		return {
			status: err.status,
			body: { code: err.code, msg: err.message, ...err.extra },
			headers: { 'x-supabase-api-version': API_VERSION, ...err.headers }
		};
	}
	return {
		status: err.status,
		body: { code: err.status, error_code: err.code, msg: err.message, ...err.extra },
		headers: err.headers
	};
}

const invalidCredentials = () => new AuthError(400, 'invalid_credentials', 'Invalid login credentials');

// ---------------------------------------------------------------------------------------------------------
// Database access: one pg connection, one operation at a time
// ---------------------------------------------------------------------------------------------------------

type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

export interface AuthDb {
	/** Runs `fn` alone on the connection (no interleaving with other auth work). */
	run<T>(fn: (q: Query) => Promise<T>): Promise<T>;
	/** Same, inside BEGIN ... COMMIT (ROLLBACK on error). */
	tx<T>(fn: (q: Query) => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

/** AuthDb over one pg.Client, reconnecting if the connection drops. */
export function pgAuthDb(connectionString: string, applicationName = 'embedded-auth'): AuthDb {
	let client: pg.Client | undefined;
	let chain: Promise<unknown> = Promise.resolve();

	async function connection(): Promise<pg.Client> {
		if (client) return client;
		const c = new pg.Client({ connectionString, application_name: applicationName });
		c.on('error', () => {
			if (client === c) client = undefined;
		});
		await c.connect();
		client = c;
		return c;
	}

	function exclusive<T>(fn: () => Promise<T>): Promise<T> {
		const result = chain.then(fn, fn);
		chain = result.catch(() => {});
		return result;
	}

	const run = <T>(fn: (q: Query) => Promise<T>) =>
		exclusive(async () => {
			const c = await connection();
			const q: Query = async <R>(sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as R[];
			return fn(q);
		});

	return {
		run,
		tx: (fn) =>
			run(async (q) => {
				await q('begin');
				try {
					const result = await fn(q);
					await q('commit');
					return result;
				} catch (err) {
					await q('rollback').catch(() => {});
					throw err;
				}
			}),
		async close() {
			await chain;
			const c = client;
			client = undefined;
			await c?.end().catch(() => {});
		}
	};
}

// ---------------------------------------------------------------------------------------------------------
// Users, tokens, sessions
// ---------------------------------------------------------------------------------------------------------

interface UserRow {
	id: string;
	aud: string | null;
	role: string | null;
	email: string | null;
	encrypted_password: string | null;
	email_confirmed_at: Date | null;
	phone: string | null;
	phone_confirmed_at: Date | null;
	last_sign_in_at: Date | null;
	raw_app_meta_data: Record<string, unknown> | null;
	raw_user_meta_data: Record<string, unknown> | null;
	created_at: Date | null;
	updated_at: Date | null;
	banned_until: Date | null;
	deleted_at: Date | null;
	is_anonymous: boolean | null;
}

const USER_COLUMNS = `id, aud, role, email, encrypted_password, email_confirmed_at, phone, phone_confirmed_at,
	last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, banned_until, deleted_at, is_anonymous`;

const iso = (d: Date | null) => (d ? d.toISOString() : undefined);

/** app_metadata as GoTrue reports it: the stored one, with the email provider filled in if absent. */
function appMetadata(user: UserRow): Record<string, unknown> {
	return { provider: 'email', providers: ['email'], ...(user.raw_app_meta_data ?? {}) };
}

/** The user object of GoTrue's API (what supabase-js exposes as `User`). */
function userJson(user: UserRow): Record<string, unknown> {
	const confirmed = [user.email_confirmed_at, user.phone_confirmed_at].filter(Boolean) as Date[];
	return {
		id: user.id,
		aud: user.aud || 'authenticated',
		role: user.role || 'authenticated',
		email: user.email ?? '',
		email_confirmed_at: iso(user.email_confirmed_at),
		phone: user.phone ?? '',
		phone_confirmed_at: iso(user.phone_confirmed_at),
		confirmed_at: confirmed.length ? new Date(Math.min(...confirmed.map(Number))).toISOString() : undefined,
		last_sign_in_at: iso(user.last_sign_in_at),
		app_metadata: appMetadata(user),
		user_metadata: user.raw_user_meta_data ?? {},
		identities: [],
		created_at: iso(user.created_at),
		updated_at: iso(user.updated_at),
		banned_until: iso(user.banned_until),
		deleted_at: iso(user.deleted_at),
		is_anonymous: user.is_anonymous ?? false
	};
}

const isBanned = (user: UserRow, now = new Date()) => !!user.banned_until && user.banned_until > now;

/**
 * GoTrue's password strength check: too long for bcrypt is a 400, too short a 422 weak_password whose
 * `weak_password.reasons` supabase-js turns into an AuthWeakPasswordError.
 */
function checkPasswordStrength(password: string, config: AuthConfig): void {
	if (Buffer.byteLength(password, 'utf8') > 72)
		throw new AuthError(400, 'validation_failed', 'Password cannot be longer than 72 characters');
	if ([...password].length < config.passwordMinLength)
		throw new AuthError(
			422,
			'weak_password',
			`Password should be at least ${config.passwordMinLength} characters.`,
			{ weak_password: { reasons: ['length'] } }
		);
}

/**
 * GoTrue's access token claims. `role` comes from auth.users.role (set by admins), never from metadata the
 * user can edit; app_metadata likewise is admin-only.
 */
function accessTokenClaims(
	user: UserRow,
	sessionId: string,
	config: AuthConfig,
	now: number,
	signedInAt: number
) {
	return {
		aud: user.aud || 'authenticated',
		exp: now + config.jwtExpiry,
		iat: now,
		iss: config.issuer,
		sub: user.id,
		email: user.email ?? '',
		phone: user.phone ?? '',
		app_metadata: appMetadata(user),
		user_metadata: user.raw_user_meta_data ?? {},
		role: user.role || 'authenticated',
		aal: 'aal1',
		amr: [{ method: 'password', timestamp: signedInAt }],
		session_id: sessionId,
		is_anonymous: user.is_anonymous ?? false
	};
}

/** Opaque refresh token (GoTrue uses random strings, not JWTs). */
function newRefreshToken(): string {
	return randomBytes(24).toString('base64url');
}

/** Why a user may not get tokens, or null if they may. */
function signInRefusal(user: UserRow, now = new Date()): AuthError | null {
	if (user.deleted_at) return invalidCredentials();
	if (isBanned(user, now)) return new AuthError(400, 'user_banned', 'User is banned');
	if (!user.email_confirmed_at && !user.phone_confirmed_at)
		return new AuthError(400, 'email_not_confirmed', 'Email not confirmed');
	return null;
}

async function sessionResponse(
	user: UserRow,
	sessionId: string,
	refreshToken: string,
	signedInAt: number,
	config: AuthConfig
): Promise<AuthResponse> {
	const now = Math.floor(Date.now() / 1000);
	const accessToken = await config.jwt.sign(accessTokenClaims(user, sessionId, config, now, signedInAt));
	return {
		status: 200,
		body: {
			access_token: accessToken,
			token_type: 'bearer',
			expires_in: config.jwtExpiry,
			expires_at: now + config.jwtExpiry,
			refresh_token: refreshToken,
			user: userJson(user)
		}
	};
}

/**
 * bcrypt cost of every hash here: GoTrue's (bcrypt.DefaultCost, 10), which the demo seed and the tests use too
 * (`extensions.gen_salt('bf', 10)`; pgcrypto's own default would be 6).
 */
const BCRYPT_COST = 10;

// A real bcrypt hash of a random string: comparing against it when the email is unknown makes that answer
// take as long as a wrong password, so timing does not reveal which emails exist. bcrypt's time depends on the
// cost (each step doubles it), so this only holds while stored hashes have the same cost: BCRYPT_COST, as
// GoTrue writes them. A user whose hash has another cost answers measurably faster or slower.
const DUMMY_HASH = bcrypt.hashSync(randomBytes(16).toString('hex'), BCRYPT_COST);

// ---------------------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------------------

/** POST /token?grant_type=password */
async function passwordGrant(
	db: AuthDb,
	config: AuthConfig,
	body: Record<string, unknown>,
	address: string
): Promise<AuthResponse> {
	if (typeof body.phone === 'string' && body.phone && !body.email)
		throw new AuthError(400, 'phone_provider_disabled', 'Phone logins are disabled');
	const email = typeof body.email === 'string' ? body.email.trim() : '';
	const password = typeof body.password === 'string' ? body.password : '';
	if (!email || !password) throw new AuthError(400, 'validation_failed', 'missing email or phone');

	// Throttled before the password is even compared: during a lock the right password is refused too.
	const wait = config.throttle.retryAfter(email, address);
	if (wait > 0)
		throw new AuthError(429, 'over_request_rate_limit', 'Request rate limit reached', undefined, {
			'retry-after': String(wait)
		});

	const [user] = await db.run((q) =>
		q<UserRow>(`select ${USER_COLUMNS} from auth.users where lower(email) = lower($1)`, [email])
	);
	// bcrypt outside the transaction: the socket serialises the whole database while one is open.
	const ok = await bcrypt.compare(password, user?.encrypted_password || DUMMY_HASH);
	if (!user || !user.encrypted_password || !ok) {
		config.throttle.fail(email, address);
		throw invalidCredentials();
	}
	config.throttle.succeed(email);
	const refusal = signInRefusal(user);
	if (refusal) throw refusal;

	return db.tx(async (q) => {
		const [session] = await q<{ id: string; created_at: Date }>(
			'insert into auth.sessions (user_id) values ($1) returning id, created_at',
			[user.id]
		);
		const token = newRefreshToken();
		await q('insert into auth.refresh_tokens (token, user_id, session_id) values ($1, $2, $3)', [
			token,
			user.id,
			session.id
		]);
		const [updated] = await q<UserRow>(
			`update auth.users set last_sign_in_at = now() where id = $1 returning ${USER_COLUMNS}`,
			[user.id]
		);
		return sessionResponse(
			updated,
			session.id,
			token,
			Math.floor(session.created_at.getTime() / 1000),
			config
		);
	});
}

/**
 * What to do when a refresh token that was already rotated comes back (GoTrue's refresh_token_reuse_interval).
 * Within `intervalSeconds` of its rotation (its child's creation) the client most likely raced itself — two
 * server-side requests carrying the same cookie, or an answer lost on the way — so the session goes on:
 * 'reuse' hands out the session's active token again. Later, the token has probably leaked: 'revoke' ends
 * the session. Pure, for tests.
 */
export function revokedTokenVerdict(
	rotatedAt: Date | null,
	now: Date,
	intervalSeconds: number
): 'reuse' | 'revoke' {
	if (!rotatedAt) return 'revoke';
	return now.getTime() - rotatedAt.getTime() < intervalSeconds * 1000 ? 'reuse' : 'revoke';
}

/**
 * POST /token?grant_type=refresh_token — rotation: the presented token is revoked and a child issued. A revoked
 * token presented again within the reuse interval answers with the session's active token (see
 * revokedTokenVerdict); after it, the whole session is revoked, as GoTrue's reuse detection does.
 */
async function refreshGrant(
	db: AuthDb,
	config: AuthConfig,
	body: Record<string, unknown>
): Promise<AuthResponse> {
	const presented = typeof body.refresh_token === 'string' ? body.refresh_token : '';
	if (!presented) throw new AuthError(400, 'validation_failed', 'refresh_token required');
	const notFound = () =>
		new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');

	const outcome = await db.tx(async (q) => {
		const [row] = await q<{
			id: string;
			revoked: boolean;
			session_id: string | null;
			user_id: string;
			session_created: Date | null;
		}>(
			`select t.id, t.revoked, t.session_id, t.user_id, s.created_at as session_created
			   from auth.refresh_tokens t left join auth.sessions s on s.id = t.session_id
			  where t.token = $1 for update of t`,
			[presented]
		);
		if (!row || !row.session_id || !row.session_created) return { error: notFound() };
		const signedInAt = Math.floor(row.session_created.getTime() / 1000);
		const [user] = await q<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1`, [row.user_id]);

		if (row.revoked) {
			const [child] = await q<{ created_at: Date }>(
				'select created_at from auth.refresh_tokens where parent = $1 order by id limit 1',
				[presented]
			);
			const [active] = await q<{ token: string }>(
				'select token from auth.refresh_tokens where session_id = $1 and not revoked order by id desc limit 1',
				[row.session_id]
			);
			const verdict = revokedTokenVerdict(
				child?.created_at ?? null,
				new Date(),
				config.refreshTokenReuseInterval
			);
			if (active && verdict === 'reuse') {
				const refusal = user ? signInRefusal(user) : notFound();
				if (refusal) return { error: refusal };
				return { response: await sessionResponse(user, row.session_id, active.token, signedInAt, config) };
			}
			await q('update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1', [
				row.session_id
			]);
			return {
				error: new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used')
			};
		}
		const refusal = user ? signInRefusal(user) : notFound();
		if (refusal) return { error: refusal };

		const token = newRefreshToken();
		await q('update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1', [row.id]);
		await q('insert into auth.refresh_tokens (token, user_id, session_id, parent) values ($1, $2, $3, $4)', [
			token,
			user.id,
			row.session_id,
			presented
		]);
		await q('update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1', [
			row.session_id
		]);
		return { response: await sessionResponse(user, row.session_id, token, signedInAt, config) };
	});
	// Thrown only after COMMIT: the reuse revocation above must persist.
	if (outcome.error) throw outcome.error;
	return outcome.response!;
}

interface Authenticated {
	claims: { sub: string; session_id?: string; [k: string]: unknown };
	user: UserRow;
}

/** The user behind a Bearer access token, as GoTrue's requireAuthentication + session check. */
async function authenticate(
	db: AuthDb,
	config: AuthConfig,
	authorization: string | undefined
): Promise<Authenticated> {
	const match = /^bearer\s+(\S+)$/i.exec(authorization ?? '');
	if (!match) throw new AuthError(401, 'no_authorization', 'This endpoint requires a Bearer token');
	let claims;
	try {
		claims = await config.jwt.verify(match[1]);
	} catch (err) {
		throw new AuthError(403, 'bad_jwt', err instanceof JwtError ? err.message : 'invalid JWT');
	}
	if (typeof claims.sub !== 'string' || !claims.sub)
		throw new AuthError(403, 'bad_jwt', 'invalid claim: missing sub claim');
	const sub = claims.sub;
	const sessionId = typeof claims.session_id === 'string' ? claims.session_id : undefined;
	return db.run(async (q) => {
		const [user] = await q<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1::uuid`, [
			sub
		]).catch(() => []);
		if (!user || user.deleted_at)
			throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
		// A token issued before a ban is refused at once, as GoTrue's requireAuthentication does.
		if (isBanned(user)) throw new AuthError(403, 'user_banned', 'User is banned');
		if (sessionId) {
			// The session must be this user's: another user's session id does not stand in for one's own.
			const [session] = await q('select 1 from auth.sessions where id = $1::uuid and user_id = $2::uuid', [
				sessionId,
				sub
			]).catch(() => []);
			if (!session)
				throw new AuthError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
		}
		return { claims: { ...claims, sub, session_id: sessionId }, user };
	});
}

/** GET /user */
async function getUser(
	db: AuthDb,
	config: AuthConfig,
	authorization: string | undefined
): Promise<AuthResponse> {
	const { user } = await authenticate(db, config, authorization);
	return { status: 200, body: userJson(user) };
}

/**
 * Merges `data` into user_metadata the way GoTrue does (top-level keys; null deletes a key). Pure, for tests.
 */
function mergeUserMetadata(
	current: Record<string, unknown> | null,
	data: Record<string, unknown>
): Record<string, unknown> {
	const merged: Record<string, unknown> = { ...(current ?? {}) };
	for (const [key, value] of Object.entries(data)) {
		if (value === null) delete merged[key];
		else merged[key] = value;
	}
	return merged;
}

/**
 * PUT /user: user_metadata (`data`) and password (which logs out the user's other sessions). Email / phone
 * changes need GoTrue's mailer: not offered.
 */
async function updateUser(
	db: AuthDb,
	config: AuthConfig,
	authorization: string | undefined,
	body: Record<string, unknown>
): Promise<AuthResponse> {
	const { claims, user } = await authenticate(db, config, authorization);
	if (
		(typeof body.email === 'string' && body.email !== user.email) ||
		(typeof body.phone === 'string' && body.phone !== (user.phone ?? ''))
	) {
		throw new AuthError(
			422,
			'validation_failed',
			'Changing email or phone is not supported by the embedded auth service'
		);
	}
	const data = body.data;
	if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
		throw new AuthError(400, 'validation_failed', 'data must be a JSON object');
	}
	let hash: string | undefined;
	if (typeof body.password === 'string') {
		checkPasswordStrength(body.password, config);
		if (user.encrypted_password && (await bcrypt.compare(body.password, user.encrypted_password))) {
			throw new AuthError(422, 'same_password', 'New password should be different from the old password.');
		}
		hash = await bcrypt.hash(body.password, BCRYPT_COST);
	}
	const updated = await db.tx(async (q) => {
		const [current] = await q<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1 for update`, [
			user.id
		]);
		const meta = data
			? mergeUserMetadata(current.raw_user_meta_data, data as Record<string, unknown>)
			: current.raw_user_meta_data;
		const [row] = await q<UserRow>(
			`update auth.users set raw_user_meta_data = $2::jsonb, encrypted_password = coalesce($3, encrypted_password), updated_at = now()
			  where id = $1 returning ${USER_COLUMNS}`,
			[user.id, JSON.stringify(meta ?? {}), hash ?? null]
		);
		// A new password ends every other session (GoTrue's LogoutAllExceptMe): whoever knew the old one is out.
		// Their refresh tokens go with them (on delete cascade).
		if (hash) {
			if (claims.session_id)
				await q('delete from auth.sessions where user_id = $1 and id <> $2', [user.id, claims.session_id]);
			else await q('delete from auth.sessions where user_id = $1', [user.id]);
		}
		return row;
	});
	return { status: 200, body: userJson(updated) };
}

/** POST /logout?scope=global|local|others — ends sessions; their refresh tokens go with them. */
async function logout(
	db: AuthDb,
	config: AuthConfig,
	authorization: string | undefined,
	scope: string | null
): Promise<AuthResponse> {
	const { claims, user } = await authenticate(db, config, authorization);
	const which = scope ?? 'global';
	if (!['global', 'local', 'others'].includes(which))
		throw new AuthError(400, 'validation_failed', `Unsupported logout scope "${which}"`);
	await db.tx(async (q) => {
		if (which === 'global' || !claims.session_id)
			await q('delete from auth.sessions where user_id = $1', [user.id]);
		else if (which === 'local') await q('delete from auth.sessions where id = $1', [claims.session_id]);
		else await q('delete from auth.sessions where user_id = $1 and id <> $2', [user.id, claims.session_id]);
	});
	return { status: 204 };
}

function health(): AuthResponse {
	return {
		status: 200,
		body: {
			version: 'embedded',
			name: 'GoTrue',
			description: 'GoTrue is a user registration and authentication API'
		}
	};
}

function settings(): AuthResponse {
	return {
		status: 200,
		body: {
			external: {
				email: true,
				phone: false,
				anonymous_users: false,
				google: false,
				github: false,
				apple: false,
				azure: false
			},
			disable_signup: true,
			mailer_autoconfirm: true,
			phone_autoconfirm: false,
			sms_provider: '',
			saml_enabled: false
		}
	};
}

// ---------------------------------------------------------------------------------------------------------
// Admin API (/admin/users): what supabase.auth.admin's createUser, listUsers, getUserById, updateUserById and
// deleteUser send and read. Only a bearer JWT with role service_role may call it, as GoTrue's
// requireAdminCredentials with the default GOTRUE_JWT_ADMIN_ROLES.
// ---------------------------------------------------------------------------------------------------------

const ADMIN_ROLES = ['service_role', 'supabase_admin'];
const DEFAULT_AUD = 'authenticated';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function requireAdmin(config: AuthConfig, authorization: string | undefined): Promise<void> {
	const match = /^bearer\s+(\S+)$/i.exec(authorization ?? '');
	if (!match) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
	let claims;
	try {
		claims = await config.jwt.verify(match[1]);
	} catch (err) {
		throw new AuthError(403, 'bad_jwt', err instanceof JwtError ? err.message : 'invalid JWT');
	}
	if (typeof claims.role !== 'string' || !ADMIN_ROLES.includes(claims.role))
		throw new AuthError(403, 'not_admin', 'User not allowed');
}

/**
 * A Go duration as GoTrue's ban_duration takes it (time.ParseDuration: "24h", "1h30m", "90s", "876000h"), in
 * milliseconds; "none" is 0 (lifts a ban). Throws GoTrue's 400 otherwise. Exported for tests.
 */
export function parseBanDuration(raw: string): number {
	if (raw === 'none') return 0;
	const unitMs: Record<string, number> = {
		ns: 1e-6,
		us: 1e-3,
		µs: 1e-3,
		ms: 1,
		s: 1000,
		m: 60_000,
		h: 3_600_000
	};
	const bad = () =>
		new AuthError(
			400,
			'validation_failed',
			`invalid format for ban duration: time: invalid duration "${raw}"`
		);
	const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(raw);
	if (raw === '0') return 0;
	if (!m) throw bad();
	let total = 0;
	for (const part of raw.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g))
		total += Number(part[1]) * unitMs[part[2]];
	return m[1] === '-' ? -total : total;
}

/** GoTrue's email check (format only) and normal form (lower case). */
function validEmail(raw: string): string {
	if (raw.length > 255) throw new AuthError(400, 'validation_failed', 'An email address is too long');
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw))
		throw new AuthError(400, 'validation_failed', 'Unable to validate email address: invalid format');
	return raw.toLowerCase();
}

/** GoTrue's phone check: "+" and spaces dropped, then E.164 digits. */
function validPhone(raw: string): string {
	const phone = raw.replace(/^\+/, '').replaceAll(' ', '');
	if (!/^[1-9]\d{1,14}$/.test(phone))
		throw new AuthError(400, 'validation_failed', 'Invalid phone number format (E.164 required)');
	return phone;
}

const objectParam = (body: Record<string, unknown>, name: string): Record<string, unknown> | undefined => {
	const v = body[name];
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'object' || Array.isArray(v))
		throw new AuthError(400, 'bad_json', `Could not parse request body as JSON: ${name} must be an object`);
	return v as Record<string, unknown>;
};

const stringParam = (body: Record<string, unknown>, name: string): string => {
	const v = body[name];
	if (v === undefined || v === null) return '';
	if (typeof v !== 'string')
		throw new AuthError(400, 'bad_json', `Could not parse request body as JSON: ${name} must be a string`);
	return v;
};

/** banned_until for a ban_duration ('' leaves it as it is: undefined). */
function bannedUntil(body: Record<string, unknown>): Date | null | undefined {
	const raw = stringParam(body, 'ban_duration');
	if (!raw) return undefined;
	const ms = parseBanDuration(raw);
	return ms === 0 ? null : new Date(Date.now() + ms);
}

async function findUser(q: Query, id: string, lock = false): Promise<UserRow> {
	if (!UUID.test(id)) throw new AuthError(404, 'validation_failed', 'user_id must be an UUID');
	const [user] = await q<UserRow>(
		`select ${USER_COLUMNS} from auth.users where id = $1${lock ? ' for update' : ''}`,
		[id]
	);
	if (!user) throw new AuthError(404, 'user_not_found', 'User not found');
	return user;
}

async function assertFree(q: Query, what: 'email' | 'phone', value: string, except?: string): Promise<void> {
	const [taken] = await q(
		`select 1 from auth.users where ${what === 'email' ? 'lower(email) = lower($1)' : 'phone = $1'}
		   and deleted_at is null and ($2::uuid is null or id <> $2::uuid) limit 1`,
		[value, except ?? null]
	);
	if (taken && what === 'email')
		throw new AuthError(422, 'email_exists', 'A user with this email address has already been registered');
	if (taken) throw new AuthError(422, 'phone_exists', 'Phone number already registered by another user');
}

/** The password's bcrypt hash, or a bcrypt `password_hash` given as is; checks as GoTrue does. */
async function passwordHashFrom(
	body: Record<string, unknown>,
	config: AuthConfig
): Promise<string | undefined> {
	const hash = stringParam(body, 'password_hash');
	if (body.password !== undefined && body.password !== null && hash)
		throw new AuthError(400, 'validation_failed', 'Only a password or a password hash should be provided');
	if (hash) {
		if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash))
			throw new AuthError(400, 'validation_failed', 'Only bcrypt password hashes are supported');
		return hash;
	}
	if (body.password === undefined || body.password === null) return undefined;
	const password = stringParam(body, 'password');
	checkPasswordStrength(password, config);
	return bcrypt.hash(password, BCRYPT_COST);
}

/** POST /admin/users */
async function adminCreateUser(
	db: AuthDb,
	config: AuthConfig,
	body: Record<string, unknown>
): Promise<AuthResponse> {
	const rawEmail = stringParam(body, 'email');
	const rawPhone = stringParam(body, 'phone');
	if (!rawEmail && !rawPhone)
		throw new AuthError(400, 'validation_failed', 'Cannot create a user without either an email or phone');
	const email = rawEmail ? validEmail(rawEmail) : null;
	const phone = rawPhone ? validPhone(rawPhone) : null;
	const id = stringParam(body, 'id');
	if (id && !UUID.test(id))
		throw new AuthError(400, 'validation_failed', 'ID must conform to the uuid v4 format');
	if (id && /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(id))
		throw new AuthError(400, 'validation_failed', 'ID cannot be a nil uuid');
	const userMeta = objectParam(body, 'user_metadata');
	const appMeta = objectParam(body, 'app_metadata');
	const ban = bannedUntil(body);
	// No password: a random one nobody knows (GoTrue's), so the account exists but cannot sign in yet.
	const hash =
		(await passwordHashFrom(body, config)) ??
		(await bcrypt.hash(randomBytes(48).toString('base64url'), BCRYPT_COST));
	const providers = [...(email ? ['email'] : []), ...(phone ? ['phone'] : [])];
	const app = mergeUserMetadata({ provider: providers[0], providers }, appMeta ?? {});

	const created = await db
		.tx(async (q) => {
			if (email) await assertFree(q, 'email', email);
			if (phone) await assertFree(q, 'phone', phone);
			const [row] = await q<UserRow>(
				`insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password,
			                         email_confirmed_at, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data,
			                         banned_until, created_at, updated_at)
			 values ('00000000-0000-0000-0000-000000000000', coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6,
			         case when $7 then now() end, case when $8 then now() end, $9::jsonb, $10::jsonb, $11, now(), now())
			 returning ${USER_COLUMNS}`,
				[
					id || null,
					stringParam(body, 'aud') || DEFAULT_AUD,
					stringParam(body, 'role') || 'authenticated',
					email,
					phone,
					hash,
					body.email_confirm === true,
					body.phone_confirm === true,
					JSON.stringify(app),
					JSON.stringify(userMeta ?? {}),
					ban ?? null
				]
			);
			return row;
		})
		.catch((err: unknown) => {
			// An email or phone raced in by another request since the check; a custom id that is taken is
			// GoTrue's 500 "Database error creating new user".
			const { code, constraint } = err as { code?: string; constraint?: string };
			if (code === '23505' && constraint?.includes('email'))
				throw new AuthError(
					422,
					'email_exists',
					'A user with this email address has already been registered'
				);
			if (code === '23505' && constraint?.includes('phone'))
				throw new AuthError(422, 'phone_exists', 'Phone number already registered by another user');
			if (code === '23505')
				throw new AuthError(500, 'unexpected_failure', 'Database error creating new user');
			throw err;
		});
	return { status: 200, body: userJson(created) };
}

/** GET /admin/users?page=&per_page= : newest first, with GoTrue's X-Total-Count and Link headers. */
async function adminListUsers(db: AuthDb, query: URLSearchParams): Promise<AuthResponse> {
	const whole = (name: string, fallback: number) => {
		const raw = query.get(name) ?? '';
		if (!raw) return fallback;
		if (!/^\d+$/.test(raw))
			throw new AuthError(
				400,
				'validation_failed',
				`Bad Pagination Parameters: strconv.ParseUint: parsing "${raw}": invalid syntax`
			);
		return Number(raw);
	};
	const page = Math.max(1, whole('page', 1));
	const perPage = whole('per_page', 50) || 50;
	const { users, total } = await db.run(async (q) => {
		const [{ n }] = await q<{ n: string }>(`select count(*) n from auth.users where coalesce(aud, $1) = $1`, [
			DEFAULT_AUD
		]);
		const rows = await q<UserRow>(
			`select ${USER_COLUMNS} from auth.users where coalesce(aud, $1) = $1
			  order by created_at desc nulls last, id limit $2 offset $3`,
			[DEFAULT_AUD, perPage, (page - 1) * perPage]
		);
		return { users: rows, total: Number(n) };
	});
	const lastPage = Math.ceil(total / perPage);
	// Query keys in Go's sorted order (page before per_page): supabase-js reads the page from the first "=".
	const link = (p: number) => `</auth/v1/admin/users?page=${p}&per_page=${perPage}>`;
	const links = [
		...(lastPage > page ? [`${link(page + 1)}; rel="next"`] : []),
		`${link(lastPage)}; rel="last"`
	];
	return {
		status: 200,
		body: { users: users.map(userJson), aud: DEFAULT_AUD },
		headers: { link: links.join(', '), 'x-total-count': String(total) }
	};
}

/** GET /admin/users/{id} */
async function adminGetUser(db: AuthDb, id: string): Promise<AuthResponse> {
	const user = await db.run((q) => findUser(q, id));
	return { status: 200, body: userJson(user) };
}

/**
 * PUT /admin/users/{id}: email, phone, password (which ends every session of the user, as GoTrue's
 * UpdatePassword without a session), role, confirmations, app_metadata / user_metadata (merged; null deletes a
 * key) and ban_duration ("none" lifts a ban). A ban keeps the sessions: while it lasts, sign-in, refresh,
 * GET /user and every REST request (guard.check_session) refuse them; lifted, they work again.
 */
async function adminUpdateUser(
	db: AuthDb,
	config: AuthConfig,
	id: string,
	body: Record<string, unknown>
): Promise<AuthResponse> {
	const rawEmail = stringParam(body, 'email');
	const rawPhone = stringParam(body, 'phone');
	const email = rawEmail ? validEmail(rawEmail) : undefined;
	const phone = rawPhone ? validPhone(rawPhone) : undefined;
	const userMeta = objectParam(body, 'user_metadata');
	const appMeta = objectParam(body, 'app_metadata');
	const ban = bannedUntil(body);
	const hash = await passwordHashFrom(body, config);

	const updated = await db.tx(async (q) => {
		const user = await findUser(q, id, true);
		if (email && email !== user.email) await assertFree(q, 'email', email, user.id);
		if (phone && phone !== user.phone) await assertFree(q, 'phone', phone, user.id);
		const [row] = await q<UserRow>(
			`update auth.users set
			    email = coalesce($2, email),
			    phone = coalesce($3, phone),
			    encrypted_password = coalesce($4, encrypted_password),
			    role = coalesce(nullif($5, ''), role),
			    email_confirmed_at = case when $6 then coalesce(email_confirmed_at, now()) else email_confirmed_at end,
			    phone_confirmed_at = case when $7 then coalesce(phone_confirmed_at, now()) else phone_confirmed_at end,
			    raw_app_meta_data = $8::jsonb,
			    raw_user_meta_data = $9::jsonb,
			    banned_until = case when $10 then $11::timestamptz else banned_until end,
			    updated_at = now()
			  where id = $1 returning ${USER_COLUMNS}`,
			[
				user.id,
				email ?? null,
				phone ?? null,
				hash ?? null,
				stringParam(body, 'role'),
				body.email_confirm === true,
				body.phone_confirm === true,
				JSON.stringify(
					appMeta ? mergeUserMetadata(user.raw_app_meta_data, appMeta) : (user.raw_app_meta_data ?? {})
				),
				JSON.stringify(
					userMeta ? mergeUserMetadata(user.raw_user_meta_data, userMeta) : (user.raw_user_meta_data ?? {})
				),
				ban !== undefined,
				ban ?? null
			]
		);
		if (hash) await endAllSessions(q, user.id);
		return row;
	});
	return { status: 200, body: userJson(updated) };
}

/** Every session of a user, and every refresh token (also those of no session), gone. */
async function endAllSessions(q: Query, userId: string): Promise<void> {
	await q('delete from auth.refresh_tokens where user_id = $1', [userId]);
	await q('delete from auth.sessions where user_id = $1', [userId]);
}

/**
 * DELETE /admin/users/{id}, body { should_soft_delete }: the row goes (sessions and refresh tokens with it;
 * the app's rows referring to the user follow their foreign keys), or, soft, the user keeps its id with
 * deleted_at set, email, phone and password cleared, and no sessions. Answers {} as GoTrue.
 */
async function adminDeleteUser(db: AuthDb, id: string, body: Record<string, unknown>): Promise<AuthResponse> {
	const soft = body.should_soft_delete === true;
	await db.tx(async (q) => {
		const user = await findUser(q, id, true);
		await endAllSessions(q, user.id);
		if (!soft) {
			await q('delete from auth.users where id = $1', [user.id]).catch((err: unknown) => {
				throw Object.assign(new AuthError(500, 'unexpected_failure', 'Database error deleting user'), {
					cause: err
				});
			});
		} else if (!user.deleted_at) {
			await q(
				`update auth.users set email = null, phone = null, encrypted_password = null, deleted_at = now(),
				        updated_at = now() where id = $1`,
				[user.id]
			);
		}
	});
	return { status: 200, body: {} };
}

async function adminRoute(
	db: AuthDb,
	config: AuthConfig,
	req: AuthRequest,
	path: string
): Promise<AuthResponse | undefined> {
	const users = /^\/admin\/users(?:\/([^/]+))?$/.exec(path);
	if (!users) return undefined;
	await requireAdmin(config, header(req, 'authorization'));
	const id = users[1] ? decodeURIComponent(users[1]) : undefined;
	if (id === undefined) {
		if (req.method === 'GET') return adminListUsers(db, req.query);
		if (req.method === 'POST') return adminCreateUser(db, config, parseBody(req.body));
	} else {
		if (req.method === 'GET') return adminGetUser(db, id);
		if (req.method === 'PUT') return adminUpdateUser(db, config, id, parseBody(req.body));
		if (req.method === 'DELETE') return adminDeleteUser(db, id, parseBody(req.body));
	}
	throw new AuthError(405, 'method_not_allowed', `${req.method} is not allowed here`);
}

// ---------------------------------------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------------------------------------

interface AuthRequest {
	method: string;
	/** Path below /auth/v1, e.g. "/token". */
	path: string;
	query: URLSearchParams;
	headers: Record<string, string | string[] | undefined>;
	/** The raw body; the routes that take one parse it as JSON (parseBody). */
	body: string;
	/**
	 * The client's address, for sign-in throttling: the socket's, or the end user's that a server-side caller
	 * forwarded in Sb-Forwarded-For (the gateway decides which to trust).
	 */
	address: string;
}

/** A JSON object body ({} when empty or not an object); malformed JSON is GoTrue's 400 bad_json. */
function parseBody(raw: string): Record<string, unknown> {
	if (!raw.trim()) return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON');
	}
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
		? (parsed as Record<string, unknown>)
		: {};
}

const header = (req: AuthRequest, name: string) => {
	const v = req.headers[name];
	return Array.isArray(v) ? v[0] : v;
};

async function route(db: AuthDb, config: AuthConfig, req: AuthRequest): Promise<AuthResponse> {
	const path = req.path.replace(/\/+$/, '') || '/';
	const admin = await adminRoute(db, config, req, path);
	if (admin) return admin;
	const key = `${req.method} ${path}`;
	switch (key) {
		case 'GET /health':
			return health();
		case 'GET /settings':
			return settings();
		case 'GET /.well-known/jwks.json':
			// HS256 secrets are never published; GoTrue answers an empty set, and supabase-js's getClaims() then
			// verifies through GET /user.
			return { status: 200, body: { keys: [] } };
		case 'POST /token': {
			const grant = req.query.get('grant_type');
			if (grant === 'password')
				return passwordGrant(db, config, parseBody(req.body), normaliseAddress(req.address));
			if (grant === 'refresh_token') return refreshGrant(db, config, parseBody(req.body));
			throw new AuthError(400, 'validation_failed', 'unsupported_grant_type');
		}
		case 'GET /user':
			return getUser(db, config, header(req, 'authorization'));
		case 'PUT /user':
			return updateUser(db, config, header(req, 'authorization'), parseBody(req.body));
		case 'POST /logout':
			return logout(db, config, header(req, 'authorization'), req.query.get('scope'));
		case 'POST /signup':
			throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance');
		default:
			throw new AuthError(
				404,
				'not_found',
				`${req.method} /auth/v1${req.path} is not offered by the embedded auth service`
			);
	}
}

/** Answers one /auth/v1 request; never throws (unexpected failures become a 500 in GoTrue's shape). */
export async function handleAuthRequest(
	db: AuthDb,
	config: AuthConfig,
	req: AuthRequest
): Promise<AuthResponse> {
	try {
		return await route(db, config, req);
	} catch (err) {
		const apiVersion = header(req, 'x-supabase-api-version');
		if (err instanceof AuthError) return renderError(err, apiVersion);
		console.error('[auth] unexpected error:', err);
		return renderError(
			new AuthError(
				500,
				'unexpected_failure',
				'Unexpected failure, please check server logs for more information'
			),
			apiVersion
		);
	}
}
