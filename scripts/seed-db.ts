/**
 * Seeds the demo data (scripts/seed/demo.ts, the same rows as the embedded stack's first start) into a database
 * that already has the migrations: the Supabase CLI's local stack after `supabase start` / `supabase db reset`,
 * or a hosted project after `supabase db push`.
 *
 *   npm run seed:db -- --db-url postgresql://postgres:postgres@127.0.0.1:54322/postgres   # supabase start
 *   npm run seed:db -- --db-url "<the project's connection string>" --scale=full
 *
 * `DATABASE_URL` stands in for `--db-url`. The URL needs the `postgres` role (the seed writes auth.users and
 * every table past RLS). It refuses a database without the migrations and one that already holds units, so it
 * never seeds twice. Exits 1 on any error.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { clientExecutor } from './pg15';
import { seedDemo, type SeedScale } from './seed/demo';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			'db-url': { type: 'string' },
			scale: { type: 'string', default: 'demo' }
		}
	});
	const url = values['db-url'] ?? process.env.DATABASE_URL;
	if (!url) throw new Error('请用 --db-url（或环境变量 DATABASE_URL）指明要写入演示数据的数据库');
	const scale = values.scale as SeedScale;
	if (scale !== 'demo' && scale !== 'full') throw new Error(`--scale 须为 demo 或 full：${values.scale}`);

	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const { rows } = await client.query<{ units: string | null }>(
			`select to_regclass('public.units') as units`
		);
		if (!rows[0].units)
			throw new Error(
				'数据库里没有 public.units：先应用 supabase/migrations（supabase start 或 supabase db push）'
			);
		const seeded = await client.query(`select 1 from public.units limit 1`);
		if (seeded.rowCount)
			throw new Error('数据库里已有单位数据，未写入：先重置数据库（supabase db reset）再写入演示数据');
		const started = Date.now();
		await seedDemo(clientExecutor(client), { scale, log: (line) => console.log(line) });
		console.log(`seed: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	} finally {
		await client.end();
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
