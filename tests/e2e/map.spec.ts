/**
 * The coverage map as its users drive it: every layer switched on and checked through what the map rendered,
 * feature details within the role, the timeline against figures computed here from the database, a drill from
 * the city down to a building, and shared links that reopen the same view.
 */
import {
	ACCOUNTS,
	clickMap,
	expect,
	mapIdle,
	rendered,
	renderedCoverage,
	shownNumber,
	signIn,
	sourceFeatures,
	sql,
	test
} from './fixtures';

const NANCHENG = '510502001';
const BAIZHAOPAI = '510502001006';

/** Households and reached households per child unit as of a day, straight from the records. */
async function coverageFromRecords(unit: string, day: string, round?: number) {
	const childLength = { 4: 6, 6: 9, 9: 12, 12: 15 }[unit.length] ?? 15;
	const rows = await sql<{ code: string; households: number; screened: number }>(
		`with round as (
			select coalesce($4::bigint, (select id from screening_rounds where starts_on <= $2::date
				order by starts_on desc limit 1)) as id
		)
		select left(h.grid_code, $3) as code, count(*)::int as households,
			count(*) filter (where exists (
				select 1 from screenings s
				where s.household_id = h.id and s.round_id = (select id from round) and s.outcome <> 'unreachable'
					and s.screened_at < (($2::date + 1)::timestamp at time zone 'Asia/Shanghai')))::int as screened
		from households h where h.grid_code like $1 || '%' group by 1 order by 1`,
		[unit, day, childLength, round ?? null]
	);
	const total = rows.reduce(
		(t, r) => ({ households: t.households + r.households, screened: t.screened + r.screened }),
		{ households: 0, screened: 0 }
	);
	return { rows, total };
}

/**
 * What each data layer draws, by MapLibre style layer. Heatmaps cannot be queried feature by feature: they are
 * checked through their source, and so are the leads at a zoom where they are a heatmap (a district's view).
 */
const DRAWN: Record<string, { layers?: string[]; source?: string }> = {
	grids: { layers: ['grids-line'] },
	buildings: { layers: ['buildings-circle'] },
	markets: { layers: ['markets-circle', 'markets-entrance'] },
	checkpoints: { layers: ['checkpoints-circle'] },
	volunteers: { source: 'volunteers' },
	leads: { layers: ['leads-circle', 'leads-hex'], source: 'leads' },
	special: { layers: ['special-circle'] },
	heat: { source: 'heat' }
};

async function expectDrawn(page: import('@playwright/test').Page, layer: string) {
	const drawn = DRAWN[layer];
	const shown = drawn.layers ? (await rendered(page, drawn.layers)).length : 0;
	if (shown > 0) return;
	const zoom = await page.evaluate(() => {
		type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
		return (window as unknown as W).__wanggetong!.map.getZoom();
	});
	// Only a heatmap may stand in for points, and only below the zoom where points take over (12.5).
	expect(
		drawn.source && (!drawn.layers || zoom < 12.5),
		`${layer} drawn at zoom ${zoom.toFixed(1)}`
	).toBeTruthy();
	expect(await sourceFeatures(page, drawn.source!), layer).toBeGreaterThan(0);
}

for (const who of [
	{ role: 'commander', unit: NANCHENG, date: '2020-02-20' },
	{ role: 'secretary', unit: BAIZHAOPAI, date: '2020-02-05' },
	{ role: 'leader', unit: '510502', date: '2020-03-14' }
] as const) {
	test(`the ${who.role} switches every layer on and sees each one drawn, and a reload keeps them`, async ({
		guarded: page
	}) => {
		await signIn(page, ACCOUNTS[who.role].email);
		await page.goto(`/map/${who.unit}?response=1&date=${who.date}&layers=units`);
		await mapIdle(page);
		const offered = await page
			.locator('input[data-layer]')
			.evaluateAll((els) => els.map((e) => e.getAttribute('data-layer')!));
		const layers = Object.keys(DRAWN).filter((l) => offered.includes(l));
		expect(layers.length).toBeGreaterThanOrEqual(6);
		for (const layer of layers) {
			await page.locator(`input[data-layer="${layer}"]`).check();
			await expect(page.locator(`[data-layer-state="${layer}"]`)).toHaveAttribute('data-status', 'ready');
			await expectDrawn(page, layer);
		}
		await expect(page).toHaveURL(new RegExp(`layers=units,${layers.join(',')}`));

		// Exactly the unit's checkpoints, as the database has them.
		const checkpoints = await sql<{ id: string }>(
			`select id from checkpoints where community_code like $1 || '%'`,
			[who.unit]
		);
		const drawnCheckpoints = await rendered(page, ['checkpoints-circle']);
		if (who.role !== 'leader')
			expect(new Set(drawnCheckpoints.map((f) => String(f.id)))).toEqual(
				new Set(checkpoints.map((c) => String(c.id)))
			);
		else expect(drawnCheckpoints.length).toBeGreaterThan(0); // a district: some are off screen at its zoom

		// A shared link reopens the same layers.
		await page.reload();
		await mapIdle(page);
		for (const layer of layers) await expect(page.locator(`input[data-layer="${layer}"]`)).toBeChecked();

		// Switched off, a layer leaves the map.
		await page.locator('input[data-layer="checkpoints"]').uncheck();
		expect(await rendered(page, ['checkpoints-circle'])).toEqual([]);
		await expect(page).not.toHaveURL(/checkpoints/);
	});
}

