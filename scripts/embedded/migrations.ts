/**
 * Applies `supabase/migrations/*.sql` the way the Supabase CLI does, so a database prepared here and one
 * prepared by `supabase db push` / `supabase start` record the same history:
 * - files are `<version>_<name>.sql`, version being the numeric prefix; applied in file-name order;
 * - each file runs in its own transaction together with its row in supabase_migrations.schema_migrations;
 * - a version already recorded there is skipped.
 * (The CLI stores each statement of the file separately in `statements`; we store the file as one entry,
 * which nothing reads back.)
 *
 * The executor must be ONE session (a PGlite instance or one pg.Client, not a pool): BEGIN and COMMIT
 * must reach the same connection as the migration.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqlExecutor } from '../seed/executor';

export interface MigrationFile {
	version: string;
	name: string;
	file: string;
}

export interface AppliedMigration extends MigrationFile {
	ms: number;
}

const MIGRATION_NAME = /^(\d+)_(.*)\.sql$/;

const HISTORY_DDL = `
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
	version text not null primary key,
	statements text[],
	name text
);`;

/** Migration files of `dir` in the order they apply. A missing folder is an empty list. */
export async function listMigrations(dir: string): Promise<MigrationFile[]> {
	let names: string[];
	try {
		names = await readdir(dir);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw err;
	}
	const files: MigrationFile[] = [];
	for (const entry of names.sort()) {
		if (!entry.endsWith('.sql')) continue;
		const match = MIGRATION_NAME.exec(entry);
		if (!match) {
			// The CLI skips such files too; say so, since a typo here silently drops a migration.
			console.warn(`[migrations] skipping ${entry}: name must be <version>_<name>.sql`);
			continue;
		}
		files.push({ version: match[1], name: match[2], file: join(dir, entry) });
	}
	return files;
}

/** Versions recorded in supabase_migrations.schema_migrations (creating the table if needed). */
async function appliedVersions(exec: SqlExecutor): Promise<Set<string>> {
	await exec.exec(HISTORY_DDL);
	const rows = await exec.query<{ version: string }>(
		'select version from supabase_migrations.schema_migrations'
	);
	return new Set(rows.map((r) => r.version));
}

/**
 * Applies the migrations of `dir` that are not yet recorded, each in its own transaction.
 * Throws on the first failing file (its transaction rolled back), naming the file.
 */
export async function applyMigrations(exec: SqlExecutor, dir: string): Promise<AppliedMigration[]> {
	const done = await appliedVersions(exec);
	const pending = (await listMigrations(dir)).filter((m) => !done.has(m.version));
	const latest = [...done].sort().at(-1);
	const applied: AppliedMigration[] = [];
	for (const migration of pending) {
		if (latest && migration.version < latest) {
			console.warn(
				`[migrations] ${migration.version}_${migration.name} is older than the last applied (${latest}); applying it anyway`
			);
		}
		const sql = await readFile(migration.file, 'utf8');
		const started = performance.now();
		await exec.exec('begin');
		try {
			await exec.exec(sql);
			await exec.query(
				'insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)',
				[migration.version, migration.name, [sql]]
			);
			await exec.exec('commit');
		} catch (err) {
			await exec.exec('rollback').catch(() => {});
			const reason = err instanceof Error ? err.message : String(err);
			throw new Error(`migration ${migration.version}_${migration.name}.sql failed: ${reason}`, {
				cause: err
			});
		}
		applied.push({ ...migration, ms: Math.round(performance.now() - started) });
	}
	return applied;
}
