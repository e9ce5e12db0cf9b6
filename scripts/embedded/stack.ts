/**
 * Starts and stops the whole embedded stack in this process: PGlite + its socket, PostgREST (child process),
 * the auth service and the gateway. main.ts is the command-line face of this; tests may use it directly.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type http from 'node:http';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { rm } from 'node:fs/promises';
import { pgAuthDb, type AuthDb } from './auth';
import { openEmbeddedDb, defaultDataDir, type SeedScale } from './db';
import { createGateway } from './gateway';
import {
	DEFAULT_API_PORT,
	DEFAULT_PG_PORT,
	DEFAULT_POSTGREST_PORT,
	resolveKeys,
	type StackKeys
} from './keys';

export { READY_LINE_PREFIX } from './keys';
import { Postgrest } from './postgrest';
import { startSocketServer } from './socket';

export interface StackOptions {
	dataDir?: string;
	host?: string;
	apiPort?: number;
	pgPort?: number;
	postgrestPort?: number;
	keys?: StackKeys;
	/** Delete the data folder first. */
	reset?: boolean;
	scale?: SeedScale;
	/** Run the seed hook on first start (default true). */
	seed?: boolean;
	log?: (line: string) => void;
	/** Aborting stops a start-up in progress at the next phase boundary (startStack then rejects). */
	signal?: AbortSignal;
}

export interface RunningStack {
	/** The Supabase URL (what PUBLIC_SUPABASE_URL should be). */
	url: string;
	/** postgres:// URL of the PGlite socket (for psql, pg, seeds). One shared session: never use session-level SET. */
	pgUrl: string;
	postgrestUrl: string;
	keys: StackKeys;
	dataDir: string;
	fresh: boolean;
	timings: Record<string, number>;
	/** Reloads PostgREST's schema cache; resolves when the new cache is in use. */
	reloadSchema(): Promise<void>;
	/** Resolves with an error if a part of the stack dies on its own (PostgREST crash). */
	failed: Promise<Error>;
	/** Stops everything; safe to call twice. */
	stop(): Promise<void>;
}

/** Env names of the ports, for messages that tell the user what to change. */
export const PORT_ENV = {
	api: 'EMBEDDED_API_PORT',
	pg: 'EMBEDDED_PG_PORT',
	postgrest: 'EMBEDDED_POSTGREST_PORT'
} as const;

export class PortInUseError extends Error {
	constructor(
		readonly port: number,
		readonly envVar: string
	) {
		super(`port ${port} is already in use: stop what listens there or set ${envVar} to a free port`);
	}
}

export class DataDirInUseError extends Error {}

function portFromEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (!raw) return fallback;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 1 || port > 65535)
		throw new Error(`${name}=${raw} is not a port number`);
	return port;
}

export function stackPortsFromEnv() {
	return {
		apiPort: portFromEnv(PORT_ENV.api, DEFAULT_API_PORT),
		pgPort: portFromEnv(PORT_ENV.pg, DEFAULT_PG_PORT),
		postgrestPort: portFromEnv(PORT_ENV.postgrest, DEFAULT_POSTGREST_PORT)
	};
}

/** Throws PortInUseError if `port` cannot be bound on `host` right now. */
export async function assertPortFree(port: number, host: string, envVar: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const probe = createServer();
		probe.once('error', (err: NodeJS.ErrnoException) =>
			reject(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? new PortInUseError(port, envVar) : err)
		);
		probe.listen(port, host, () => probe.close(() => resolve()));
	});
}

/**
 * A pid file beside the data folder: two PGlite processes on one folder would corrupt it, and `db:reset`
 * must not delete the folder under a running stack.
 */
