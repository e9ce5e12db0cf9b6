import { ACCOUNTS, expect, renderedCoverage, signIn, test } from './fixtures';

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

test('switching language shows English and back', async ({ guarded: page }) => {
	await signIn(page, ACCOUNTS.secretary.email);
	await page.getByTestId('language').click();
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await expect(page.getByTestId('legend')).toContainText('Screening coverage');
	// The switch reloads the page: its button answers once the new page is hydrated.
	await page.locator('html[data-hydrated="true"]').waitFor();
	await page.getByTestId('language').click();
	await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
});
