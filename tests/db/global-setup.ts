/**
 * Starts ONE embedded stack for all db tests: `scripts/embedded/main.ts` as a child process (the same entry as
 * `npm run stack`), seeded, on a throw-away data folder under /tmp and ports 25421 (API) / 25422 (Postgres) /
 * 25430 (PostgREST), so it runs beside a developer's own stack. Test files read it with `stack()` from
 * ./stack-env (vitest's provide/inject).
 *
 * Env: DB_TEST_DATA_DIR=<folder> keeps and reuses that folder between runs (skips the seed after the first run);
 * DB_TEST_API_PORT / DB_TEST_PG_PORT / DB_TEST_POSTGREST_PORT move the ports.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { spawnStack, stopChild, waitForReady } from '../../scripts/embedded/child';
import { portEnv, resolveKeys, stackPortsFromEnv, stackUrls } from '../../scripts/embedded/keys';
import type { StackInfo } from './stack-env';

const READY_TIMEOUT_MS = 240_000; // a cold start seeds the demo data
const TEST_PORT_ENV = { api: 'DB_TEST_API_PORT', pg: 'DB_TEST_PG_PORT', postgrest: 'DB_TEST_POSTGREST_PORT' };
// Below Linux's ephemeral range (32768–60999): a client connection on a busy machine never holds them.
const TEST_PORTS = { apiPort: 25421, pgPort: 25422, postgrestPort: 25430 };
/**
 * A short refresh-token reuse interval (GoTrue's default is 10 s), so the tests can show both sides of it:
 * reuse inside the interval answers the active session, reuse after it revokes the session.
 */
const REFRESH_TOKEN_REUSE_INTERVAL = 2;

let child: ChildProcess | undefined;
let throwAwayDir: string | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const ports = stackPortsFromEnv(process.env, TEST_PORT_ENV, TEST_PORTS);
	const dataDir =
		process.env.DB_TEST_DATA_DIR ||
		(throwAwayDir = join(mkdtempSync(join(tmpdir(), 'wgt-db-tests-')), 'pglite'));
	const keys = resolveKeys();

	const output: string[] = [];
	child = spawnStack({
		...process.env,
		...portEnv(ports),
		EMBEDDED_DATA_DIR: dataDir,
		GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL: String(REFRESH_TOKEN_REUSE_INTERVAL)
	});
	const started = performance.now();
	const url = await waitForReady(child, {
		timeoutMs: READY_TIMEOUT_MS,
		onLine: (line) => output.push(line)
	}).catch(async (err: Error) => {
		await teardown();
		throw new Error(`test stack: ${err.message}:\n${output.join('\n')}`);
	});
	console.log(
		`[db tests] embedded stack on ${url} (data ${dataDir}) ready in ${Math.round(performance.now() - started)} ms`
	);

	const { pgUrl, postgrestUrl } = stackUrls(ports);
	const info: StackInfo = {
		url,
		anonKey: keys.anonKey,
		serviceRoleKey: keys.serviceRoleKey,
		jwtSecret: keys.jwtSecret,
		pgUrl,
		postgrestUrl,
		dataDir,
		refreshTokenReuseInterval: REFRESH_TOKEN_REUSE_INTERVAL
	};
	project.provide('stack', info);
	return teardown;
}

async function teardown(): Promise<void> {
	const c = child;
	child = undefined;
	await stopChild(c, 20_000); // main.ts stops gateway, PostgREST, socket, PGlite (flush)
	if (throwAwayDir) rmSync(resolve(throwAwayDir, '..'), { recursive: true, force: true });
}
