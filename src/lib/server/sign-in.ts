/**
 * Password sign-in on the user's behalf, counted under the user's own address.
 *
 * The browser talks only to this app, so the auth service sees every sign-in coming from this server. Its
 * throttling (per account and per client address; GoTrue's, or the embedded stack's) would then count every
 * user's failures under one address, and one attacker could lock everybody out. So the server forwards the
 * address it saw (`getClientAddress()`: the socket's, or ADDRESS_HEADER's behind a proxy) in `Sb-Forwarded-For`,
 * which the auth service honours only on a request with the secret (service_role) key: a browser holding the
 * public anon key cannot choose the address it is counted under. The tokens are then handed to the request's
 * cookie-bound client, which stores them as its own sign-in would.
 *
 * Without a configured key (SUPABASE_SERVICE_ROLE_KEY) it signs in through the cookie-bound client directly,
 * as before: throttled under the server's address.
 */
import { createClient, type AuthError, type SupabaseClient } from '@supabase/supabase-js';
import { supabaseServiceRoleKey, supabaseUrl } from './env';

export async function signInWithPassword(
	supabase: SupabaseClient,
	email: string,
	password: string,
	clientAddress: string
): Promise<{ error: AuthError | null }> {
	const key = supabaseServiceRoleKey();
	if (!key) return supabase.auth.signInWithPassword({ email, password });
	const forwarder = createClient(supabaseUrl(), key, {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		global: { headers: { 'Sb-Forwarded-For': clientAddress } }
	});
	const { data, error } = await forwarder.auth.signInWithPassword({ email, password });
	if (error) return { error };
	const { error: stored } = await supabase.auth.setSession({
		access_token: data.session.access_token,
		refresh_token: data.session.refresh_token
	});
	return { error: stored };
}