test('the street’s buildings are all drawn, each once', async ({ guarded: page }) => {
	await signIn(page, ACCOUNTS.commander.email);
	await page.goto(`/map/${NANCHENG}?response=1&date=2020-02-20&layers=units,buildings`);
	await expect(page.locator('[data-layer-state="buildings"]')).toHaveAttribute('data-status', 'ready');
	const [buildings] = await sql<{ n: number }>(
		`select count(distinct b.id)::int as n from buildings b join households h on h.building_id = b.id
		where b.grid_code like $1 || '%'`,
		[NANCHENG]
	);
	const drawn = await rendered(page, ['buildings-circle']);
	expect(new Set(drawn.map((f) => f.id)).size).toBe(buildings.n);
});

test('each layer’s data is asked for once: with the document’s first bytes, then by the page on a new day', async ({
	guarded: page
}) => {
	await signIn(page, ACCOUNTS.secretary.email);
	const asked: string[] = [];
	page.on('request', (r) => {
		if (r.url().includes('/layers/')) asked.push(new URL(r.url()).pathname + new URL(r.url()).search);
	});
	const layer = `/map/${BAIZHAOPAI}/layers/buildings?response=1&date=2020-03-10&time=10:00`;
	const response = await page.goto(`/map/${BAIZHAOPAI}?response=1&date=2020-03-10`);
	// Named in the document's Link header, so the browser starts it before the page's code has run...
	expect(response!.headers()['link']).toContain(`<${layer}>; rel=preload; as=fetch`);
	await expect(page.locator('[data-layer-state="buildings"]')).toHaveAttribute('data-status', 'ready');
	// ...and the page's own request for it is the same one.
	expect(asked).toEqual([layer]);
	await page.getByRole('button', { name: '后一天' }).click();
	await expect(page).toHaveURL(/date=2020-03-11/);
	await expect(page.locator('[data-layer-state="buildings"]')).toHaveAttribute('data-status', 'ready');
	await mapIdle(page);
	expect(asked).toEqual([layer, layer.replace('2020-03-10', '2020-03-11')]);
});

test('a checkpoint opens its staffing at the chosen time, as the roster has it', async ({
	guarded: page
}) => {
	await signIn(page, ACCOUNTS.commander.email);
	await page.goto(`/map/${NANCHENG}?response=1&date=2020-02-20&time=20:00&layers=checkpoints`);
	const [cp] = await sql<{ id: string; lon: number; lat: number; staffed: number; staff_required: number }>(
		`select c.id, c.lon, c.lat, c.staff_required,
			(select count(*)::int from shifts s where s.checkpoint_id = c.id and s.status <> 'cancelled'
				and s.period @> '2020-02-20 20:00+08'::timestamptz) as staffed
		from checkpoints c where c.community_code like $1 || '%' order by c.id limit 1`,
		[NANCHENG]
	);
	await expect(page.locator('[data-layer-state="checkpoints"]')).toHaveAttribute('data-status', 'ready');
	await clickMap(page, cp.lon, cp.lat);
	const details = page.getByTestId('feature-details');
	await expect(details).toHaveAttribute('data-layer', 'checkpoints');
	await expect(details.locator('[data-field="staffing"]')).toContainText(
		`${cp.staffed} / ${cp.staff_required}`
	);
	await page.keyboard.press('Escape');
	await expect(details).toBeHidden();
});

