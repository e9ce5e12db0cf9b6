/**
 * The municipal leader's screens as 泸州市's leader drives them: the city overview and a drill from its most
 * lagging community to that community's map; the organisation charts (drawn, and their tables holding the
 * database's figures); the daily briefing downloaded as a PDF whose text holds the day's KPIs and as an Excel
 * workbook read back. Every response body the browser received is checked for phone numbers, ID numbers and
 * names of volunteers and residents: a leader sees aggregates only.
 */
import ExcelJS from 'exceljs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ACCOUNTS, expect, PASSWORD, renderedCoverage, shownNumber, signIn, sql, test } from './fixtures';

const CITY = ACCOUNTS.leader.unit;
const DAY = '2020-03-10';

/** Every response body the page receives from now on, as text (binary bodies included, decoded as UTF-8). */
function recordResponses(page: Page): () => Promise<{ url: string; text: string }[]> {
	const bodies: Promise<{ url: string; text: string }>[] = [];
	page.on('response', (r) =>
		bodies.push(
			r
				.body()
				.then((b) => ({ url: r.url(), text: b.toString('utf8') }))
				// Downloads and redirects have no body to read here: their content is checked where it is saved.
				.catch(() => ({ url: r.url(), text: '' }))
		)
	);
	return () => Promise.all(bodies);
}

/** Names of volunteers and residents that appear in no unit or organisation name (so a hit means a person). */
async function peopleNames(): Promise<string[]> {
	const rows = await sql<{ name: string }>(
		`(select v.name from volunteers v where char_length(v.name) >= 3
			and not exists (select 1 from units u where position(v.name in u.name) > 0)
			and not exists (select 1 from organisations o where position(v.name in o.name) > 0)
			order by v.id limit 4)
		union all
		(select v.name from volunteers v where v.home_unit_code like '510502001%' and char_length(v.name) >= 3
			and not exists (select 1 from units u where position(v.name in u.name) > 0)
			and not exists (select 1 from organisations o where position(v.name in o.name) > 0)
			order by v.id desc limit 4)
		union all
		(select r.name from residents r where char_length(r.name) >= 3
			and not exists (select 1 from units u where position(r.name in u.name) > 0)
			and not exists (select 1 from organisations o where position(r.name in o.name) > 0)
			order by r.id limit 4)`
	);
	expect(rows.length).toBe(12);
	return rows.map((r) => r.name);
}

const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
/** 18 characters shaped like a resident ID (region, birth date, sequence, check character). */
const ID_SHAPE =
	/(?<!\d)[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX](?!\d)/g;

/** Resident ID numbers in a text: the shape and a valid GB 11643 check character (so a long constant in a script is not one). */
function idNumbers(text: string): string[] {
	return [...text.matchAll(ID_SHAPE)]
		.map((m) => m[0])
		.filter((n) => {
			const sum = [...n.slice(0, 17)].reduce((t, d, i) => t + Number(d) * (2 ** (17 - i) % 11), 0);
			return '10X98765432'[sum % 11] === n[17];
		});
}

function expectNoPersonalData(bodies: { url: string; text: string }[], names: string[]) {
	expect(bodies.length).toBeGreaterThan(3);
	for (const { url, text } of bodies) {
		expect(PHONE.exec(text)?.[0], `phone number in ${url}`).toBeUndefined();
		expect(idNumbers(text), `ID number in ${url}`).toEqual([]);
		for (const name of names) expect(text.includes(name), `${name} in ${url}`).toBe(false);
	}
}

