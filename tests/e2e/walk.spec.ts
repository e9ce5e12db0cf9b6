/**
 * Every screen of every demo role, at desktop and phone size (issue #20): each section the header offers the
 * role is opened, must answer without an error (page errors, console errors and requests leaving the machine fail
 * it through guard), must draw content of its own (a heading, map, table or form), and is kept as a picture in
 * test-results/screens/walk-<role>-<section>-<size>.png for a person to look at.
 */
import { ACCOUNTS, expect, guard, signIn, test } from './fixtures';

const SIZES = [
	{ name: 'desktop', width: 1366, height: 850 },
	{ name: 'phone', width: 390, height: 844 }
] as const;

for (const [role, account] of Object.entries(ACCOUNTS)) {
	test(`${role}: every section of the header answers, at desktop and phone size`, async ({ page }) => {
		test.setTimeout(300_000);
		const check = await guard(page);
		await signIn(page, account.email);
		// Every section the header offers, shown in the row or kept in its "more" menu.
		const more = page.getByTestId('nav-more');
		if (await more.isVisible()) await more.click();
		const links = await page
			.locator('[data-nav]')
			.evaluateAll((as) =>
				[...new Set(as.map((a) => `${a.getAttribute('data-nav')}|${a.getAttribute('href')}`))].map((s) =>
					s.split('|')
				)
			);
		expect(links.length).toBeGreaterThan(1);
		for (const size of SIZES) {
			await page.setViewportSize({ width: size.width, height: size.height });
			for (const [section, href] of links) {
				const answer = await page.goto(href!);
				expect(answer?.status(), `${role} ${href}`).toBeLessThan(400);
				await page.locator('html[data-hydrated="true"]').waitFor();
				// the screen drew something of its own below the header
				await expect(
					page.locator('main :is(h1, h2, canvas, table, form)').first(),
					`${role} ${href}`
				).toBeVisible();
				await page.screenshot({ path: `test-results/screens/walk-${role}-${section}-${size.name}.png` });
			}
		}
		check();
	});
}
