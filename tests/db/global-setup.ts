/**
 * Starts ONE embedded stack for all db tests: `scripts/embedded/main.ts` as a child process (the same entry as
 * `npm run stack`), seeded, on a throw-away data folder under /tmp and ports 55421 (API) / 55422 (Postgres) /
 * 55430 (PostgREST), so it runs beside a developer's own stack. Test files read it with `stack()` from
 * ./stack-env (vitest's provide/inject).
 *
 * Env: DB_TEST_DATA_DIR=<folder> keeps and reuses that folder between runs (skips the seed after the first run);
 * DB_TEST_API_PORT / DB_TEST_PG_PORT / DB_TEST_POSTGREST_PORT move the ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { READY_LINE_PREFIX, resolveKeys } from '../../scripts/embedded/keys';
import type { StackInfo } from './stack-env';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const READY_TIMEOUT_MS = 240_000; // a cold start seeds the demo data

let child: ChildProcess | undefined;
let throwAwayDir: string | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const apiPort = Number(process.env.DB_TEST_API_PORT) || 55421;
	const pgPort = Number(process.env.DB_TEST_PG_PORT) || 55422;
	const postgrestPort = Number(process.env.DB_TEST_POSTGREST_PORT) || 55430;
	const dataDir =
		process.env.DB_TEST_DATA_DIR ||
		(throwAwayDir = join(mkdtempSync(join(tmpdir(), 'wgt-db-tests-')), 'pglite'));
	const keys = resolveKeys();

	const output: string[] = [];
	child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/embedded/main.ts')], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			...process.env,
			EMBEDDED_DATA_DIR: dataDir,
			EMBEDDED_API_PORT: String(apiPort),
			EMBEDDED_PG_PORT: String(pgPort),
			EMBEDDED_POSTGREST_PORT: String(postgrestPort)
		}
	});
	const started = performance.now();
	const url = await new Promise<string>((resolvePromise, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`test stack not ready within ${READY_TIMEOUT_MS} ms:\n${output.join('\n')}`)),
			READY_TIMEOUT_MS
		);
		const collect = (chunk: Buffer) => {
			for (const line of chunk.toString().split('\n')) {
				if (!line) continue;
				output.push(line);
				if (line.startsWith(READY_LINE_PREFIX)) {
					clearTimeout(timer);
					resolvePromise(line.slice(READY_LINE_PREFIX.length).trim());
				}
			}
		};
		child!.stdout!.on('data', collect);
		child!.stderr!.on('data', collect);
		child!.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`test stack exited (code ${code}) before it was ready:\n${output.join('\n')}`));
		});
	}).catch(async (err) => {
		await teardown();
		throw err;
	});
	console.log(
		`[db tests] embedded stack on ${url} (data ${dataDir}) ready in ${Math.round(performance.now() - started)} ms`
	);

	const info: StackInfo = {
		url,
		anonKey: keys.anonKey,
		serviceRoleKey: keys.serviceRoleKey,
		jwtSecret: keys.jwtSecret,
		pgUrl: `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`,
		postgrestUrl: `http://127.0.0.1:${postgrestPort}`
	};
	project.provide('stack', info);
	return teardown;
}

async function teardown(): Promise<void> {
	const c = child;
	child = undefined;
	if (c && c.exitCode === null && c.signalCode === null) {
		const gone = new Promise((r) => c.once('exit', r));
		c.kill('SIGTERM'); // main.ts stops gateway, PostgREST, socket, PGlite
		const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
		await gone;
		clearTimeout(timer);
	}
	if (throwAwayDir) rmSync(resolve(throwAwayDir, '..'), { recursive: true, force: true });
}
