/**
 * Where the app finds Supabase. Unset means the local stack (embedded, or `supabase start`): the same
 * published defaults, so `npm start` on a fresh clone needs no .env. A hosted project sets both variables.
 */
import { env } from '$env/dynamic/public';
import { DEFAULT_ANON_KEY, DEFAULT_SUPABASE_URL } from '../../../scripts/embedded/keys';

export function supabaseUrl(): string {
	return env.PUBLIC_SUPABASE_URL || DEFAULT_SUPABASE_URL;
}

export function supabaseAnonKey(): string {
	return env.PUBLIC_SUPABASE_ANON_KEY || DEFAULT_ANON_KEY;
}