test('the timeline moves map, KPIs and charts to the chosen day', async ({ guarded: page }) => {
	await signIn(page, ACCOUNTS.commander.email);
	await page.goto(`/map/${NANCHENG}?response=1&date=2020-02-20`);
	await mapIdle(page);

	// Drag the slider back to 5 February (the slider commits on release).
	await page.getByTestId('date-slider').evaluate((el: HTMLInputElement) => {
		el.value = '12'; // 2020-01-24 + 12 days
		el.dispatchEvent(new Event('input', { bubbles: true }));
		el.dispatchEvent(new Event('change', { bubbles: true }));
	});
	await expect(page).toHaveURL(/date=2020-02-05/);
	await expect(page.getByTestId('as-of-label')).toContainText('2020-02-05');

	const want = await coverageFromRecords(NANCHENG, '2020-02-05');
	await expect(page.locator('[data-kpi="screened"]')).toHaveText(want.total.screened.toLocaleString('en-US'));
	expect(shownNumber(await page.locator('[data-kpi="households"]').innerText())).toBe(want.total.households);
	expect(shownNumber(await page.locator('[data-kpi="remaining"]').innerText())).toBe(
		want.total.households - want.total.screened
	);
	// Each community on the map carries its coverage for that day.
	const drawn = await rendered(page, ['coverage-fill']);
	for (const row of want.rows) {
		const feature = drawn.find((f) => f.code === row.code);
		expect(feature, row.code).toBeDefined();
		expect(Number(feature!.coverage)).toBeCloseTo(row.screened / row.households, 4);
		// ...and its label says so: its name over its coverage, to a tenth of a percent never rounded up.
		const label = page.locator(`.unit-label[data-id="${row.code}"]`);
		await expect(label).toBeVisible();
		await expect(label).toHaveText(
			`${feature!.name}${(Math.floor((row.screened / row.households) * 1000) / 10).toFixed(1)}%`
		);
		// ...and the map's table view gives its counts as the KPIs write them.
		await expect(page.locator(`[data-testid="children-table"] tr[data-code="${row.code}"] td`)).toHaveText([
			row.households.toLocaleString('en-US'),
			row.screened.toLocaleString('en-US'),
			(row.households - row.screened).toLocaleString('en-US'),
			`${(Math.floor((row.screened / row.households) * 1000) / 10).toFixed(1)}%`
		]);
	}
	// The coverage chart ends on that day.
	const table = page.getByTestId('chart-table-coverage');
	await expect(table.locator('tbody tr')).toHaveCount(13);
	await expect(table.locator('tbody tr').last()).toContainText('2020-02-05');

	// One day on, with the button.
	await page.getByRole('button', { name: '后一天' }).click();
	await expect(page).toHaveURL(/date=2020-02-06/);
	const next = await coverageFromRecords(NANCHENG, '2020-02-06');
	await expect(page.locator('[data-kpi="screened"]')).toHaveText(next.total.screened.toLocaleString('en-US'));
	expect(next.total.screened).toBeGreaterThan(want.total.screened);

	// Round 1 chosen on a day of round 2 shows that round's result.
	await page.goto(`/map/${NANCHENG}?response=1&date=2020-03-01`);
	await mapIdle(page);
	await page.getByTestId('round').selectOption('1');
	await expect(page).toHaveURL(/round=1/);
	const round1 = await coverageFromRecords(NANCHENG, '2020-03-01', 1);
	await expect(page.locator('[data-kpi="screened"]')).toHaveText(
		round1.total.screened.toLocaleString('en-US')
	);
});

test('the charts draw data and offer the same numbers as tables', async ({ guarded: page }) => {
	await signIn(page, ACCOUNTS.secretary.email);
	await page.goto(`/map/${BAIZHAOPAI}?response=1&date=2020-03-15`);
	for (const id of ['coverage', 'screenings', 'leads', 'hours']) {
		const figure = page.locator(`[data-chart="${id}"]`);
		await expect(figure.locator('canvas')).toBeVisible();
		// Chart.js loads on demand and then draws: wait for ink on the canvas.
		await expect
			.poll(
				() =>
					figure.locator('canvas').evaluate((c: HTMLCanvasElement) => {
						const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
						let n = 0;
						for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
						return n;
					}),
				{ message: id }
			)
			.toBeGreaterThan(500);
		await figure.getByRole('button', { name: '表格' }).click();
		await expect(page.getByTestId(`chart-table-${id}`)).toBeVisible();
		expect(await page.getByTestId(`chart-table-${id}`).locator('tbody tr').count()).toBeGreaterThan(0);
	}
	// Screenings per day in the table add up to the records.
	const [sum] = await sql<{ n: number }>(
		`select count(*)::int as n from screenings where grid_code like $1 || '%' and screened_at < '2020-03-16T00:00+08'`,
		[BAIZHAOPAI]
	);
	const cells = await page
		.getByTestId('chart-table-screenings')
		.locator('tbody tr')
		.evaluateAll((trs) =>
			trs.map((tr) => [...tr.querySelectorAll('td')].slice(1, 3).map((td) => td.textContent))
		);
	const total = cells.flat().reduce((t, v) => t + Number(String(v).replace(/,/g, '')), 0);
	expect(total).toBe(sum.n);
});

