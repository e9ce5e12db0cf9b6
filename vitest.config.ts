import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Test projects (the app's own vite.config.ts is separate and not loaded here):
 * - unit: pure modules under src/, no database;
 * - db:   tests/db/*, against ONE embedded Supabase stack started by tests/db/global-setup.ts on a throw-away
 *         data folder and non-default ports, so it never touches the developer's .data/ or a running stack.
 *         Files run one after another: they share that stack's single database session.
 */
const lib = fileURLToPath(new URL('./src/lib', import.meta.url));

export default defineConfig({
	test: {
		teardownTimeout: 60_000, // the db project's global teardown stops the stack (PGlite flush)
		projects: [
			{
				resolve: { alias: { $lib: lib } },
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts'],
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
					environment: 'node',
					execArgv: ['--experimental-websocket'],
					globalSetup: ['tests/db/global-setup.ts'],
					fileParallelism: false,
					testTimeout: 120_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
