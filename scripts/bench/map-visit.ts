/**
 * What the map benchmarks share: starting a built app against a bench stack, a signed-in browser profile, and one
 * visit of a map view measured from navigation to an idle map with every default layer loaded and drawn.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser, BrowserContext } from '@playwright/test';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * The flags the app's own Chromium (its PDF printer) and the end-to-end tests run with: WebGL in SwiftShader (no
 * GPU here), and without the omnibox popup headless Chromium builds, unseen, for every page it opens.
 */
export { CHROMIUM_ARGS } from '../../src/lib/server/chromium';

export const VIEWS = [
	{ name: 'community', email: 'secretary@baizhaopai.demo', path: '/map/510502001006' },
	{ name: 'street', email: 'commander@nancheng.demo', path: '/map/510502001' },
	{ name: 'city', email: 'leader@luzhou.demo', path: '/map/5105' }
] as const;
/** The first visit opens the last day, the next ones earlier days, so each page and its data are new. */
export const DAYS = ['2020-03-15', '2020-03-14', '2020-03-13'] as const;

export const origin = (port: number) => `http://127.0.0.1:${port}`;

/** Starts a built app (`buildDir/index.js`) on `port` against the stack at `supabaseUrl`, once it answers. */
export async function startApp(supabaseUrl: string, port: number, buildDir = 'build'): Promise<ChildProcess> {
	const app = spawn(process.execPath, ['--experimental-websocket', `${buildDir}/index.js`], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin(port),
			PUBLIC_SUPABASE_URL: supabaseUrl
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; i < 100; i++) {
		try {
			await fetch(`${origin(port)}/login`);
			return app;
		} catch {
			await new Promise((r) => setTimeout(r, 200));
		}
	}
	throw new Error('the app did not start');
}

/** A new browser profile (a new HTTP cache), signed in as `email`. */
export async function signedInContext(
	browser: Browser,
	port: number,
	email: string
): Promise<BrowserContext> {
	const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, locale: 'zh-CN' });
	const page = await context.newPage();
	const res = await page.request.post(`${origin(port)}/login`, {
		form: { email, password: 'wanggetong-2020' },
		headers: { origin: origin(port), accept: 'text/html' },
		maxRedirects: 0
	});
	if (res.status() !== 303) throw new Error(`sign-in as ${email}: ${res.status()}`);
	await page.close();
	return context;
}

/**
 * One visit: navigation to an idle map with every default layer loaded. Returns the time (ms since navigation
 * start) and the bytes on the wire (Resource Timing transferSize: compressed bodies plus headers, 0 from cache).
 */
export async function visit(
	context: BrowserContext,
	port: number,
	path: string
): Promise<{ ms: number; bytes: number }> {
	const page = await context.newPage();
	await page.goto(`${origin(port)}${path}`);
	await page.locator('[data-ready="true"]').waitFor({ timeout: 60_000 });
	const result = await page.evaluate(async () => {
		type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
		const map = (window as unknown as W).__wanggetong!.map;
		for (;;) {
			const states = [...document.querySelectorAll('[data-layer-state]')].map((e) =>
				e.getAttribute('data-status')
			);
			if (states.includes('error')) throw new Error('a layer failed');
			if (states.every((s) => s === 'ready') && map.getLayer('coverage-fill')) break;
			await new Promise((r) => setTimeout(r, 5));
		}
		await new Promise<void>((r) => (map.loaded() ? r() : map.once('idle', () => r())));
		const ms = performance.now();
		const entries = [
			...performance.getEntriesByType('navigation'),
			...performance.getEntriesByType('resource')
		] as PerformanceResourceTiming[];
		return { ms, bytes: entries.reduce((n, e) => n + e.transferSize, 0) };
	});
	await page.close();
	return result;
}
