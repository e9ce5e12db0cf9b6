/**
 * Every end-to-end test runs with two guards: any page error fails it, and so does any request that would
 * leave the machine (everything must come from 127.0.0.1).
 */
import { test as base, expect, type Page } from '@playwright/test';
import pg from 'pg';
import { E2E_API_PORT } from './ports';

export const ACCOUNTS = {
	secretary: { email: 'secretary@baizhaopai.demo', unit: '510502001006', name: '白招牌社区' },
	commander: { email: 'commander@nancheng.demo', unit: '510502001', name: '南城街道' },
	leader: { email: 'leader@luzhou.demo', unit: '5105', name: '泸州市' },
	volunteer: { email: 'volunteer@baizhaopai.demo', unit: '510502001006', name: '白招牌社区' }
} as const;
export const PASSWORD = 'wanggetong-2020';

/**
 * Guards a page: any page error, any console error but a refusal the test asserts on, and any request that would
 * leave the machine are collected. Returns the check to run at the end.
 */
export async function guard(page: Page): Promise<() => void> {
	const problems: string[] = [];
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	page.on('console', (msg) => {
		// Refusals (400/401/403) are answers the tests assert on; anything else logged as an error fails.
		if (msg.type() === 'error' && !/status of 40[013]/.test(msg.text()))
			problems.push(`console error: ${msg.text()}`);
	});
	await page.route('**/*', (route) => {
		const url = new URL(route.request().url());
		const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
		if (!local && !['data:', 'blob:'].includes(url.protocol)) {
			problems.push(`request left the machine: ${url.href}`);
			return route.abort();
		}
		return route.continue();
	});
	return () => expect(problems, problems.join('\n')).toEqual([]);
}

export const test = base.extend<{ guarded: Page }>({
	guarded: async ({ page }, use) => {
		const check = await guard(page);
		await use(page);
		check();
	}
});

/** Signs in through the form; unless told the password is wrong, waits until the app has let the user in. */
export async function signIn(
	page: Page,
	email: string,
	password = PASSWORD,
	expectSuccess = true
): Promise<void> {
	await page.goto('/login');
	await page.locator('form[data-hydrated="true"]').waitFor();
	await page.getByLabel('邮箱').fill(email);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	if (expectSuccess) {
		await page.waitForURL((url) => !url.pathname.startsWith('/login'));
		await page.locator('html[data-hydrated="true"]').waitFor();
	}
}

/** Waits until the map has drawn the coverage layer, and returns the codes of its rendered features. */
export async function renderedCoverage(page: Page): Promise<string[]> {
	await page.locator('[data-ready="true"]').waitFor();
	return page.evaluate(async () => {
		type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
		const map = (window as unknown as W).__wanggetong!.map;
		for (let i = 0; i < 100 && !(map.getLayer('coverage-fill') && map.loaded()); i++)
			await new Promise((r) => setTimeout(r, 100));
		await new Promise<void>((r) => (map.loaded() ? r() : map.once('idle', () => r())));
		const codes = map
			.queryRenderedFeatures({ layers: ['coverage-fill'] })
			.map((f) => String(f.properties.code));
		return [...new Set(codes)].sort();
	});
}

/**
 * A query straight to the e2e stack's database (superuser), for expectations computed independently of the
 * app. The embedded database is one session: keep these to single statements outside transactions.
 */
export async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
	const port = E2E_API_PORT + 1;
	const client = new pg.Client({
		connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`
	});
	await client.connect();
	try {
		return (await client.query(text, params)).rows as T[];
	} finally {
		await client.end();
	}
}

/** Waits until the map has loaded everything it was asked to draw and is idle. */
export async function mapIdle(page: Page): Promise<void> {
	await page.locator('[data-ready="true"]').waitFor();
	await page.evaluate(async () => {
		type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
		const map = (window as unknown as W).__wanggetong!.map;
		await new Promise<void>((r) => (map.loaded() && !map.isMoving() ? r() : map.once('idle', () => r())));
	});
}

/** Properties of the features drawn on screen by the given MapLibre style layers. */
export async function rendered(page: Page, layers: string[]): Promise<Record<string, unknown>[]> {
	await mapIdle(page);
	return page.evaluate((ids) => {
		type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
		const map = (window as unknown as W).__wanggetong!.map;
		const present = ids.filter((id) => map.getLayer(id));
		if (present.length === 0) return [];
		return map.queryRenderedFeatures({ layers: present }).map((f) => ({ ...f.properties, _id: f.id }));
	}, layers);
}

/** Features loaded in a GeoJSON source (for heatmaps, which are drawn but not queryable feature by feature). */
export async function sourceFeatures(page: Page, source: string): Promise<number> {
	await mapIdle(page);
	return page.evaluate((id) => {
		type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
		const map = (window as unknown as W).__wanggetong!.map;
		return map.getSource(id) ? map.querySourceFeatures(id).length : -1;
	}, source);
}

/** Clicks the map at a longitude and latitude, as a user would. */
export async function clickMap(page: Page, lon: number, lat: number): Promise<void> {
	await mapIdle(page);
	const point = await page.evaluate(
		([x, y]) => {
			type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
			const map = (window as unknown as W).__wanggetong!.map;
			const p = map.project([x, y]);
			const box = map.getCanvas().getBoundingClientRect();
			return { x: box.left + p.x, y: box.top + p.y };
		},
		[lon, lat]
	);
	await page.mouse.click(point.x, point.y);
}

/** Opens a page and waits until it is interactive (hydrated), so clicks reach its handlers. */
export async function gotoHydrated(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await page.locator('html[data-hydrated="true"]').waitFor();
}

/** "12,345" or "95.2%" as shown in a KPI, as a number. */
export function shownNumber(text: string): number {
	return Number(text.replace(/[,%\s]/g, ''));
}

export { expect };

/** Follows one of the header's sections, through its "more" menu when the row has no room for it. */
export async function openSection(page: Page, id: string): Promise<void> {
	const link = page.locator(`a[data-nav="${id}"]`);
	if ((await link.count()) === 0 || !(await link.isVisible())) await page.getByTestId('nav-more').click();
	await link.click();
}
