/**
 * The one thing the embedded stack, the PostgreSQL 15 test harness and a remote seeding run share:
 * a way to send SQL to a database. PGlite and node-postgres both fit behind it.
 */
export interface SqlExecutor {
	/** Runs one or more statements with no parameters (a migration file, a seed script). */
	exec(sql: string): Promise<void>;
	/** Runs one statement with positional parameters ($1, $2, ...) and returns its rows. */
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}