/** Households and households reached in the round current on `day`, city-wide, straight from the records. */
async function cityCoverage(day: string) {
	const [row] = await sql<{ households: number; screened: number }>(
		`with round as (select id from screening_rounds where starts_on <= $1::date order by starts_on desc limit 1)
		select count(*)::int as households, count(*) filter (where exists (
			select 1 from screenings s where s.household_id = h.id and s.round_id = (select id from round)
				and s.outcome <> 'unreachable'
				and s.screened_at < (($1::date + 1)::timestamp at time zone 'Asia/Shanghai')))::int as screened
		from households h`,
		[day]
	);
	return row;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** Signs in through the form and lands straight on `path` (the login's `next`), not on the city map. */
async function signInTo(page: Page, path: string): Promise<void> {
	await page.goto(`/login?next=${encodeURIComponent(path)}`);
	await page.locator('form[data-hydrated="true"]').waitFor();
	await page.getByLabel('邮箱').fill(ACCOUNTS.leader.email);
	await page.getByLabel('密码').fill(PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await page.waitForURL((url) => url.pathname + url.search === path);
}

test('the leader sees the city overview and drills from the most lagging community to its map', async ({
	guarded: page
}) => {
	const bodies = recordResponses(page);
	const names = await peopleNames();
	await signIn(page, ACCOUNTS.leader.email);
	// The leader opens today's drill first; the 2020 response is one click away in the header.
	await expect(page.getByTestId('response-name')).toHaveText('江阳区聚集性疫情处置演练');
	await page.getByTestId('response-switch').locator('summary').click();
	await page.getByTestId('response-switch').locator('a[data-response="1"]').click();
	await expect(page.getByTestId('response-name')).toHaveText('泸州市新冠肺炎疫情防控（2020）');
	// The leader's sections, each for the leader's own unit, in the response chosen.
	for (const [id, href] of [
		['overview', `/overview/${CITY}?response=1`],
		['organisations', `/organisations/${CITY}?response=1`],
		['briefing', `/briefing/${CITY}?response=1`]
	])
		await expect(page.locator(`a[data-nav="${id}"]`)).toHaveAttribute('href', href);
	await page.locator('a[data-nav="overview"]').click();
	await expect(page).toHaveURL(`/overview/${CITY}?response=1`);

	const want = await cityCoverage('2020-03-15');
	const kpis = page.getByTestId('overview-kpis');
	await expect(kpis.locator('[data-kpi="households"]')).toHaveText(fmt(want.households));
	await expect(kpis.locator('[data-kpi="screened"]')).toHaveText(fmt(want.screened));
	await expect(kpis.locator('[data-kpi="screened_change"]')).toContainText('较前一日');

	// The first community ranked is one with the lowest coverage of all communities with 3 or more households.
	const [lowest] = await sql<{ coverage: string }>(
		`with round as (select id from screening_rounds where starts_on <= '2020-03-15' order by starts_on desc limit 1),
		c as (
			select h.community_code, count(*) as households, count(*) filter (where exists (
				select 1 from screenings s where s.household_id = h.id and s.round_id = (select id from round)
					and s.outcome <> 'unreachable'
					and s.screened_at < ('2020-03-16'::timestamp at time zone 'Asia/Shanghai'))) as screened
			from households h group by 1
		)
		select min(round(screened::numeric / households, 4))::text as coverage from c where households >= 3`
	);
	const first = page.getByTestId('lagging-table').locator('tbody tr').first();
	const code = (await first.getAttribute('data-code'))!;
	expect(code).toHaveLength(12);
	await expect(first.locator('td').nth(3)).toHaveText(
		`${(Math.floor(Number(lowest.coverage) * 1000) / 10).toFixed(1)}%`
	);

	await first.getByTestId('lagging-link').click();
	await expect(page).toHaveURL(`/map/${code}?response=1&date=2020-03-15`);
	const grids = await renderedCoverage(page);
	expect(grids.length).toBeGreaterThan(0);
	expect(grids.every((g) => g.startsWith(code))).toBe(true);

	// Back on the overview, streets can be ranked too, and the choice stays in the link.
	await page.goto(`/overview/${CITY}?response=1`);
	await page.getByTestId('ranking-level').selectOption('street');
	await page.getByTestId('overview-filters').getByRole('button').click();
	await expect(page).toHaveURL(`/overview/${CITY}?response=1&date=2020-03-15&level=street&valid=`);
	await expect(page.getByTestId('lagging-table').locator('tbody tr').first()).toHaveAttribute(
		'data-code',
		/^\d{9}$/
	);
	await page.screenshot({ path: 'test-results/screens/leader-overview-desktop.png', fullPage: true });

	expectNoPersonalData(await bodies(), names);
});

test('the organisation charts are drawn and their tables hold the figures of the records', async ({
	guarded: page
}) => {
	const bodies = recordResponses(page);
	const names = await peopleNames();
	await signInTo(page, `/organisations/${CITY}?response=1`);

	const [totals] = await sql<{ organisations: number; teams: number; volunteers: number }>(
		`select (select count(*) from organisations)::int as organisations,
			(select count(*) from volunteer_teams)::int as teams, (select count(*) from volunteers)::int as volunteers`
	);
	expect(totals).toEqual({ organisations: 1273, teams: 3749, volunteers: 42444 });
	const kpis = page.getByTestId('org-kpis');
	await expect(kpis.locator('[data-kpi="organisations"]')).toHaveText('1,273');
	await expect(kpis.locator('[data-kpi="teams"]')).toHaveText('3,749');
	await expect(kpis.locator('[data-kpi="volunteers"]')).toHaveText('42,444');

	// Every chart has drawn on its canvas.
	const charts = page.locator('figure[data-chart]');
	await expect(charts).toHaveCount(8);
	await expect
		.poll(() =>
			page.evaluate(() =>
				[...document.querySelectorAll<HTMLCanvasElement>('figure[data-chart] canvas')].map((c) => {
					const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
					return data.some((v, i) => i % 4 === 3 && v > 0);
				})
			)
		)
		.toEqual(Array(8).fill(true));

	// Organisations per platform and kind, as the table alternative of the first chart shows them.
	const byLevel = await sql<{ level: string; n: number }>(
		`select incubation_level as level, count(*)::int as n from organisations group by 1`
	);
	const levelRows = page.getByTestId('chart-table-levels').locator('tbody tr');
	await expect(levelRows).toHaveCount(4);
	const labels: Record<string, string> = {
		city: '市级平台',
		district: '区县级平台',
		street: '街道/乡镇级平台',
		community: '社区/村级平台'
	};
	for (const { level, n } of byLevel) {
		const row = levelRows.filter({ has: page.locator('td', { hasText: labels[level] }) });
		await expect(row.locator('td').last()).toHaveText(fmt(n));
	}

	// The organisation that served most hours in the city, by a count over the shifts.
	const [top] = await sql<{ name: string; hours: number }>(
		`select o.name, sum(extract(epoch from upper(s.period) - lower(s.period)) / 3600)::float as hours
		from shifts s join volunteers v on v.id = s.volunteer_id join organisations o on o.id = v.organisation_id
		where s.status in ('planned', 'done') and upper(s.period) <= '2020-03-16 00:00+08'
		group by o.id, o.name order by hours desc, o.id limit 1`
	);
	const topRow = page.getByTestId('chart-table-top').locator('tbody tr').first();
	await expect(topRow.locator('td').first()).toHaveText(top.name);
	expect(shownNumber((await topRow.locator('td').last().textContent())!)).toBe(top.hours);

	await page.screenshot({ path: 'test-results/screens/leader-organisations-desktop.png', fullPage: true });
	expectNoPersonalData(await bodies(), names);
});

test('the daily briefing downloads as a PDF whose text holds the day\u2019s KPIs', async ({
	guarded: page
}) => {
	const bodies = recordResponses(page);
	const names = await peopleNames();
	await signInTo(page, `/briefing/${CITY}?response=1&date=${DAY}`);

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('briefing-pdf').click()
	]);
	expect(download.suggestedFilename()).toBe(`泸州市疫情防控日报-${DAY}.pdf`);
	const path = await download.path();
	const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
	const pdf = await getDocument({ data: new Uint8Array(readFileSync(path)), isEvalSupported: false }).promise;
	let text = '';
	for (let i = 1; i <= pdf.numPages; i++) {
		const content = await (await pdf.getPage(i)).getTextContent();
		text += content.items.map((item) => ('str' in item ? item.str : '')).join('') + '\n';
	}

	const day = await cityCoverage(DAY);
	const [leads] = await sql<{ opened: number }>(
		`select count(*)::int as opened from leads
		where reported_at >= '${DAY} 00:00+08' and reported_at < ('${DAY}'::date + 1)::timestamp at time zone 'Asia/Shanghai'`
	);
	// Chinese text as written (日报, 户数: not the radicals Chromium names some glyphs by), and the day's figures.
	expect(text).toContain(`泸州市疫情防控日报`);
	expect(text).toContain(DAY);
	expect(text).toContain(`户数 ${fmt(day.households)}`);
	expect(text).toContain(`已摸排 ${fmt(day.screened)}`);
	expect(text).toContain(`未摸排 ${fmt(day.households - day.screened)}`);
	expect(text).toContain(`新增线索 ${leads.opened}`);
	expect(text).not.toMatch(PHONE);
	expect(idNumbers(text)).toEqual([]);
	for (const name of names) expect(text).not.toContain(name);

	// The first page as an image, for a person to look at (pdf.js draws it with its optional canvas package).
	const { createCanvas } = await import('@napi-rs/canvas');
	const first = await pdf.getPage(1);
	const viewport = first.getViewport({ scale: 1.4 });
	const canvas = createCanvas(viewport.width, viewport.height);
	await first.render({
		canvasContext: canvas.getContext('2d') as unknown as CanvasRenderingContext2D,
		canvas: canvas as unknown as HTMLCanvasElement,
		viewport
	}).promise;
	mkdirSync('test-results/screens', { recursive: true });
	writeFileSync('test-results/screens/leader-briefing-pdf.png', canvas.toBuffer('image/png'));

	expectNoPersonalData(await bodies(), names);
});

test('the daily briefing downloads as an Excel workbook with the page\u2019s tables', async ({
	guarded: page
}) => {
	const bodies = recordResponses(page);
	const names = await peopleNames();
	await signInTo(page, `/briefing/${CITY}?response=1&date=${DAY}`);
	await page.locator('[data-print-ready="true"]').waitFor();
	// The viewport, map in view: a full-page capture resizes the viewport and the WebGL map redraws late.
	await page.locator('.map-box').scrollIntoViewIfNeeded();
	await page.screenshot({ path: 'test-results/screens/leader-briefing-desktop.png' });

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('briefing-xlsx').click()
	]);
	expect(download.suggestedFilename()).toBe(`泸州市疫情防控日报-${DAY}.xlsx`);
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);

	// One sheet per table of the page, under the table's title, with the page's rows.
	const captions = await page.locator('[data-testid^="briefing-table-"] caption').allTextContents();
	expect(wb.worksheets.map((w) => w.name)).toEqual(captions);
	const sheetRows = (i: number) =>
		(wb.worksheets[i].getSheetValues().filter(Boolean) as unknown[][]).map((r) => r.slice(1));
	const kpis = sheetRows(0);
	expect(kpis[0]).toEqual(['指标', '当日', '前一日', '变化']);
	const day = await cityCoverage(DAY);
	const before = await cityCoverage('2020-03-09');
	expect(kpis.find((r) => r[0] === '总户数')).toEqual(['总户数', day.households, before.households, 0]);
	expect(kpis.find((r) => r[0] === '本轮已摸排')).toEqual([
		'本轮已摸排',
		day.screened,
		before.screened,
		day.screened - before.screened
	]);
	const pageRows = await page.getByTestId('briefing-table-children').locator('tbody tr').count();
	expect(sheetRows(1).length - 1).toBe(pageRows);

	const text = JSON.stringify(wb.worksheets.map((w) => w.getSheetValues()));
	expect(text).not.toMatch(PHONE);
	expect(idNumbers(text)).toEqual([]);
	for (const name of names) expect(text).not.toContain(name);
	expectNoPersonalData(await bodies(), names);
});

test('the leader\u2019s screens on a phone', async ({ guarded: page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await signInTo(page, `/overview/${CITY}`);
	for (const [name, path] of [
		['overview', `/overview/${CITY}`],
		['organisations', `/organisations/${CITY}`],
		['briefing', `/briefing/${CITY}?response=1&date=${DAY}`]
	] as const) {
		await page.goto(path);
		await page.locator('h1').waitFor();
		// Nothing wider than the screen: the page scrolls down, not sideways.
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		if (name === 'briefing') {
			// The map as the phone shows it (a full-page capture resizes the viewport, and WebGL redraws late).
			await page.locator('[data-print-ready="true"]').waitFor();
			await page.locator('.map-box').scrollIntoViewIfNeeded();
			await page.screenshot({ path: `test-results/screens/leader-${name}-phone.png` });
		} else await page.screenshot({ path: `test-results/screens/leader-${name}-phone.png`, fullPage: true });
	}
});
