/**
 * Headers and cookies (issue #19, item 7) and audited downloads as POSTs (item 6), in the built app:
 * - every page comes with a Content-Security-Policy that allows this site only, with a nonce for SvelteKit's
 *   inline script and neither 'unsafe-inline' nor 'unsafe-eval' for scripts;
 * - the app's screens work under it: the map (MapLibre's worker, layer data named in the Link header), charts
 *   (Chart.js), the board, care, the roster's gap map, the plan and the printable briefing raise no
 *   `securitypolicyviolation` (and the guarded page fails on any console error, "Refused to ..." included);
 * - the session cookie is HttpOnly and SameSite=Lax: no script on a page can read the tokens;
 * - the roster export and the briefing's downloads write audit rows, so they answer POSTs from the app's own
 *   forms only: a GET (a link or image on any site) is 405, a POST from another site 403, and neither writes.
 */
import type { Page } from '@playwright/test';
import { ACCOUNTS, expect, gotoHydrated, mapIdle, signIn, sql, test } from './fixtures';

const BAIZHAOPAI = ACCOUNTS.secretary.unit;
const NANCHENG = ACCOUNTS.commander.unit;
const CITY = ACCOUNTS.leader.unit;

/** The page's CSP violations, collected from the first script on (set up before any page loads). */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
	await page.addInitScript(() => {
		const w = window as unknown as { __violations: string[] };
		w.__violations = [];
		document.addEventListener('securitypolicyviolation', (e) =>
			w.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`)
		);
	});
	return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

/** The policy's directives, by name. */
function directives(policy: string): Map<string, string[]> {
	return new Map(
		policy
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((d) => d[0])
			.map(([name, ...values]) => [name, values])
	);
}

test('every page comes with a policy that allows this site only, and a nonce for SvelteKit’s script', async ({
	page
}) => {
	const response = await page.goto('/login');
	const policy = response!.headers()['content-security-policy'];
	expect(policy, 'Content-Security-Policy').toBeTruthy();
	const d = directives(policy);
	expect(d.get('default-src')).toEqual(["'self'"]);
	const scripts = d.get('script-src')!;
	expect(scripts).toContain("'self'");
	expect(scripts).not.toContain("'unsafe-inline'");
	expect(scripts).not.toContain("'unsafe-eval'");
	const nonce = scripts.find((s) => s.startsWith("'nonce-"))!;
	expect(nonce).toBeTruthy();
	expect(d.get('connect-src')).toEqual(["'self'"]);
	expect(d.get('object-src')).toEqual(["'none'"]);
	expect(d.get('frame-ancestors')).toEqual(["'none'"]);
	expect(d.get('form-action')).toEqual(["'self'"]);
	expect(d.get('base-uri')).toEqual(["'self'"]);
	// SvelteKit's inline start-up script carries this response's nonce, and nothing else inline runs.
	const inline = await page
		.locator('script:not([src])')
		.evaluateAll((s) => s.map((x) => (x as HTMLScriptElement).nonce));
	expect(inline.length).toBeGreaterThan(0);
	for (const n of inline) expect(`'nonce-${n}'`).toBe(nonce);
	// A new nonce per response.
	const again = directives((await page.request.get('/login')).headers()['content-security-policy']);
	expect(again.get('script-src')).not.toContain(nonce);
});

test('the session cookie is HttpOnly and SameSite=Lax: no script on a page can read the tokens', async ({
	guarded: page
}) => {
	await signIn(page, ACCOUNTS.secretary.email);
	const session = (await page.context().cookies()).filter((c) => c.name.startsWith('sb-'));
	expect(session.length).toBeGreaterThan(0);
	for (const c of session)
		expect({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }).toEqual({
			name: c.name,
			httpOnly: true,
			sameSite: 'Lax'
		});
	expect(await page.evaluate(() => document.cookie)).not.toContain('sb-');
	// Signed in all the same: the server reads the cookie.
	await gotoHydrated(page, `/board/${BAIZHAOPAI}`);
	await expect(page).toHaveURL(new RegExp(`/board/${BAIZHAOPAI}`));
});

test('the secretary’s screens work under the policy: map, layers, charts, board, care and leads', async ({
	guarded: page
}) => {
	test.setTimeout(90_000);
	const violations = await watchViolations(page);
	await signIn(page, ACCOUNTS.secretary.email);
	const map = await page.goto(`/map/${BAIZHAOPAI}?response=1&date=2020-03-10&layers=units,buildings,leads`);
	// The layers' data named in the Link header (preloaded with the document's first bytes) is allowed too.
	expect(map!.headers()['link'] ?? '').toContain('rel=preload');
	await mapIdle(page);
	const chart = page.locator('[data-chart="coverage"] canvas');
	await expect(chart).toBeVisible();
	await expect
		.poll(() =>
			chart.evaluate((c: HTMLCanvasElement) => {
				const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
				return data.some((v, i) => i % 4 === 3 && v > 0);
			})
		)
		.toBe(true);
	expect(await violations(), 'map').toEqual([]);

	await gotoHydrated(page, `/board/${BAIZHAOPAI}`);
	expect(await violations(), 'board').toEqual([]);
	const [b] = await sql<{ id: string }>(`select min(id) id from buildings where community_code = $1`, [
		BAIZHAOPAI
	]);
	await gotoHydrated(page, `/board/${BAIZHAOPAI}/b/${b.id}`);
	await expect(page.getByTestId('households').locator('li').first()).toBeVisible();
	expect(await violations(), 'building').toEqual([]);
	await gotoHydrated(page, `/care/${BAIZHAOPAI}`);
	await expect(page.getByTestId('resident-list')).toBeVisible();
	expect(await violations(), 'care').toEqual([]);
	await gotoHydrated(page, `/leads/${BAIZHAOPAI}`);
	await mapIdle(page);
	expect(await violations(), 'leads').toEqual([]);
});

test('the commander’s and the leader’s screens work under the policy: plan, roster, organisations, briefing', async ({
	guarded: page
}) => {
	test.setTimeout(90_000);
	const violations = await watchViolations(page);
	await signIn(page, ACCOUNTS.commander.email);
	await gotoHydrated(page, `/plan/${NANCHENG}`);
	await mapIdle(page);
	expect(await violations(), 'plan').toEqual([]);
	await gotoHydrated(page, `/roster/${NANCHENG}?response=1&day=2020-03-14`);
	await mapIdle(page);
	expect(await violations(), 'roster').toEqual([]);

	await page.context().clearCookies();
	await signIn(page, ACCOUNTS.leader.email);
	await gotoHydrated(page, `/organisations/${CITY}`);
	await expect(page.locator('figure[data-chart] canvas').first()).toBeVisible();
	expect(await violations(), 'organisations').toEqual([]);
	await gotoHydrated(page, `/briefing/${CITY}?response=1&date=2020-02-10`);
	await page.locator('[data-print-ready="true"]').waitFor();
	expect(await violations(), 'briefing').toEqual([]);
});

test('audited downloads answer the app’s own form posts only: a link or another site’s post writes nothing', async ({
	guarded: page
}) => {
	const exports = async (table: string) =>
		(
			await sql<{ n: number }>(
				`select count(*)::int n from audit_log where action = 'export' and table_name = $1`,
				[table]
			)
		)[0].n;
	await signIn(page, ACCOUNTS.commander.email);
	const roster = `/roster/${NANCHENG}/export?response=1&day=2020-03-14`;
	const before = await exports('shifts');
	expect((await page.request.get(roster)).status()).toBe(405);
	const crossSite = await page.request.post(roster, {
		headers: { origin: 'http://elsewhere.example', 'content-type': 'application/x-www-form-urlencoded' },
		data: ''
	});
	expect(crossSite.status()).toBe(403);
	expect(await exports('shifts')).toBe(before);
	// The roster screen's button posts the form, and the browser downloads the workbook.
	await gotoHydrated(page, `/roster/${NANCHENG}?response=1&day=2020-03-14`);
	const download = page.waitForEvent('download');
	await page.getByTestId('export').click();
	expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
	expect(await exports('shifts')).toBe(before + 1);

	await page.context().clearCookies();
	await signIn(page, ACCOUNTS.leader.email);
	const briefings = await exports('briefing');
	for (const kind of ['pdf', 'xlsx'])
		expect(
			(await page.request.get(`/briefing/${CITY}/${kind}?response=1&date=2020-02-10`)).status(),
			kind
		).toBe(405);
	expect(await exports('briefing')).toBe(briefings);
	await gotoHydrated(page, `/briefing/${CITY}?response=1&date=2020-02-10`);
	const xlsx = page.waitForEvent('download');
	await page.getByTestId('briefing-xlsx').click();
	expect((await xlsx).suggestedFilename()).toBe('泸州市疫情防控日报-2020-02-10.xlsx');
	const [row] = await sql<{ unit_code: string; detail: unknown }>(
		`select unit_code, detail from audit_log where action = 'export' and table_name = 'briefing' order by id desc limit 1`
	);
	expect(row).toEqual({ unit_code: CITY, detail: { as_of: '2020-02-10', format: 'xlsx' } });
	expect(await exports('briefing')).toBe(briefings + 1);
});
