/**
 * The service-role client an operator's command uses (npm run purge, city:import, admin): PUBLIC_SUPABASE_URL
 * with SUPABASE_SERVICE_ROLE_KEY, or, when the URL is the local stack's and no key is given, the local stack's
 * own keys. The key never leaves the machine the command runs on.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { localSupabaseUrls, resolveKeys, stackPortsFromEnv, stackUrls } from './embedded/keys';

export function operatorClient(env: NodeJS.ProcessEnv = process.env): SupabaseClient {
	const ports = stackPortsFromEnv(env);
	const url = (env.PUBLIC_SUPABASE_URL ?? stackUrls(ports).url).replace(/\/+$/, '');
	let key = env.SUPABASE_SERVICE_ROLE_KEY;
	if (!key && localSupabaseUrls(ports.apiPort).includes(new URL(url).origin))
		key = resolveKeys(env).serviceRoleKey;
	if (!key) throw new Error('请设置 SUPABASE_SERVICE_ROLE_KEY（服务端密钥）');
	return createClient(url, key, { auth: { persistSession: false, autoRefreshToken: false } });
}
