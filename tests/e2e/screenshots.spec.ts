/**
 * Screenshots of each role's view at desktop and phone size, kept in test-results/screens for a person to look at,
 * and a pixel check that the map drew the choropleth (not just a blank canvas).
 */
import { ACCOUNTS, expect, renderedCoverage, signIn, test } from './fixtures';

for (const [role, account] of Object.entries(ACCOUNTS)) {
	for (const size of [
		{ name: 'desktop', width: 1366, height: 850 },
		{ name: 'phone', width: 390, height: 844 }
	]) {
		test(`${role} view on a ${size.name}`, async ({ guarded: page }) => {
			await page.setViewportSize({ width: size.width, height: size.height });
			await signIn(page, account.email);
			const codes = await renderedCoverage(page);
			expect(codes.length).toBeGreaterThan(0);
			// The coverage colours are on the canvas: count the pixels it drew (the basemap's paper is the element's
			// CSS background, so the canvas is transparent wherever the map has no data). The drawing buffer is read
			// inside a frame's 'render' event: once the frame is on screen, the browser clears it.
			const coloured = await page.evaluate(
				() =>
					new Promise<number>((resolve) => {
						type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
						const map = (window as unknown as W).__wanggetong!.map;
						map.once('render', () => {
							const canvas = map.getCanvas();
							const copy = document.createElement('canvas');
							copy.width = canvas.width;
							copy.height = canvas.height;
							const ctx = copy.getContext('2d')!;
							ctx.drawImage(canvas, 0, 0);
							const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
							let n = 0;
							for (let i = 0; i < data.length; i += 4 * 16) if (data[i + 3] > 0) n++;
							resolve(n / (data.length / (4 * 16)));
						});
						map.triggerRepaint();
					})
			);
			expect(coloured).toBeGreaterThan(0.2);
			// Every child unit keeps its name on the map, a whole city on a phone included (a label moves within its
			// unit before it gives way).
			const labels = page.locator('.unit-label');
			expect(await labels.count()).toBe(codes.length);
			for (const label of await labels.all()) await expect(label).toBeVisible();
			await page.screenshot({
				path: `test-results/screens/${role}-${size.name}.png`,
				fullPage: size.name === 'phone'
			});
		});
	}
}

test('the leader’s city view on a command centre’s wall screen, dark basemap', async ({ guarded: page }) => {
	await page.setViewportSize({ width: 2560, height: 1440 });
	await signIn(page, ACCOUNTS.leader.email);
	await page.goto('/map/5105?response=1&date=2020-03-14&layers=units,checkpoints,heat&basemap=dark');
	await expect(page.locator('[data-layer-state="heat"]')).toHaveAttribute('data-status', 'ready');
	await renderedCoverage(page);
	// The charts sit side by side on a wall screen.
	const boxes = await page
		.locator('[data-chart]')
		.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
	expect(boxes[0]).toBe(boxes[1]);
	await page.screenshot({ path: 'test-results/screens/leader-wall-screen.png' });
});
