import { resolveKeys } from '../../scripts/embedded/keys';
import { ACCOUNTS, expect, PASSWORD, renderedCoverage, signIn, test } from './fixtures';
import { E2E_API_PORT } from './ports';

test.describe('every demo role lands on its own unit with a coverage map', () => {
	for (const [role, account] of Object.entries(ACCOUNTS)) {
		test(`${role} lands on ${account.name}`, async ({ guarded: page }) => {
			await signIn(page, account.email);
			await expect(page).toHaveURL(new RegExp(`/map/${account.unit}(\\?|$)`));
			await expect(page.locator('nav.trail [aria-current="page"]')).toHaveText(account.name);
			await expect(page.getByTestId('legend')).toContainText('摸排覆盖率');
			const codes = await renderedCoverage(page);
			// Every child unit listed in the table is drawn on the map.
			const rows = await page
				.locator('[data-testid="children-table"] tbody tr')
				.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code')));
			expect(rows.length).toBeGreaterThan(0);
			expect(codes).toEqual([...rows].sort());
			for (const code of codes) expect(code.startsWith(account.unit)).toBe(true);
		});
	}
});

test('the secretary sees the article’s household count for 白招牌社区', async ({ guarded: page }) => {
	await signIn(page, ACCOUNTS.secretary.email);
	await expect(page.locator('[data-kpi="households"]')).toHaveText('4,943');
});

test('the leader drills from the city into a district', async ({ guarded: page }) => {
	await signIn(page, ACCOUNTS.leader.email);
	await expect(page).toHaveURL(/\/map\/5105/);
	await page.locator('[data-testid="children-table"] a', { hasText: '江阳区' }).click();
	await expect(page).toHaveURL(/\/map\/510502\?/);
	await expect(page.locator('nav.trail')).toContainText('泸州市');
	const codes = await renderedCoverage(page);
	expect(codes).toContain('510502001');
});

test('a secretary cannot open the street above her community', async ({ guarded: page }) => {
	await signIn(page, ACCOUNTS.secretary.email);
	const response = await page.goto('/map/510502001');
	expect(response?.status()).toBe(403);
	await expect(page.getByText('无权查看该单位')).toBeVisible();
});

test('a wrong password is refused in Chinese', async ({ guarded: page }) => {
	await signIn(page, ACCOUNTS.leader.email, 'not-the-password', false);
	await expect(page.getByRole('alert')).toHaveText('邮箱或密码不正确');
	await expect(page).toHaveURL(/\/login/);
});

test('an account locked after repeated failures is told to wait, in Chinese, even with the right password', async ({
	guarded: page
}) => {
	// A throw-away account (the demo ones must stay usable), locked through the API from a documentation
	// address, so the browser's own address (127.0.0.1, shared by every spec) collects no failures.
	const api = `http://127.0.0.1:${E2E_API_PORT}`;
	const key = resolveKeys().serviceRoleKey;
	const headers = { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' };
	const email = `locked.${Date.now().toString(36)}@e2e.test`;
	const created = await fetch(`${api}/auth/v1/admin/users`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ email, password: PASSWORD, email_confirm: true })
	});
	expect(created.status).toBe(200);
	const { id } = (await created.json()) as { id: string };
	try {
		let last = 0;
		for (let i = 0; i < 20 && last !== 429; i++) {
			last = (
				await fetch(`${api}/auth/v1/token?grant_type=password`, {
					method: 'POST',
					headers: { ...headers, 'sb-forwarded-for': '192.0.2.77' },
					body: JSON.stringify({ email, password: `wrong ${i}` })
				})
			).status;
		}
		expect(last).toBe(429);
		await signIn(page, email, PASSWORD, false);
		await expect(page.getByRole('alert')).toHaveText('登录失败次数过多，已暂时锁定，请稍后再试');
		await expect(page).toHaveURL(/\/login/);
	} finally {
		await fetch(`${api}/auth/v1/admin/users/${id}`, { method: 'DELETE', headers });
	}
});

test('switching language shows English and back', async ({ guarded: page }) => {
	await signIn(page, ACCOUNTS.secretary.email);
	await page.getByTestId('language').click();
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await expect(page.getByTestId('legend')).toContainText('Screening coverage');
	// The same page came back, with the view in its address.
	await expect(page).toHaveURL(new RegExp(`/map/${ACCOUNTS.secretary.unit}`));
	await page.getByTestId('language').click();
	await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
});

test.describe('without the page’s code (not hydrated yet, or a phone that failed to load it)', () => {
	test.use({ javaScriptEnabled: false });

	test('the language switch still works: it is a plain form', async ({ guarded: page }) => {
		await page.goto('/login?next=%2Fmap%2F510502001006');
		await page.getByTestId('language').click();
		await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
		await expect(page).toHaveURL(/\/login\?next=%2Fmap%2F510502001006$/);
		await page.getByTestId('language').click();
		await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
	});
});

test('the language switch sends back to this site only, and takes only the app’s languages', async ({
	request
}) => {
	const post = (form: Record<string, string>) =>
		request.post('/language', {
			form,
			maxRedirects: 0,
			// As a browser posts a form (a script's request would get the action's JSON answer).
			headers: { origin: new URL(test.info().project.use.baseURL!).origin, accept: 'text/html' }
		});
	// Refused, in the language the page is in (no choice made yet: Chinese).
	const bad = await post({ locale: 'xx', next: '/' });
	expect(bad.status()).toBe(400);
	expect(await bad.text()).toContain('不支持该语言');
	for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example/']) {
		const res = await post({ locale: 'en', next });
		expect(res.status()).toBe(303);
		expect(res.headers()['location']).toBe('/');
	}
	const back = await post({ locale: 'en', next: '/map/5105?response=1&date=2020-02-01' });
	expect(back.headers()['location']).toBe('/map/5105?response=1&date=2020-02-01');
	expect(back.headers()['set-cookie']).toContain('PARAGLIDE_LOCALE=en');
});

test('signing in follows `next` only to a path on this site', async ({ request }) => {
	const origin = new URL(test.info().project.use.baseURL!).origin;
	const signInTo = (next: string) =>
		request.post(`/login?next=${encodeURIComponent(next)}`, {
			form: { email: ACCOUNTS.commander.email, password: PASSWORD },
			maxRedirects: 0,
			headers: { origin, accept: 'text/html' }
		});
	for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example/']) {
		const res = await signInTo(next);
		expect(res.status()).toBe(303);
		expect(res.headers()['location']).toBe('/');
	}
	const res = await signInTo('/roster/510502001');
	expect(res.headers()['location']).toBe('/roster/510502001');
});