test('the leader drills from the city to a building on the map and sees counts, never names', async ({
	guarded: page
}) => {
	const bodies: Promise<string>[] = [];
	page.on('response', (res) => {
		if (res.url().includes('/layers/') && res.ok()) bodies.push(res.text());
	});
	await signIn(page, ACCOUNTS.leader.email);
	// Only the choropleth on the way down, so a click lands on a unit rather than a marker.
	await page.goto('/map/5105?response=1&date=2020-03-15&layers=units');
	await renderedCoverage(page);
	const centre = async (code: string) =>
		(
			await sql<{ lon: number; lat: number }>(
				`select center_lon as lon, center_lat as lat from units where code = $1`,
				[code]
			)
		)[0];

	for (const code of ['510502', NANCHENG, BAIZHAOPAI, `${BAIZHAOPAI}001`]) {
		const c = await centre(code);
		await clickMap(page, c.lon, c.lat);
		await expect(page).toHaveURL(new RegExp(`/map/${code}\\?`));
		await mapIdle(page);
	}
	await expect(page.locator('nav.trail')).toContainText('泸州市');
	await expect(page.locator('nav.trail [aria-current="page"]')).toHaveText('第1网格');

	// A grid shows its buildings; one opens with its counts.
	await page.locator('input[data-layer="buildings"]').check();
	await expect(page.locator('[data-layer-state="buildings"]')).toHaveAttribute('data-status', 'ready');
	const [b] = await sql<{ id: string; lon: number; lat: number; households: number }>(
		`select b.id, b.lon, b.lat, count(h.id)::int as households from buildings b
		join households h on h.building_id = b.id where b.grid_code = $1 group by b.id order by b.id limit 1`,
		[`${BAIZHAOPAI}001`]
	);
	await clickMap(page, b.lon, b.lat);
	const details = page.getByTestId('feature-details');
	await expect(details).toHaveAttribute('data-layer', 'buildings');
	await expect(details.locator('[data-field="households"]')).toHaveText(String(b.households));

	// Leads and people on duty reach a leader only as counts.
	await page.locator('input[data-layer="leads"]').check();
	await page.locator('input[data-layer="volunteers"]').check();
	await expect(page.locator('[data-layer-state="leads"]')).toHaveAttribute('data-status', 'ready');
	await expect(page.locator('[data-layer-state="volunteers"]')).toHaveAttribute('data-status', 'ready');
	const received = await Promise.all(bodies);
	expect(received.length).toBeGreaterThanOrEqual(3);
	for (const body of received) {
		for (const f of JSON.parse(body).features) {
			expect(f.properties.names ?? null).toBeNull();
			expect(f.properties.title ?? null).toBeNull();
		}
	}
});

test('layers offered depend on the level, and a bad link is refused in Chinese', async ({
	guarded: page
}) => {
	await signIn(page, ACCOUNTS.leader.email);
	await page.goto('/map/5105?layers=units,buildings');
	await mapIdle(page);
	await expect(page.locator('input[data-layer="buildings"]')).toHaveCount(0);
	const res = await page.goto('/map/5105?layers=units,everything');
	expect(res?.status()).toBe(400);
	await expect(page.getByText('链接参数无效')).toBeVisible();
	const layer = await page.request.get('/map/5105/layers/buildings?response=1&date=2020-02-01&time=10:00');
	expect(layer.status()).toBe(400);
});

