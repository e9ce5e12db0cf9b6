/**
 * `npm run bench:map`: drives the built app (build/) in Debian's Chromium against a seeded embedded stack and
 * prints, one `name: value` line each, the time from navigation to an idle map (every default layer loaded and
 * drawn) and the bytes transferred (compressed, as on the wire) for the community view (白招牌社区), the street
 * view (南城街道) and the city view, as medians of several runs. Not a test: it prints figures.
 *
 *   npm run build && npm run bench:map                 # demo scale (its own data folder, .data/bench-demo)
 *   npm run bench:map -- --scales=demo,full --runs=7   # also at full city scale (~1.5 M households; the first
 *                                                      # run seeds .data/bench-full, which takes minutes)
 *   npm run bench:map -- --views=community --runs=9    # one view only
 *   npm run bench:map -- --omnibox                     # Chromium with its omnibox popup left in, to compare
 *
 * Each run opens a new browser profile and visits the view three times, each time on another day so the page and
 * its layers' data are new: the first visit (`<view>_cold_*`: the app's code is downloaded), then two more with
 * the app's code in the browser's cache, as on a field worker's phone that opens the app every day; the page and
 * its layers' data still come over the wire. The third is the returning user's figure (`<view>_idle_ms`,
 * `<view>_kb`), the second is printed too (`<view>_second_idle_ms`). Each page is a new tab: a new renderer
 * process, which also has to load the fonts. The returning visit is also given against the floor of this browser
 * on this machine, measured in the same run and the same way: an empty MapLibre map
 * (`baseline_empty_map_idle_ms`; headless Chromium draws WebGL in software, SwiftShader, which costs most of it).
 * Chromium runs with the flags of the app's own (see src/lib/server/chromium.ts): without the omnibox popup that
 * headless Chromium otherwise builds, unseen, for every page opened: half a second of CPU on this two-core
 * machine during each visit measured; `--omnibox` leaves it in, to compare (`browser_omnibox: true` is then printed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { DEFAULT_SERVICE_ROLE_KEY } from '../embedded/keys';
import { OFFLINE_STYLES, paperOf } from '../../src/lib/map/style';
import { flags, median, startBenchStack, type Scale } from './common';
import { CHROMIUM, CHROMIUM_ARGS, DAYS, signedInContext, startApp, visit, VIEWS } from './map-visit';

const args = flags();
const RUNS = Number(args.get('runs') ?? 5);
const SCALES = (args.get('scales') ?? 'demo').split(',') as Scale[];
const ONLY = args.get('views')?.split(',');
const OMNIBOX = args.has('omnibox');
const APP_PORT = 4273;
const MAPLIBRE_DIST = 'node_modules/maplibre-gl/dist';

/**
 * The floor, measured in the same run and browser: a page with nothing but MapLibre (the same library files) and
 * the app's offline basemap drawn as the app draws it (its colour as the element's paper, an empty style for
 * WebGL: see `paperOf`), from navigation to its first `idle`. What the app adds on top (its server, hydration,
 * data and layers) is the ratio of a view's time to this.
 */
async function baseline(browser: Browser, bounds: number[]): Promise<number> {
	const paper = paperOf(OFFLINE_STYLES.light);
	const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, locale: 'zh-CN' });
	const origin = `http://127.0.0.1:${APP_PORT}`;
	await context.route(`${origin}/__baseline/**`, (route) => {
		const name = new URL(route.request().url()).pathname.replace('/__baseline/', '');
		if (name === 'index.html') {
			return route.fulfill({
				contentType: 'text/html',
				body: `<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="maplibre-gl.css">
<div id="map" style="position:absolute;inset:0;background-color:${paper.paper}"></div>
<script type="module">
import { Map, setWorkerUrl } from './maplibre-gl.mjs';
setWorkerUrl(new URL('maplibre-gl-worker.mjs', location.href).href);
const map = new Map({ container: 'map', style: ${JSON.stringify(paper.style)},
	bounds: ${JSON.stringify(bounds)}, fadeDuration: 0, attributionControl: false });
map.once('idle', () => { window.__idle = performance.now(); });
</script>`
			});
		}
		const type = name.endsWith('.css') ? 'text/css' : 'text/javascript';
		return route.fulfill({
			contentType: type,
			body: readFileSync(join(MAPLIBRE_DIST, name)),
			headers: { 'cache-control': 'max-age=3600' }
		});
	});
	const times: number[] = [];
	for (let i = 0; i < RUNS + 2; i++) {
		const page = await context.newPage();
		await page.goto(`${origin}/__baseline/index.html`);
		await page.waitForFunction(() => (window as unknown as { __idle?: number }).__idle !== undefined);
		times.push(await page.evaluate(() => (window as unknown as { __idle: number }).__idle));
		await page.close();
	}
	await context.close();
	// From the third load on, as the views' returning visits.
	return median(times.slice(2));
}

