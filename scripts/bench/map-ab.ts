/**
 * `npm run bench:map-ab -- --a=DIR --b=DIR`: two builds of the app (adapter-node output folders, e.g. a copy of
 * build/ made before a change, and build/ after it) against one seeded demo stack, visited in turns, so both
 * meet the same moments of this shared machine. `bench:map`'s figures move by 100 ms and more from one run to
 * the next here; a change worth tens of milliseconds shows only when each run of one build is paired with a
 * run of the other made right beside it. Prints, one `name: value` line each, both medians of the returning
 * visit (the third, as in `bench:map`) and the median and mean of the paired differences (b − a).
 *
 *   npm run build && cp -r build .data/build-before    # then make the change
 *   npm run build && npm run bench:map-ab -- --a=.data/build-before --b=build --runs=15 --views=community
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { flags, median, startBenchStack } from './common';
import { CHROMIUM, CHROMIUM_ARGS, DAYS, signedInContext, startApp, visit, VIEWS } from './map-visit';

const args = flags();
const RUNS = Number(args.get('runs') ?? 15);
const ONLY = (args.get('views') ?? 'community').split(',');
const BUILDS = [args.get('a'), args.get('b')];
const PORTS = [4275, 4276];

for (const dir of BUILDS) {
	if (!dir || !existsSync(`${dir}/index.js`)) {
		console.error(`give two builds: --a=DIR --b=DIR (no ${dir ?? 'folder'}/index.js)`);
		process.exit(1);
	}
}

const stack = await startBenchStack('demo');
const apps = await Promise.all(BUILDS.map((dir, i) => startApp(stack.url, PORTS[i], dir)));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
try {
	console.log(`runs: ${RUNS}`);
	for (const view of VIEWS.filter((v) => ONLY.includes(v.name))) {
		const times: number[][] = [[], []];
		for (let run = 0; run < RUNS; run++) {
			// Which build goes first alternates, so neither always meets a warmer machine.
			for (const i of run % 2 ? [1, 0] : [0, 1]) {
				const context = await signedInContext(browser, PORTS[i], view.email);
				let last = { ms: 0, bytes: 0 };
				for (const day of DAYS) last = await visit(context, PORTS[i], `${view.path}?date=${day}`);
				await context.close();
				times[i].push(last.ms);
			}
		}
		const diffs = times[1].map((b, r) => b - times[0][r]);
		console.log(`${view.name}_a_idle_ms: ${median(times[0]).toFixed(0)}`);
		console.log(`${view.name}_b_idle_ms: ${median(times[1]).toFixed(0)}`);
		console.log(`${view.name}_b_minus_a_median_ms: ${median(diffs).toFixed(0)}`);
		console.log(
			`${view.name}_b_minus_a_mean_ms: ${(diffs.reduce((s, d) => s + d, 0) / diffs.length).toFixed(0)}`
		);
		console.log(`${view.name}_b_faster_runs: ${diffs.filter((d) => d < 0).length}/${diffs.length}`);
	}
} finally {
	await browser.close();
	for (const app of apps) app.kill('SIGTERM');
	await stack.stop();
}
