/**
 * `npm run stack`: the embedded Supabase stack, the app's default backend on a fresh machine.
 *
 *   node --import tsx scripts/embedded/main.ts [--reset] [--exit-after-seed] [--scale=demo|full] [--no-seed]
 *
 * --reset            delete the data folder first (a fresh, re-seeded database)
 * --exit-after-seed  prepare the database (bootstrap, migrations, seed on first start) and exit 0
 * --scale=demo|full  passed to the seed hook on first start (default demo)
 * --no-seed          first start without running the seed hook (as env DEMO=0)
 *
 * Env: EMBEDDED_DATA_DIR (default .data/pglite), EMBEDDED_API_PORT (54321), EMBEDDED_PG_PORT (54322),
 * EMBEDDED_POSTGREST_PORT (54330), JWT_SECRET / SUPABASE_ANON_KEY / SUPABASE_SERVICE_ROLE_KEY (see keys.ts),
 * JWT_EXPIRY (access token seconds, 3600), GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL (seconds, 10).
 *
 * Prints `embedded stack ready on <url>` once every part answers (scripts/with-stack.ts waits for that line).
 */
import type { SeedScale } from './db';
import { READY_LINE_PREFIX } from './keys';
import { DataDirInUseError, PortInUseError, prepareDatabase, startStack, type RunningStack } from './stack';

class UsageError extends Error {}

interface Flags {
	reset: boolean;
	exitAfterSeed: boolean;
	scale: SeedScale;
	seed: boolean;
}

function parseFlags(argv: string[]): Flags {
	// DEMO=0: an empty start (no demo city, no demo accounts), for a city's own deployment.
	const flags: Flags = { reset: false, exitAfterSeed: false, scale: 'demo', seed: process.env.DEMO !== '0' };
	for (const arg of argv) {
		if (arg === '--reset') flags.reset = true;
		else if (arg === '--exit-after-seed') flags.exitAfterSeed = true;
		else if (arg === '--no-seed') flags.seed = false;
		else if (arg.startsWith('--scale=')) {
			const scale = arg.slice('--scale='.length);
			if (scale !== 'demo' && scale !== 'full')
				throw new UsageError(`--scale must be demo or full, not ${scale}`);
			flags.scale = scale;
		} else
			throw new UsageError(
				`unknown argument ${arg} (use --reset, --exit-after-seed, --scale=demo|full, --no-seed)`
			);
	}
	return flags;
}

const formatTimings = (timings: Record<string, number>) =>
	Object.entries(timings)
		.map(([name, ms]) => `${name} ${ms} ms`)
		.join(', ');

/** One line for the errors a user can act on, the full error for the rest. */
function fail(err: unknown): never {
	if (err instanceof PortInUseError || err instanceof DataDirInUseError || err instanceof UsageError)
		console.error(`embedded stack: ${err.message}`);
	else console.error('embedded stack failed:', err instanceof Error ? (err.stack ?? err.message) : err);
	process.exit(1);
}

async function main(): Promise<void> {
	const started = performance.now();
	const flags = parseFlags(process.argv.slice(2));

	if (flags.exitAfterSeed) {
		const result = await prepareDatabase({
			reset: flags.reset,
			scale: flags.scale,
			seed: flags.seed,
			log: (l) => console.log(`[db] ${l}`)
		});
		console.log(
			`database ${result.fresh ? 'created' : 'up to date'} in ${result.dataDir} (${formatTimings(result.timings)}; total ${Math.round(performance.now() - started)} ms)`
		);
		return;
	}

	let stack: RunningStack | undefined;
	let stopping = false;
	const starting = new AbortController();
	const shutdown = async (code: number) => {
		if (stopping) return;
		stopping = true;
		if (!stack) {
			// Still starting: startStack stops what it started at its next phase, then rejects; exit then.
			starting.abort();
			return;
		}
		await stack.stop().catch((err) => console.error('error while stopping:', err));
		process.exit(code);
	};
	// Installed before start-up so Ctrl-C during a long first start still closes PGlite and PostgREST.
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));
	process.on('SIGHUP', () => void shutdown(0));

	try {
		stack = await startStack({
			reset: flags.reset,
			scale: flags.scale,
			seed: flags.seed,
			signal: starting.signal
		});
	} catch (err) {
		if (starting.signal.aborted) process.exit(0); // interrupted on purpose; everything started is stopped
		throw err;
	}
	void stack.failed.then((err) => {
		console.error(err.message);
		void shutdown(1);
	});
	console.log(
		`${stack.fresh ? 'first start' : 'warm start'} (${formatTimings(stack.timings)}; total ${Math.round(performance.now() - started)} ms)`
	);
	console.log(`  API URL:          ${stack.url}`);
	console.log(`  DB URL:           ${stack.pgUrl}`);
	console.log(`  anon key:         ${stack.keys.anonKey}`);
	console.log(`  service_role key: ${stack.keys.serviceRoleKey}`);
	console.log(`${READY_LINE_PREFIX}${stack.url}`);
}

main().catch(fail);
