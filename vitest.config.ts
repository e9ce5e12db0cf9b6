import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test projects (the app's own vite.config.ts is separate and not loaded here); `vitest run` runs them all:
 * - unit: pure modules under src/ and scripts/ (e.g. the embedded Realtime's wire format), and tests/config (the repository's own config files: the lock file, the
 *         Supabase CLI's config), no database;
 * - db:   tests/db/*, against ONE embedded Supabase stack started by tests/db/global-setup.ts on a throw-away
 *         data folder and non-default ports, so it never touches the developer's .data/ or a running stack.
 *         Files run one after another: they share that stack's single database session.
 * - pg15: tests/db/pg15*.test.ts, each on its own throw-away PostgreSQL 15 server (scripts/pg15.ts); no
 *         embedded stack, so they neither wait for one nor start one.
 */
const lib = fileURLToPath(new URL('./src/lib', import.meta.url));
const PG15_TESTS = 'tests/db/pg15*.test.ts';

export default defineConfig({
	test: {
		teardownTimeout: 60_000, // the db project's global teardown stops the stack (PGlite flush)
		projects: [
			{
				resolve: { alias: { $lib: lib } },
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'tests/config/**/*.test.ts', 'scripts/**/*.test.ts'],
					environment: 'node',
					// supabase-js refuses to load on Node 20 without a WebSocket implementation
					execArgv: ['--experimental-websocket']
				}
			},
			{
				resolve: { alias: { $lib: lib } },
				test: {
					name: 'db',
					include: ['tests/db/**/*.test.ts'],
					exclude: [...configDefaults.exclude, PG15_TESTS],
					environment: 'node',
					execArgv: ['--experimental-websocket'],
					globalSetup: ['tests/db/global-setup.ts'],
					fileParallelism: false,
					testTimeout: 120_000,
					hookTimeout: 120_000
				}
			},
			{
				test: {
					name: 'pg15',
					include: [PG15_TESTS],
					environment: 'node',
					testTimeout: 120_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
