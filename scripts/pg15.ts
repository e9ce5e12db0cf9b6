/**
 * A throw-away PostgreSQL 15 server for tests that need a real multi-session server (the version hosted
 * Supabase runs), prepared like the embedded stack: bootstrap.sql, then every migration.
 *
 *   const pg15 = await startPg15();   // { url, port, dataDir, pid, stop() }
 *   ...
 *   await pg15.stop();                // stops it by its own pid and deletes its data folder
 *
 * Needs the server binaries of Debian's `postgresql-15` package (or PG15_BINDIR pointing at another bin folder).
 * As root (CI), the server runs as the `postgres` OS user, which that package creates: PostgreSQL refuses root.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { SqlExecutor } from './seed/executor';
import { BOOTSTRAP_SQL, MIGRATIONS_DIR } from './embedded/db';
import { applyMigrations, type AppliedMigration } from './embedded/migrations';

export interface Pg15Options {
	/** Run bootstrap.sql (default true). */
	bootstrap?: boolean;
	/** Apply supabase/migrations (default true; implies bootstrap). */
	migrations?: boolean;
	migrationsDir?: string;
	/** Extra server settings, e.g. { max_connections: '50' }. */
	settings?: Record<string, string>;
}

export interface Pg15 {
	/** postgres://postgres@127.0.0.1:<port>/postgres (superuser, trust auth on loopback). */
	url: string;
	port: number;
	dataDir: string;
	pid: number;
	migrations: AppliedMigration[];
	stop(): Promise<void>;
}

const MISSING =
	'PostgreSQL 15 server binaries not found: install the Debian package postgresql-15 (apt-get install -y postgresql-15) or set PG15_BINDIR';

/** The bin folder holding initdb and postgres of major version 15. */
export function findPg15Bindir(): string {
	const candidates = [process.env.PG15_BINDIR, '/usr/lib/postgresql/15/bin'];
	try {
		candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
	} catch {
		// no pg_config on PATH
	}
	for (const dir of candidates) {
		if (!dir || !existsSync(join(dir, 'initdb')) || !existsSync(join(dir, 'postgres'))) continue;
		const version = execFileSync(join(dir, 'postgres'), ['--version'], { encoding: 'utf8' });
		if (/\s15\.\d+/.test(version)) return dir;
	}
	throw new Error(MISSING);
}

/** uid/gid to run the server as: ourselves, or the postgres OS user when we are root. */
function serverUser(): { uid?: number; gid?: number } {
	if (process.getuid?.() !== 0) return {};
	try {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		return { uid, gid };
	} catch {
		throw new Error(`running as root and there is no "postgres" OS user to run the server as. ${MISSING}`);
	}
}

/** A TCP port on 127.0.0.1 that is free right now (the OS picks it), for servers the tests start beside it. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const address = srv.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/** A SqlExecutor over one pg.Client. */
export function clientExecutor(client: pg.Client): SqlExecutor {
	return {
		async exec(sql) {
			await client.query(sql);
		},
		async query<T>(sql: string, params?: unknown[]) {
			return (await client.query(sql, params)).rows as T[];
		}
	};
}

async function waitForServer(
	url: string,
	child: ChildProcess,
	log: () => string,
	timeoutMs = 30_000
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`PostgreSQL 15 exited during start-up:\n${log()}`);
		const client = new pg.Client({ connectionString: url });
		try {
			await client.connect();
			await client.end();
			return;
		} catch {
			await client.end().catch(() => {});
			await new Promise((r) => setTimeout(r, 100));
		}
	}
	throw new Error(`PostgreSQL 15 did not accept connections within ${timeoutMs} ms:\n${log()}`);
}

/** Runs `fn` with one fresh connection (a new session, so role settings made by bootstrap apply). */
async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

export async function startPg15(options: Pg15Options = {}): Promise<Pg15> {
	const bindir = findPg15Bindir();
	const user = serverUser();
	const dataDir = mkdtempSync(join(tmpdir(), 'pg15-'));
	if (user.uid !== undefined) chownSync(dataDir, user.uid, user.gid!);
	const runAs = {
		...user,
		cwd: dataDir,
		env: { PATH: process.env.PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }
	};

	try {
		execFileSync(
			join(bindir, 'initdb'),
			['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C.UTF-8'],
			{
				...runAs,
				stdio: 'pipe'
			}
		);
	} catch (err) {
		rmSync(dataDir, { recursive: true, force: true });
		const e = err as { stderr?: Buffer; message: string };
		throw new Error(`initdb failed: ${e.stderr?.toString() || e.message}`);
	}

	const port = await freePort();
	const settings: Record<string, string> = {
		listen_addresses: '127.0.0.1',
		port: String(port),
		unix_socket_directories: dataDir,
		// A test server: durability buys nothing and costs seconds.
		fsync: 'off',
		synchronous_commit: 'off',
		full_page_writes: 'off',
		...options.settings
	};
	const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
	// Spawned directly (no pg_ctl, no su): its pid is the postmaster's, which is what stop() signals.
	const child = spawn(join(bindir, 'postgres'), args, { ...runAs, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.on('data', (d) => (output = (output + d).slice(-20_000)));
	child.stderr?.on('data', (d) => (output = (output + d).slice(-20_000)));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

	// If the test process ends without stop() (crash, Ctrl-C), do not leave a server behind.
	const killOnExit = () => child.kill('SIGKILL');
	process.once('exit', killOnExit);

	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		process.removeListener('exit', killOnExit);
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGINT'); // "fast" shutdown: roll back sessions, exit
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		}
		rmSync(dataDir, { recursive: true, force: true });
	};

	const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
	try {
		await waitForServer(url, child, () => output);
		let migrations: AppliedMigration[] = [];
		if (options.bootstrap !== false || options.migrations !== false) {
			await withClient(url, (c) => c.query(readFileSync(BOOTSTRAP_SQL, 'utf8')));
		}
		if (options.migrations !== false) {
			migrations = await withClient(url, (c) =>
				applyMigrations(clientExecutor(c), options.migrationsDir ?? MIGRATIONS_DIR)
			);
		}
		return { url, port, dataDir, pid: child.pid!, migrations, stop };
	} catch (err) {
		await stop();
		throw err;
	}
}
