import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS } from './src/lib/server/chromium';
import { E2E_API_PORT, E2E_APP_PORT } from './tests/e2e/ports';

/**
 * End-to-end tests drive the built app (adapter-node) in Debian's Chromium against one seeded embedded stack.
 * scripts/test-all.ts starts that stack and the app once and passes their URLs here; run alone, Playwright
 * starts both itself (webServer), on ports apart from a developer's running stack.
 */
const apiPort = E2E_API_PORT;
const appPort = E2E_APP_PORT;
const supabaseUrl = process.env.E2E_SUPABASE_URL ?? `http://127.0.0.1:${apiPort}`;

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
	use: {
		baseURL: `http://127.0.0.1:${appPort}`,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		screenshot: 'only-on-failure',
		trace: 'off'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				viewport: { width: 1366, height: 850 },
				launchOptions: {
					executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
					// Headless Debian Chromium as the app's PDF printer runs it (see the module's comment).
					args: [...CHROMIUM_ARGS]
				}
			}
		}
	],
	webServer: process.env.E2E_EXTERNAL_SERVERS
		? undefined
		: [
				{
					command: `node --import tsx scripts/embedded/main.ts`,
					url: `${supabaseUrl}/auth/v1/health`,
					env: {
						EMBEDDED_DATA_DIR: process.env.E2E_DATA_DIR ?? '.data/e2e',
						EMBEDDED_API_PORT: String(apiPort),
						EMBEDDED_PG_PORT: String(apiPort + 1),
						EMBEDDED_POSTGREST_PORT: String(apiPort + 9)
					},
					timeout: 180_000,
					reuseExistingServer: !process.env.CI,
					stdout: 'pipe'
				},
				{
					// The README's run path (scripts/with-stack.ts supplies HOST and ORIGIN), against the e2e stack.
					command: 'node --import tsx scripts/with-stack.ts node build/index.js',
					url: `http://127.0.0.1:${appPort}/login`,
					env: {
						PORT: String(appPort),
						PUBLIC_SUPABASE_URL: supabaseUrl,
						// the e2e stack's port: with-stack.ts then knows the URL as local and hands the server its keys
						EMBEDDED_API_PORT: String(apiPort)
					},
					timeout: 60_000,
					reuseExistingServer: !process.env.CI
				}
			]
});
