/**
 * supabase-js clients for the db tests: anonymous, with a given token, or signed in as a demo account.
 *
 *   const secretary = await signedIn(DEMO.secretary);
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { stack } from './stack-env';

export const DEMO_PASSWORD = 'wanggetong-2020';

/** The demo accounts (README lists them), by the role each test calls them. */
export const DEMO = {
	secretary: 'secretary@baizhaopai.demo',
	shangping: 'secretary@shangping.demo',
	commander: 'commander@nancheng.demo',
	beicheng: 'commander@beicheng.demo',
	leader: 'leader@luzhou.demo',
	xuyong: 'leader@xuyong.demo',
	volunteer: 'volunteer@baizhaopai.demo'
} as const;

export function client(token?: string): SupabaseClient {
	return createClient(stack().url, stack().anonKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		global: token ? { headers: { Authorization: `Bearer ${token}` } } : undefined
	});
}

export async function signedIn(email: string): Promise<SupabaseClient> {
	const c = client();
	const { error } = await c.auth.signInWithPassword({ email, password: DEMO_PASSWORD });
	if (error) throw error;
	return c;
}