test('switching to the dark wall-screen basemap keeps every layer on the map', async ({ guarded: page }) => {
	await signIn(page, ACCOUNTS.commander.email);
	await page.goto(`/map/${NANCHENG}?response=1&date=2020-02-20&layers=units,checkpoints,leads`);
	await expect(page.locator('[data-layer-state="leads"]')).toHaveAttribute('data-status', 'ready');
	const before = {
		labels: await page.locator('.unit-label').count(),
		units: (await rendered(page, ['coverage-fill'])).length,
		checkpoints: (await rendered(page, ['checkpoints-circle'])).length,
		leads: (await rendered(page, ['leads-circle'])).length
	};
	expect(Math.min(...Object.values(before))).toBeGreaterThan(0);
	await expect(page.locator('.map[data-ready]')).toHaveCSS('background-color', 'rgb(238, 242, 245)');

	await page.locator('input[data-basemap="dark"]').check();
	await expect(page).toHaveURL(/basemap=dark/);
	await page.waitForFunction(() => {
		type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
		const map = (window as unknown as W).__wanggetong!.map;
		return map.isStyleLoaded() && map.getStyle()?.name === 'wanggetong-dark';
	});
	// The dark paper is the map element's own background, under a transparent canvas.
	await expect(page.locator('.map[data-ready]')).toHaveCSS('background-color', 'rgb(28, 37, 48)');
	const after = {
		labels: await page.locator('.unit-label').count(),
		units: (await rendered(page, ['coverage-fill'])).length,
		checkpoints: (await rendered(page, ['checkpoints-circle'])).length,
		leads: (await rendered(page, ['leads-circle'])).length
	};
	expect(after).toEqual(before);
	// The stacking survived too: points above areas.
	const order = await page.evaluate(() => {
		type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
		return (window as unknown as W).__wanggetong!.map.getStyle().layers.map((l) => l.id);
	});
	expect(order.indexOf('coverage-fill')).toBeLessThan(order.indexOf('checkpoints-circle'));
	await page.screenshot({ path: 'test-results/screens/commander-dark-basemap.png' });
});

test('coverage can expire: households screened within N days, and what lapsed today', async ({
	guarded: page
}) => {
	await signIn(page, ACCOUNTS.commander.email);
	await page.goto(`/map/${NANCHENG}?response=1&date=2020-03-01`);
	await mapIdle(page);
	await page.getByTestId('valid').selectOption('14');
	await expect(page).toHaveURL(/valid=14/);
	const [want] = await sql<{ covered: number; lost: number }>(
		`with h as (select id from households where grid_code like $1 || '%'),
		fresh as (
			select h.id,
				exists (select 1 from screenings s where s.household_id = h.id and s.outcome <> 'unreachable'
					and s.screened_at >= '2020-02-17T00:00+08' and s.screened_at < '2020-03-02T00:00+08') as today,
				exists (select 1 from screenings s where s.household_id = h.id and s.outcome <> 'unreachable'
					and s.screened_at >= '2020-02-16T00:00+08' and s.screened_at < '2020-03-01T00:00+08') as yesterday
			from h)
		select count(*) filter (where today)::int as covered, count(*) filter (where yesterday and not today)::int as lost
		from fresh`,
		[NANCHENG]
	);
	await expect(page.locator('[data-kpi="screened"]')).toContainText(want.covered.toLocaleString('en-US'));
	await expect(page.locator('[data-kpi="lost"]')).toContainText(String(want.lost));
	await expect(page.locator('[data-kpi="screened_label"]')).toHaveText('14 天内已摸排');
	await expect(page.locator('[data-kpi="remaining_label"]')).toHaveText('14 天内未摸排');
});

test('a leader sees screenings as hexagon bins with counts of 3 or more at mid zoom', async ({
	guarded: page
}) => {
	await signIn(page, ACCOUNTS.leader.email);
	await page.goto('/map/510502?response=1&date=2020-02-05&layers=units,heat');
	await expect(page.locator('[data-layer-state="heat"]')).toHaveAttribute('data-status', 'ready');
	// Zoomed in on the district's middle (the map fits it beside its legend and layer panel, off the middle).
	const [b] = await sql<{ w: number; s: number; e: number; n: number }>(
		`select min_lon as w, min_lat as s, max_lon as e, max_lat as n from units where code = '510502'`
	);
	await page.evaluate((b) => {
		type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
		(window as unknown as W).__wanggetong!.map.jumpTo({
			zoom: 11,
			center: [(b.w + b.e) / 2, (b.s + b.n) / 2]
		});
	}, b);
	const hexes = await rendered(page, ['heat-hex']);
	expect(hexes.length).toBeGreaterThan(5);
	for (const h of hexes) expect(Number(h.count)).toBeGreaterThanOrEqual(3);
	// The bins hold the week's screenings of the district's grids (at most: bins under 3 are withheld).
	const [week] = await sql<{ n: number }>(
		`select count(*)::int as n from screenings where grid_code like '510502%'
		and screened_at >= '2020-01-30T00:00+08' and screened_at < '2020-02-06T00:00+08'`
	);
	const all = await page.evaluate(() => {
		type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
		const map = (window as unknown as W).__wanggetong!.map;
		const seen = new Map<string, number>();
		for (const f of map.querySourceFeatures('heat'))
			if (f.properties.role === 'hex')
				seen.set(`${f.properties.q}:${f.properties.r}`, Number(f.properties.count));
		return [...seen.values()].reduce((a, b) => a + b, 0);
	});
	expect(all).toBeLessThanOrEqual(week.n);
	expect(all).toBeGreaterThan(week.n * 0.95);
});
