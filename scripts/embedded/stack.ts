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
import { jwtCodec } from './jwt';
import {
	DEFAULT_JWT_EXPIRY,
	DEFAULT_PASSWORD_MIN_LENGTH,
	DEFAULT_REFRESH_TOKEN_REUSE_INTERVAL,
	PORT_ENV,
	resolveKeys,
	stackPortsFromEnv,
	stackUrls,
	type StackKeys
} from './keys';
import { Postgrest } from './postgrest';
import { SignInThrottle, throttleLimitsFromEnv } from './throttle';
import { createRealtime, REALTIME_NOTIFY_CHANNEL, type RealtimeServer } from './realtime';
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

export class PortInUseError extends Error {
	constructor(
		readonly port: number,
		readonly envVar: string
	) {
		super(`port ${port} is already in use: stop what listens there or set ${envVar} to a free port`);
	}
}

export class DataDirInUseError extends Error {}

/** Throws PortInUseError if `port` cannot be bound on `host` right now. */
async function assertPortFree(port: number, host: string, envVar: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const probe = createServer();
		probe.once('error', (err: NodeJS.ErrnoException) =>
			reject(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? new PortInUseError(port, envVar) : err)
		);
		probe.listen(port, host, () => probe.close(() => resolve()));
	});
}

/** True if `pid` is a live process other than this one. */
function isOtherLiveProcess(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
	}
}

/**
 * A pid file beside the data folder: two PGlite processes on one folder would corrupt it, and `db:reset`
 * must not delete the folder under a running stack. Created with O_EXCL ('wx'), so of two stacks starting at
 * once exactly one gets it. A lock whose pid is dead (a stack killed outright) is removed and taken, once.
 * Returns the unlock function.
 */
function lockDataDir(dataDir: string): () => void {
	const lockFile = `${dataDir}.lock`;
	mkdirSync(dirname(dataDir), { recursive: true });
	for (let attempt = 0; ; attempt++) {
		try {
			writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
			return () => rmSync(lockFile, { force: true });
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
		}
		let owner = NaN;
		try {
			owner = Number(readFileSync(lockFile, 'utf8').trim());
		} catch {
			// removed meanwhile: try again
		}
		// An empty file is a lock being written this instant by another stack: that one is alive.
		if (attempt > 0 || owner === 0 || isOtherLiveProcess(owner)) {
			throw new DataDirInUseError(
				`${dataDir} is in use by another embedded stack${owner ? ` (pid ${owner})` : ''}; stop it first ` +
					`(if none is running, delete ${lockFile})`
			);
		}
		// Stale: its stack was killed without cleaning up. Re-read first, so a lock another stack has just
		// taken over is left alone (then the next attempt fails on it).
		try {
			if (Number(readFileSync(lockFile, 'utf8').trim()) === owner) rmSync(lockFile, { force: true });
		} catch {
			// gone already
		}
	}
}

/**
 * If a previous stack was killed outright (SIGKILL: no chance to clean up), its PostgREST child lives on and
 * holds its port. Its pid was recorded beside the data folder: end it, but only if that pid is still a postgrest.
 * Call only while holding the data folder's lock, or it could be the PostgREST of a stack that is running.
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

/**
 * Seconds a rotated refresh token may still be presented (GoTrue's GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL,
 * default 10): concurrent server-side refreshes with the same cookie must not log the user out.
 */
/** GoTrue's GOTRUE_PASSWORD_MIN_LENGTH; the embedded stack's default is the product's 8. */
function passwordMinLengthFromEnv(env = process.env): number {
	const raw = env.GOTRUE_PASSWORD_MIN_LENGTH;
	if (!raw) return DEFAULT_PASSWORD_MIN_LENGTH;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1)
		throw new Error(`GOTRUE_PASSWORD_MIN_LENGTH=${raw} is not a whole number`);
	return n;
}

function refreshTokenReuseIntervalFromEnv(env = process.env): number {
	const raw = env.GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL;
	if (!raw) return DEFAULT_REFRESH_TOKEN_REUSE_INTERVAL;
	const seconds = Number(raw);
	if (!Number.isFinite(seconds) || seconds < 0)
		throw new Error(`GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL=${raw} is not a number of seconds`);
	return seconds;
}