export function lockDataDir(dataDir: string): () => void {
	const lockFile = `${dataDir}.lock`;
	if (existsSync(lockFile)) {
		const pid = Number(readFileSync(lockFile, 'utf8').trim());
		let alive = false;
		try {
			if (pid && pid !== process.pid) {
				process.kill(pid, 0);
				alive = true;
			}
		} catch {
			// no such process: a stale lock from a killed stack
		}
		if (alive)
			throw new DataDirInUseError(
				`${dataDir} is in use by another embedded stack (pid ${pid}); stop it first`
			);
	}
	mkdirSync(dirname(dataDir), { recursive: true });
	writeFileSync(lockFile, String(process.pid));
	return () => rmSync(lockFile, { force: true });
}

/**
 * If a previous stack was killed outright (SIGKILL: no chance to clean up), its PostgREST child lives on and
 * holds its port. Its pid was recorded beside the data folder: end it, but only if that pid is still a postgrest.
 */
function killOrphanPostgrest(pidFile: string): void {
	if (!existsSync(pidFile)) return;
	const pid = Number(readFileSync(pidFile, 'utf8').trim());
	try {
		const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		if (cmd.includes('postgrest')) process.kill(pid, 'SIGKILL');
	} catch {
		// gone already, or no /proc (macOS): nothing to do
	}
	rmSync(pidFile, { force: true });
}

const POSTGREST_CONNECTIONS = 1; // PGRST_DB_POOL
const AUTH_CONNECTIONS = 1;
// psql, seed scripts and tests connect to the socket too (they queue behind the others like everyone).
const TOOL_CONNECTIONS = 8;

