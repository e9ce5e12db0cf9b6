/**
 * Where the app finds Supabase. Unset means the local stack (embedded, or `supabase start`): the same
 * published defaults, so `npm start` on a fresh clone needs no .env. A hosted project sets both variables.
 */
import { env } from '$env/dynamic/public';
import { env as privateEnv } from '$env/dynamic/private';
import { DEFAULT_ANON_KEY, DEFAULT_SUPABASE_URL } from '../../../scripts/embedded/keys';

export function supabaseUrl(): string {
	return env.PUBLIC_SUPABASE_URL || DEFAULT_SUPABASE_URL;
}

export function supabaseAnonKey(): string {
	return env.PUBLIC_SUPABASE_ANON_KEY || DEFAULT_ANON_KEY;
}

/**
 * The server's secret key (SUPABASE_SERVICE_ROLE_KEY; `scripts/with-stack.ts` sets the local stack's), or
 * undefined when none is configured. Server side only: never put it in page data or a browser bundle. On hosted
 * Supabase use a secret key (sb_secret_…): only with one does Supabase Auth honour the end user's address that
 * the sign-in forwards (Sb-Forwarded-For).
 */
export function supabaseServiceRoleKey(): string | undefined {
	return privateEnv.SUPABASE_SERVICE_ROLE_KEY || undefined;
}
