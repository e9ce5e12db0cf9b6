/**
 * The secrets and addresses of the local Supabase stack, in ONE place.
 *
 * They are the Supabase CLI's published defaults (`supabase start` prints the same values), so code and
 * tests written against `supabase start` work unchanged against the embedded stack and vice versa.
 * They are public demo values: never use them for a hosted project.
 *
 * This module has no Node-only imports, so browser-side code and tests may import it too.
 */

/** HS256 secret that signs every JWT of the local stack (Supabase CLI default). */
export const DEFAULT_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

/** `{ iss: 'supabase-demo', role: 'anon', exp: 1983812996 }` signed with DEFAULT_JWT_SECRET. */
export const DEFAULT_ANON_KEY =
	'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';

/** `{ iss: 'supabase-demo', role: 'service_role', exp: 1983812996 }` signed with DEFAULT_JWT_SECRET. */
export const DEFAULT_SERVICE_ROLE_KEY =
	'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

type Env = Record<string, string | undefined>;

/** Ports of the Supabase CLI layout: API gateway 54321, Postgres 54322. PostgREST listens behind the gateway. */
export const DEFAULT_API_PORT = 54321;
export const DEFAULT_PG_PORT = 54322;
export const DEFAULT_POSTGREST_PORT = 54330;

/** Access-token lifetime of the local auth service, in seconds (GoTrue's JWT_EXP; env JWT_EXPIRY overrides it). */
export const DEFAULT_JWT_EXPIRY = 3600;

/**
 * Seconds a rotated refresh token may still be presented (GoTrue's refresh_token_reuse_interval; env
 * GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL overrides it).
 */
export const DEFAULT_REFRESH_TOKEN_REUSE_INTERVAL = 10;

/**
 * Shortest password the local auth service accepts where one is set (GoTrue's GOTRUE_PASSWORD_MIN_LENGTH, whose own
 * default is 6; the product asks for 8, issue #16). supabase/config.toml's auth.minimum_password_length matches.
 */
export const DEFAULT_PASSWORD_MIN_LENGTH = 8;

/** The URL the app uses when PUBLIC_SUPABASE_URL is not set. */
export const DEFAULT_SUPABASE_URL = `http://127.0.0.1:${DEFAULT_API_PORT}`;

/**
 * The URLs (origins) that mean "the local stack on this API port": scripts/with-stack.ts starts the embedded
 * stack for them when nothing answers there.
 */
export function localSupabaseUrls(apiPort = DEFAULT_API_PORT): string[] {
	return [`http://127.0.0.1:${apiPort}`, `http://localhost:${apiPort}`];
}

export interface StackPorts {
	apiPort: number;
	pgPort: number;
	postgrestPort: number;
}

type PortNames = { api: string; pg: string; postgrest: string };

/** Env names of the stack's ports (main.ts reads them; messages tell the user to change them). */
export const PORT_ENV = {
	api: 'EMBEDDED_API_PORT',
	pg: 'EMBEDDED_PG_PORT',
	postgrest: 'EMBEDDED_POSTGREST_PORT'
} as const satisfies PortNames;

const DEFAULT_PORTS: StackPorts = {
	apiPort: DEFAULT_API_PORT,
	pgPort: DEFAULT_PG_PORT,
	postgrestPort: DEFAULT_POSTGREST_PORT
};

/**
 * The ports named in `env` (by default EMBEDDED_API_PORT / EMBEDDED_PG_PORT / EMBEDDED_POSTGREST_PORT), each
 * falling back to `defaults`. A value that is not a port number is an error that names the variable.
 */
export function stackPortsFromEnv(
	env: Env = typeof process === 'undefined' ? {} : process.env,
	names: PortNames = PORT_ENV,
	defaults: StackPorts = DEFAULT_PORTS
): StackPorts {
	const port = (name: string, fallback: number) => {
		const raw = env[name];
		if (!raw) return fallback;
		const n = Number(raw);
		if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name}=${raw} is not a port number`);
		return n;
	};
	return {
		apiPort: port(names.api, defaults.apiPort),
		pgPort: port(names.pg, defaults.pgPort),
		postgrestPort: port(names.postgrest, defaults.postgrestPort)
	};
}

/** `ports` as the env main.ts reads (to start a stack as a child on those ports). */
export function portEnv(ports: StackPorts): Record<string, string> {
	return {
		[PORT_ENV.api]: String(ports.apiPort),
		[PORT_ENV.pg]: String(ports.pgPort),
		[PORT_ENV.postgrest]: String(ports.postgrestPort)
	};
}

/** Where a stack on `ports` answers: the Supabase URL, Postgres (the PGlite socket) and PostgREST itself. */
export function stackUrls(
	ports: StackPorts,
	host = '127.0.0.1'
): { url: string; pgUrl: string; postgrestUrl: string } {
	return {
		url: `http://${host}:${ports.apiPort}`,
		pgUrl: `postgres://postgres:postgres@${host}:${ports.pgPort}/postgres`,
		postgrestUrl: `http://${host}:${ports.postgrestPort}`
	};
}

/** main.ts prints this followed by the URL once everything answers; scripts/with-stack.ts waits for it. */
export const READY_LINE_PREFIX = 'embedded stack ready on ';

/**
 * Embedded-stack-only route (not Supabase's): POST with the service_role key as apikey reloads PostgREST's schema
 * cache and answers 204 once the new cache is in use. (`NOTIFY pgrst, 'reload schema'` works too, as on
 * hosted, but does not say when it is done.)
 */
export const RELOAD_SCHEMA_PATH = '/_embedded/reload-schema';

export interface StackKeys {
	jwtSecret: string;
	anonKey: string;
	serviceRoleKey: string;
}

/**
 * The keys in force: env `JWT_SECRET`, `SUPABASE_ANON_KEY`, `SUPABASE_SERVICE_ROLE_KEY` override the defaults.
 * Overriding the secret alone would leave keys that no longer verify, so that is refused with a message
 * that says what to do.
 */
export function resolveKeys(env: Env = typeof process === 'undefined' ? {} : process.env): StackKeys {
	const jwtSecret = env.JWT_SECRET || DEFAULT_JWT_SECRET;
	const anonKey = env.SUPABASE_ANON_KEY || DEFAULT_ANON_KEY;
	const serviceRoleKey = env.SUPABASE_SERVICE_ROLE_KEY || DEFAULT_SERVICE_ROLE_KEY;
	if (jwtSecret !== DEFAULT_JWT_SECRET && (!env.SUPABASE_ANON_KEY || !env.SUPABASE_SERVICE_ROLE_KEY)) {
		throw new Error(
			'JWT_SECRET is set, so SUPABASE_ANON_KEY and SUPABASE_SERVICE_ROLE_KEY must be set too ' +
				'(HS256 JWTs with role "anon" / "service_role" signed with that secret; see signApiKey in scripts/embedded/jwt.ts).'
		);
	}
	if (jwtSecret.length < 32)
		throw new Error('JWT_SECRET must be at least 32 characters (PostgREST refuses shorter ones).');
	return { jwtSecret, anonKey, serviceRoleKey };
}
