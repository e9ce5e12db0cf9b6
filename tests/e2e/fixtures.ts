/**
 * Every end-to-end test runs with two guards: any page error fails it, and so does any request that would
 * leave the machine (everything must come from 127.0.0.1).
 */
import { test as base, expect, type Page } from '@playwright/test';

export const ACCOUNTS = {
	secretary: { email: 'secretary@baizhaopai.demo', unit: '510502001006', name: '白招牌社区' },
	commander: { email: 'commander@nancheng.demo', unit: '510502001', name: '南城街道' },
	leader: { email: 'leader@luzhou.demo', unit: '5105', name: '泸州市' },
	volunteer: { email: 'volunteer@baizhaopai.demo', unit: '510502001006', name: '白招牌社区' }
} as const;
export const PASSWORD = 'wanggetong-2020';

export const test = base.extend<{ guarded: Page }>({
	guarded: async ({ page }, use) => {
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
		await use(page);
		expect(problems, problems.join('\n')).toEqual([]);
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
	if (expectSuccess) await page.waitForURL((url) => !url.pathname.startsWith('/login'));
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

export { expect };
