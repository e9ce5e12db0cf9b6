/**
 * The embedded database: PGlite persisted in a folder, prepared like a hosted Supabase project.
 *
 * First start (no folder): bootstrap.sql (what hosted Supabase already has), every migration, then the demo
 * seed. Warm start: bootstrap.sql again (idempotent) and only the migrations not yet recorded. A first start that fails half-way deletes its folder,
 * so the next start begins clean instead of on a half-made database.
 */
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SqlExecutor } from '../seed/executor';
import { applyMigrations, type AppliedMigration } from './migrations';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = resolve(HERE, '../..');
export const BOOTSTRAP_SQL = join(HERE, 'bootstrap.sql');
export const MIGRATIONS_DIR = join(PROJECT_ROOT, 'supabase/migrations');
export const SEED_MODULE = join(PROJECT_ROOT, 'scripts/seed/demo.ts');

/**
 * Written into the data folder once the first start has fully succeeded. A folder without it was left by a
 * first start that was killed half-way (even SIGKILL), and is thrown away.
 */
const READY_MARKER = 'embedded-stack.json';

export type SeedScale = 'demo' | 'full';

export interface OpenOptions {
	/** Defaults to env EMBEDDED_DATA_DIR or <project>/.data/pglite. */
	dataDir?: string;
	scale?: SeedScale;
	/** Skip the seed hook (for measuring, or for tests that bring their own data). */
	seed?: boolean;
	migrationsDir?: string;
	log?: (line: string) => void;
}

export interface OpenedDb {
	db: PGlite;
	dataDir: string;
	/** True when this start created the folder. */
	fresh: boolean;
	migrations: AppliedMigration[];
	timings: Record<string, number>;
}

export function defaultDataDir(env = process.env): string {
	return resolve(env.EMBEDDED_DATA_DIR || join(PROJECT_ROOT, '.data/pglite'));
}

/** A SqlExecutor over one PGlite instance (the contract seeds and migrations are written against). */
export function pgliteExecutor(db: PGlite): SqlExecutor {
	return {
		async exec(sql) {
			await db.exec(sql);
		},
		async query<T>(sql: string, params?: unknown[]) {
			return (await db.query<T>(sql, params)).rows;
		}
	};
}

async function createPglite(dataDir: string): Promise<PGlite> {
	return PGlite.create({ dataDir, extensions: { pgcrypto, btree_gist } });
}

/** Runs scripts/seed/demo.ts's seedDemo if that module exists (it is written separately from the stack). */
async function runSeedHook(
	exec: SqlExecutor,
	scale: SeedScale,
	log: (line: string) => void
): Promise<boolean> {
	if (!existsSync(SEED_MODULE)) {
		log(`no seed hook (${SEED_MODULE} absent): database left empty`);
		return false;
	}
	const mod = (await import(pathToFileURL(SEED_MODULE).href)) as {
		seedDemo?: (e: SqlExecutor, o: { scale: SeedScale }) => Promise<unknown>;
	};
	if (typeof mod.seedDemo !== 'function') throw new Error(`${SEED_MODULE} does not export seedDemo`);
	await mod.seedDemo(exec, { scale });
	return true;
}

async function timed<T>(timings: Record<string, number>, phase: string, fn: () => Promise<T>): Promise<T> {
	const started = performance.now();
	try {
		return await fn();
	} finally {
		timings[phase] = Math.round(performance.now() - started);
	}
}

/** Opens (and on first start, prepares) the embedded database. The caller owns `db` and must close it. */
export async function openEmbeddedDb(options: OpenOptions = {}): Promise<OpenedDb> {
	const dataDir = resolve(options.dataDir ?? defaultDataDir());
	const log = options.log ?? ((line: string) => console.log(`[db] ${line}`));
	const migrationsDir = options.migrationsDir ?? MIGRATIONS_DIR;
	const timings: Record<string, number> = {};

	if (existsSync(dataDir) && !existsSync(join(dataDir, READY_MARKER))) {
		log(`${dataDir} was left by an unfinished first start: deleting it`);
		await rm(dataDir, { recursive: true, force: true });
	}
	const fresh = !existsSync(dataDir);

	const db = await timed(timings, fresh ? 'initdb' : 'open', () => createPglite(dataDir));
	const exec = pgliteExecutor(db);
	try {
		// Every start, not only the first: it is idempotent, and a folder made before bootstrap.sql grew (the
		// `realtime` schema) gets what later migrations expect instead of failing on them.
		await timed(timings, 'bootstrap', async () => db.exec(await readFile(BOOTSTRAP_SQL, 'utf8')));
		// Migrations and seeds expect hosted Supabase's search_path (bootstrap sets it for *new* sessions; this
		// PGlite session started before, and is the one every socket client shares).
		await db.exec(`set search_path = "$user", public, extensions`);
		const migrations = await timed(timings, 'migrations', () => applyMigrations(exec, migrationsDir));
		if (migrations.length)
			log(`applied ${migrations.length} migration(s): ${migrations.map((m) => m.version).join(', ')}`);
		if (fresh && options.seed !== false) {
			await timed(timings, 'seed', () => runSeedHook(exec, options.scale ?? 'demo', log));
		}
		if (fresh) {
			await writeFile(
				join(dataDir, READY_MARKER),
				JSON.stringify(
					{
						createdAt: new Date().toISOString(),
						scale: options.scale ?? 'demo',
						seeded: options.seed !== false
					},
					null,
					2
				)
			);
		}
		return { db, dataDir, fresh, migrations, timings };
	} catch (err) {
		await db.close().catch(() => {});
		if (fresh) {
			// A half-prepared database would make every later start look fine and behave wrong.
			await rm(dataDir, { recursive: true, force: true });
			log(`first start failed; deleted ${dataDir} so the next start is clean`);
		}
		throw err;
	}
}