async function benchScale(scale: Scale) {
	const stack = await startBenchStack(scale);
	const url = stack.url;
	const app = await startApp(url, APP_PORT);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: OMNIBOX ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : [...CHROMIUM_ARGS]
	});
	const prefix = scale === 'demo' ? '' : `${scale}_`;
	try {
		const count = await fetch(`${url}/rest/v1/households?select=id&limit=1`, {
			headers: {
				apikey: DEFAULT_SERVICE_ROLE_KEY,
				Authorization: `Bearer ${DEFAULT_SERVICE_ROLE_KEY}`,
				Prefer: 'count=exact'
			}
		});
		if (OMNIBOX) console.log('browser_omnibox: true');
		console.log(`${prefix}households: ${count.headers.get('content-range')?.split('/')[1]}`);
		// 白招牌社区's bounds: the baseline shows the same stretch of ground at the same zoom.
		const unit = await fetch(
			`${url}/rest/v1/units?code=eq.510502001006&select=min_lon,min_lat,max_lon,max_lat`,
			{
				headers: { apikey: DEFAULT_SERVICE_ROLE_KEY, Authorization: `Bearer ${DEFAULT_SERVICE_ROLE_KEY}` }
			}
		);
		const [b] = (await unit.json()) as {
			min_lon: number;
			min_lat: number;
			max_lon: number;
			max_lat: number;
		}[];
		const floor = await baseline(browser, [b.min_lon, b.min_lat, b.max_lon, b.max_lat]);
		console.log(`${prefix}baseline_empty_map_idle_ms: ${floor.toFixed(0)}`);
		for (const view of VIEWS.filter((v) => !ONLY || ONLY.includes(v.name))) {
			const cold: { ms: number; bytes: number }[] = [];
			const second: { ms: number; bytes: number }[] = [];
			const warm: { ms: number; bytes: number }[] = [];
			for (let i = 0; i < RUNS; i++) {
				const context = await signedInContext(browser, APP_PORT, view.email);
				cold.push(await visit(context, APP_PORT, `${view.path}?date=${DAYS[0]}`));
				second.push(await visit(context, APP_PORT, `${view.path}?date=${DAYS[1]}`));
				warm.push(await visit(context, APP_PORT, `${view.path}?date=${DAYS[2]}`));
				await context.close();
			}
			console.log(`${prefix}${view.name}_idle_ms: ${median(warm.map((r) => r.ms)).toFixed(0)}`);
			console.log(`${prefix}${view.name}_kb: ${(median(warm.map((r) => r.bytes)) / 1024).toFixed(1)}`);
			console.log(
				`${prefix}${view.name}_idle_vs_baseline: ${(median(warm.map((r) => r.ms)) / floor).toFixed(2)}`
			);
			console.log(`${prefix}${view.name}_second_idle_ms: ${median(second.map((r) => r.ms)).toFixed(0)}`);
			console.log(`${prefix}${view.name}_cold_idle_ms: ${median(cold.map((r) => r.ms)).toFixed(0)}`);
			console.log(`${prefix}${view.name}_cold_kb: ${(median(cold.map((r) => r.bytes)) / 1024).toFixed(1)}`);
			// What the first visit adds: the app's code (MapLibre and its worker are most of it), cached afterwards.
			const code = median(cold.map((r) => r.bytes)) - median(warm.map((r) => r.bytes));
			console.log(`${prefix}${view.name}_app_code_kb: ${(code / 1024).toFixed(1)}`);
		}
	} finally {
		await browser.close();
		app.kill('SIGTERM');
		await stack.stop();
	}
}

if (!existsSync('build/index.js')) {
	console.error('no build: run `npm run build` first');
	process.exit(1);
}
console.log(`runs: ${RUNS}`);
for (const scale of SCALES) await benchScale(scale);
