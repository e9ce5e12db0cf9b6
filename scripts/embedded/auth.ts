/**
 * A local stand-in for GoTrue (Supabase Auth) covering what supabase-js v2 uses for email + password:
 *   POST /token?grant_type=password | refresh_token, GET /user, PUT /user, POST /logout, GET /health, GET /settings.
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
		message: string
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
			body: { code: err.code, msg: err.message },
			headers: { 'x-supabase-api-version': API_VERSION }
		};
	}
	return { status: err.status, body: { code: err.status, error_code: err.code, msg: err.message } };
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
		is_anonymous: user.is_anonymous ?? false
	};
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
	if (user.banned_until && user.banned_until > now)
		return new AuthError(400, 'user_banned', 'User is banned');
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
	body: Record<string, unknown>
): Promise<AuthResponse> {
	if (typeof body.phone === 'string' && body.phone && !body.email)
		throw new AuthError(400, 'phone_provider_disabled', 'Phone logins are disabled');
	const email = typeof body.email === 'string' ? body.email.trim() : '';
	const password = typeof body.password === 'string' ? body.password : '';
	if (!email || !password) throw new AuthError(400, 'validation_failed', 'missing email or phone');

	const [user] = await db.run((q) =>
		q<UserRow>(`select ${USER_COLUMNS} from auth.users where lower(email) = lower($1)`, [email])
	);
	// bcrypt outside the transaction: the socket serialises the whole database while one is open.
	const ok = await bcrypt.compare(password, user?.encrypted_password || DUMMY_HASH);
	if (!user || !user.encrypted_password || !ok) throw invalidCredentials();
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
		if (sessionId) {
			const [session] = await q('select 1 from auth.sessions where id = $1::uuid', [sessionId]).catch(
				() => []
			);
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
		if (body.password.length < 6)
			throw new AuthError(422, 'weak_password', 'Password should be at least 6 characters.');
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
	const key = `${req.method} ${req.path.replace(/\/+$/, '') || '/'}`;
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
			if (grant === 'password') return passwordGrant(db, config, parseBody(req.body));
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
