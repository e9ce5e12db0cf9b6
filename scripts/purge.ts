/**
 * The operator's retention purge (security item 23; `supabase/migrations/20261129001700_retention.sql`): declares
 * the response over and the retention period if asked, then purges personal health and location data if it is due.
 * Meant to run daily (cron); until the response is declared ended and the period has passed it changes nothing.
 *
 *   npm run purge                                    # purge if due today
 *   npm run purge -- --ended-on 2020-03-15 --retention-days 180
 *   npm run purge -- --today 2020-09-11              # as if on that day (rehearsals)
 *
 * Talks to PUBLIC_SUPABASE_URL with SUPABASE_SERVICE_ROLE_KEY (the embedded stack's own keys when the URL is
 * local and no key is given). Prints the outcome as JSON on stdout; exits 1 on any error.
 */
import { parseArgs } from 'node:util';
import { createClient } from '@supabase/supabase-js';
import { localSupabaseUrls, resolveKeys, stackPortsFromEnv, stackUrls } from './embedded/keys';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			'ended-on': { type: 'string' },
			'retention-days': { type: 'string' },
			today: { type: 'string' }
		}
	});
	for (const name of ['ended-on', 'today'] as const) {
		const value = values[name];
		if (value !== undefined && !DAY.test(value)) throw new Error(`--${name} 须为 YYYY-MM-DD 日期：${value}`);
	}
	const retentionDays = values['retention-days'] === undefined ? undefined : Number(values['retention-days']);
	if (
		retentionDays !== undefined &&
		!(Number.isInteger(retentionDays) && retentionDays >= 1 && retentionDays <= 3650)
	)
		throw new Error(`--retention-days 须为 1 到 3650 的整数：${values['retention-days']}`);

	const ports = stackPortsFromEnv(process.env);
	const url = (process.env.PUBLIC_SUPABASE_URL ?? stackUrls(ports).url).replace(/\/+$/, '');
	let key = process.env.SUPABASE_SERVICE_ROLE_KEY;
	if (!key && localSupabaseUrls(ports.apiPort).includes(new URL(url).origin))
		key = resolveKeys(process.env).serviceRoleKey;
	if (!key) throw new Error('请设置 SUPABASE_SERVICE_ROLE_KEY（服务端密钥）');
	const supabase = createClient(url, key, { auth: { persistSession: false, autoRefreshToken: false } });

	if (values['ended-on'] !== undefined || retentionDays !== undefined) {
		const change: Record<string, unknown> = {};
		if (values['ended-on'] !== undefined) change.response_ended_on = values['ended-on'];
		if (retentionDays !== undefined) change.retention_days = retentionDays;
		const { error } = await supabase.from('retention_policy').update(change).eq('id', true);
		if (error) throw new Error(`retention_policy: ${error.message}`);
	}
	const { data, error } = await supabase.rpc('purge_personal_data', { p_today: values.today ?? null });
	if (error) throw new Error(`purge_personal_data: ${error.message}`);
	console.log(JSON.stringify(data));
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
