/**
 * The operator's retention purge (security item 23; `supabase/migrations/20261129001700_retention.sql`): purges
 * the personal health and location data of every response whose end plus its retention days has come. Responses
 * are ended by their leaders on the rounds screen (`end_response`, with their retention days). Meant to run daily
 * (cron); until a response has ended and its period has passed it changes nothing.
 *
 *   npm run purge                                    # purge what is due today
 *   npm run purge -- --today 2020-09-11              # as if on that day (rehearsals)
 *
 * Talks to PUBLIC_SUPABASE_URL with SUPABASE_SERVICE_ROLE_KEY (the embedded stack's own keys when the URL is
 * local and no key is given). Prints the outcome as JSON on stdout; exits 1 on any error.
 */
import { parseArgs } from 'node:util';
import { operatorClient } from './operator-client';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { today: { type: 'string' } }
	});
	if (values.today !== undefined && !DAY.test(values.today))
		throw new Error(`--today 须为 YYYY-MM-DD 日期：${values.today}`);

	const supabase = operatorClient();

	const { data, error } = await supabase.rpc('purge_personal_data', { p_today: values.today ?? null });
	if (error) throw new Error(`purge_personal_data: ${error.message}`);
	console.log(JSON.stringify(data));
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