/** Prepares the database only (first start: bootstrap, migrations, seed) and closes it. For `db:reset`. */
export async function prepareDatabase(
	options: StackOptions = {}
): Promise<{ dataDir: string; fresh: boolean; timings: Record<string, number> }> {
	const dataDir = options.dataDir ?? defaultDataDir();
	const unlock = lockDataDir(dataDir);
	try {
		if (options.reset) await rm(dataDir, { recursive: true, force: true });
		const opened = await openEmbeddedDb({
			dataDir,
			scale: options.scale,
			seed: options.seed,
			log: options.log
		});
		const started = performance.now();
		await opened.db.close();
		opened.timings.close = Math.round(performance.now() - started);
		return { dataDir, fresh: opened.fresh, timings: opened.timings };
	} finally {
		unlock();
	}
}

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
	const log = options.log ?? ((line: string) => console.log(line));
	const host = options.host ?? '127.0.0.1';
	const envPorts = stackPortsFromEnv();
	const apiPort = options.apiPort ?? envPorts.apiPort;
	const pgPort = options.pgPort ?? envPorts.pgPort;
	const postgrestPort = options.postgrestPort ?? envPorts.postgrestPort;
	const keys = options.keys ?? resolveKeys();
	const dataDir = options.dataDir ?? defaultDataDir();
	const timings: Record<string, number> = {};
	const url = `http://${host}:${apiPort}`;
	const pgUrl = `postgres://postgres:postgres@${host}:${pgPort}/postgres`;

	const postgrestPidFile = `${dataDir}.postgrest.pid`;
	killOrphanPostgrest(postgrestPidFile);
	// Ports first: a clash should fail in milliseconds, not after seconds of opening the database.
	await assertPortFree(apiPort, host, PORT_ENV.api);
	await assertPortFree(pgPort, host, PORT_ENV.pg);
	await assertPortFree(postgrestPort, host, PORT_ENV.postgrest);

	const unlock = lockDataDir(dataDir);
	// Everything started so far, stopped in reverse order by stop().
	let db: PGlite | undefined;
	let socket: PGLiteSocketServer | undefined;
	let postgrest: Postgrest | undefined;
	let authDb: AuthDb | undefined;
	let gateway: http.Server | undefined;
	let stopped = false;

	async function stop(): Promise<void> {
		if (stopped) return;
		stopped = true;
		if (gateway) {
			const g = gateway;
			await new Promise<void>((resolve) => {
				g.close(() => resolve());
				g.closeAllConnections();
			});
		}
		await postgrest?.stop();
		rmSync(postgrestPidFile, { force: true });
		await authDb?.close();
		await socket?.stop();
		await db?.close(); // flushes to the data folder
		unlock();
	}

	let failWith: (err: Error) => void = () => {};
	const failed = new Promise<Error>((resolve) => (failWith = resolve));

	try {
		const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
			options.signal?.throwIfAborted();
			const started = performance.now();
			const result = await fn();
			timings[name] = Math.round(performance.now() - started);
			return result;
		};

		if (options.reset) await phase('reset', () => rm(dataDir, { recursive: true, force: true }));
		const opened = await phase('database', () =>
			openEmbeddedDb({ dataDir, scale: options.scale, seed: options.seed, log: (l) => log(`[db] ${l}`) })
		);
		db = opened.db;
		for (const [name, ms] of Object.entries(opened.timings)) timings[`database.${name}`] = ms;

		// NOTIFY pgrst from any client reaches us through the socket (PostgREST's own channel is off): the same
		// session must LISTEN for the backend to emit the notification at all.
		await db.exec('listen pgrst');
		let reloadTimer: NodeJS.Timeout | undefined;
		const onNotification = (channel: string, payload: string) => {
			if (channel !== 'pgrst' || !postgrest) return;
			if (payload.trim() === 'reload config') return postgrest.reloadConfig();
			// Debounced: a migration may notify several times in one go.
			clearTimeout(reloadTimer);
			reloadTimer = setTimeout(
				() => postgrest?.reloadSchema().catch((err) => log(`[postgrest] ${err.message}`)),
				20
			);
		};

		socket = await phase('socket', () =>
			startSocketServer({
				db: db!,
				host,
				port: pgPort,
				maxConnections: POSTGREST_CONNECTIONS + AUTH_CONNECTIONS + TOOL_CONNECTIONS,
				onNotification
			}).catch((err) => {
				throw err.code === 'EADDRINUSE' ? new PortInUseError(pgPort, PORT_ENV.pg) : err;
			})
		);

		postgrest = new Postgrest({
			port: postgrestPort,
			host,
			dbUri: `postgres://authenticator:postgres@${host}:${pgPort}/postgres?sslmode=disable&application_name=postgrest`,
			jwtSecret: keys.jwtSecret
		});
		const pr = postgrest;
		if (pr.pid) writeFileSync(postgrestPidFile, String(pr.pid));
		void pr.exited.then(({ code, signal }) => {
			if (!pr.isStopping)
				failWith(
					new Error(
						`PostgREST exited unexpectedly (code ${code}, signal ${signal}). Its log:\n${pr.log.text()}`
					)
				);
		});
		await phase('postgrest', () => pr.waitReady());

		authDb = pgAuthDb(pgUrl);
		await phase('auth', () => authDb!.run((q) => q('select 1 from auth.users limit 1')));

		gateway = createGateway({
			keys,
			postgrestUrl: postgrest.url,
			authDb,
			authConfig: {
				jwtSecret: keys.jwtSecret,
				issuer: `${url}/auth/v1`,
				jwtExpiry: Number(process.env.JWT_EXPIRY) || 3600
			},
			reloadSchema: () => pr.reloadSchema()
		});
		const gw = gateway;
		await phase(
			'gateway',
			() =>
				new Promise<void>((resolve, reject) => {
					gw.once('error', (err: NodeJS.ErrnoException) =>
						reject(err.code === 'EADDRINUSE' ? new PortInUseError(apiPort, PORT_ENV.api) : err)
					);
					gw.listen(apiPort, host, () => resolve());
				})
		);

		options.signal?.throwIfAborted();
		return {
			url,
			pgUrl,
			postgrestUrl: postgrest.url,
			keys,
			dataDir,
			fresh: opened.fresh,
			timings,
			reloadSchema: () => pr.reloadSchema(),
			failed,
			stop
		};
	} catch (err) {
		await stop().catch(() => {});
		throw err;
	}
}