const POSTGREST_CONNECTIONS = 1; // PGRST_DB_POOL
const AUTH_CONNECTIONS = 1;
const REALTIME_CONNECTIONS = 1;
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
	const ports = {
		apiPort: options.apiPort ?? envPorts.apiPort,
		pgPort: options.pgPort ?? envPorts.pgPort,
		postgrestPort: options.postgrestPort ?? envPorts.postgrestPort
	};
	const keys = options.keys ?? resolveKeys();
	const refreshTokenReuseInterval = refreshTokenReuseIntervalFromEnv();
	const passwordMinLength = passwordMinLengthFromEnv();
	const throttleLimits = throttleLimitsFromEnv();
	const dataDir = options.dataDir ?? defaultDataDir();
	const timings: Record<string, number> = {};
	const { url, pgUrl } = stackUrls(ports, host);

	// The lock first: a second stack on this folder must stop here, before it touches anything of the first.
	const unlock = lockDataDir(dataDir);
	const postgrestPidFile = `${dataDir}.postgrest.pid`;
	try {
		killOrphanPostgrest(postgrestPidFile);
		// Ports next: a clash should fail in milliseconds, not after seconds of opening the database.
		await assertPortFree(ports.apiPort, host, PORT_ENV.api);
		await assertPortFree(ports.pgPort, host, PORT_ENV.pg);
		await assertPortFree(ports.postgrestPort, host, PORT_ENV.postgrest);
	} catch (err) {
		unlock();
		throw err;
	}

	// Everything started so far, stopped in reverse order by stop().
	let db: PGlite | undefined;
	let socket: PGLiteSocketServer | undefined;
	let postgrest: Postgrest | undefined;
	let authDb: AuthDb | undefined;
	let realtimeDb: AuthDb | undefined;
	let realtime: RealtimeServer | undefined;
	let gateway: http.Server | undefined;
	let reloadTimer: NodeJS.Timeout | undefined;
	let stopped = false;

	async function stop(): Promise<void> {
		if (stopped) return;
		stopped = true;
		clearTimeout(reloadTimer);
		await realtime?.close(); // its WebSockets are no longer the HTTP server's: close them first
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
		await realtimeDb?.close();
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
		// realtime.messages rows are announced on their own channel (bootstrap.sql). A transaction of a socket
		// client (PostgREST, psql) emits its notifications into that client's stream, where the socket sees them;
		// one run through PGlite's own API emits them to db.listen's callback.
		await db.listen(REALTIME_NOTIFY_CHANNEL, (payload) => realtime?.notify(payload));
		const onNotification = (channel: string, payload: string) => {
			if (channel === REALTIME_NOTIFY_CHANNEL) return realtime?.notify(payload);
			if (channel !== 'pgrst' || !postgrest) return;
			if (payload.trim() === 'reload config') return postgrest.reloadConfig();
			// Debounced: a migration may notify several times in one go.
			clearTimeout(reloadTimer);
			reloadTimer = setTimeout(() => {
				if (!stopped) postgrest?.reloadSchema().catch((err) => log(`[postgrest] ${err.message}`));
			}, 20);
		};

		socket = await phase('socket', () =>
			startSocketServer({
				db: db!,
				host,
				port: ports.pgPort,
				maxConnections: POSTGREST_CONNECTIONS + AUTH_CONNECTIONS + REALTIME_CONNECTIONS + TOOL_CONNECTIONS,
				onNotification
			}).catch((err) => {
				throw err.code === 'EADDRINUSE' ? new PortInUseError(ports.pgPort, PORT_ENV.pg) : err;
			})
		);

		postgrest = new Postgrest({
			port: ports.postgrestPort,
			host,
			dbUri: `postgres://authenticator:postgres@${host}:${ports.pgPort}/postgres?sslmode=disable&application_name=postgrest`,
			jwtSecret: keys.jwtSecret,
			// Set by migration 20261208000100_session_guard: refuses tokens of ended sessions, banned users.
			preRequest: 'guard.check_session'
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

		realtimeDb = pgAuthDb(pgUrl, 'embedded-realtime');
		realtime = createRealtime({
			jwtSecret: keys.jwtSecret,
			db: realtimeDb,
			log: (l) => log(`[realtime] ${l}`)
		});

		gateway = createGateway({
			keys,
			realtime,
			postgrestUrl: postgrest.url,
			authDb,
			authConfig: {
				jwt: jwtCodec(keys.jwtSecret),
				issuer: `${url}/auth/v1`,
				jwtExpiry: Number(process.env.JWT_EXPIRY) || DEFAULT_JWT_EXPIRY,
				refreshTokenReuseInterval,
				passwordMinLength,
				throttle: new SignInThrottle(throttleLimits)
			},
			trustForwardedFor: process.env.GOTRUE_SECURITY_SB_FORWARDED_FOR_ENABLED !== 'false',
			reloadSchema: () => pr.reloadSchema()
		});
		const gw = gateway;
		await phase(
			'gateway',
			() =>
				new Promise<void>((resolve, reject) => {
					gw.once('error', (err: NodeJS.ErrnoException) =>
						reject(err.code === 'EADDRINUSE' ? new PortInUseError(ports.apiPort, PORT_ENV.api) : err)
					);
					gw.listen(ports.apiPort, host, () => resolve());
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
