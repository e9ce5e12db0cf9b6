/**
 * The street commander of 南城街道 (issue #4), end to end: places a checkpoint and sees the coverage figures the
 * test computes itself (a Turf distance loop over the database's buildings), accepts a suggestion, is refused a
 * place outside the street by the app and by the database, staffs a shift, gets the double-booking message in
 * Chinese, copies a day, exports the roster and reads the file back, and imports volunteers from a spreadsheet.
 *
 * Checkpoints this file makes are named E2E…, its shifts lie ten days ahead and its volunteers have phones 166…: all
 * removed before and after, so a kept e2e data folder gives the same results run after run.
 */
import { distance } from '@turf/turf';
import ExcelJS from 'exceljs';
import type { Page } from '@playwright/test';
import { ACCOUNTS, expect, gotoHydrated, mapIdle, signIn, sql, test } from './fixtures';

const NANCHENG = '510502001';
const RADIUS_M = 500;
const BAIZHAOPAI = '510502001006';
/** A day the seed left empty inside the running drill, ten days ahead (a roster plans up to two weeks). */
const DAY = new Date(Date.now() + 8 * 3600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
const NEXT_DAY = new Date(Date.now() + 8 * 3600_000 + 11 * 86_400_000).toISOString().slice(0, 10);

interface Place {
	lon: number;
	lat: number;
}

async function cleanUp() {
	// The seed's drill shifts end tomorrow: these days are the tests' own.
	await sql(
		`delete from shifts where lower(period) >= '${DAY} 00:00+08' and lower(period) < '${DAY} 00:00+08'::timestamptz + interval '3 days'`
	);
	await sql(`delete from checkpoints where name like 'E2E%'`);
	await sql(`delete from volunteers where phone like '166%'`);
}

test.beforeAll(cleanUp);
test.afterAll(cleanUp);

/** What the street's checkpoints reach, computed here: every building against every active checkpoint. */
async function expectedCoverage(radius = RADIUS_M) {
	const buildings = await sql<Place & { households: number }>(
		`select b.lon, b.lat, (select count(*)::int from households h where h.building_id = b.id) as households
		 from buildings b where b.grid_code like $1 || '%'`,
		[NANCHENG]
	);
	const entrances = await sql<Place>(
		`select (e ->> 0)::float8 as lon, (e ->> 1)::float8 as lat
		 from markets m, jsonb_array_elements(m.entrances -> 'coordinates') e where m.community_code like $1 || '%'`,
		[NANCHENG]
	);
	const checkpoints = await sql<Place>(
		`select lon, lat from checkpoints where community_code like $1 || '%' and status = 'active'`,
		[NANCHENG]
	);
	let ambiguous = 0;
	const reached = (p: Place) =>
		checkpoints.some((c) => {
			const d = distance([p.lon, p.lat], [c.lon, c.lat], { units: 'meters' });
			// The app measures in a local plane (within 0.05 % of this over a street): a point this close to the
			// edge could fall either way, and the comparison below would prove nothing about it.
			if (Math.abs(d - radius) < 0.5) ambiguous++;
			return d <= radius;
		});
	const covered = buildings.filter(reached);
	return {
		ambiguous,
		uncovered: buildings.filter((b) => !covered.includes(b)).sort((a, b) => b.households - a.households),
		buildings: { covered: covered.length, total: buildings.length },
		households: {
			covered: covered.reduce((s, b) => s + b.households, 0),
			total: buildings.reduce((s, b) => s + b.households, 0)
		},
		entrances: { covered: entrances.filter(reached).length, total: entrances.length }
	};
}

/** The coverage figures the page shows. */
async function shownCoverage(page: Page) {
	const read = async (id: string) => {
		const el = page.getByTestId(`coverage-${id}`);
		return {
			covered: Number(await el.getAttribute('data-covered')),
			total: Number(await el.getAttribute('data-total'))
		};
	};
	return {
		buildings: await read('buildings'),
		households: await read('households'),
		entrances: await read('entrances')
	};
}

async function expectCoverageAsComputed(page: Page, radius = RADIUS_M) {
	const want = await expectedCoverage(radius);
	expect(want.ambiguous).toBe(0);
	expect(want.buildings.covered).toBeGreaterThan(0);
	await expect
		.poll(() => shownCoverage(page))
		.toEqual({ buildings: want.buildings, households: want.households, entrances: want.entrances });
	return want;
}

/** The screen position of a lon/lat on the map. */
async function screenPoint(page: Page, lon: number, lat: number) {
	return page.evaluate(
		([x, y]) => {
			type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
			const map = (window as unknown as W).__wanggetong!.map;
			const p = map.project([x, y]);
			const box = map.getCanvas().getBoundingClientRect();
			return { x: box.left + p.x, y: box.top + p.y };
		},
		[lon, lat]
	);
}

/** Drags a checkpoint marker to a lon/lat with the mouse, in steps, as a person would. */
async function dragMarker(page: Page, id: number, to: Place, beforeDrop?: () => Promise<void>) {
	const marker = page.locator(`[data-checkpoint-id="${id}"].plan-marker`);
	const box = (await marker.boundingBox())!;
	const target = await screenPoint(page, to.lon, to.lat);
	await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
	await page.mouse.down();
	await page.mouse.move(target.x, target.y, { steps: 12 });
	await beforeDrop?.();
	await page.mouse.up();
}

test('the commander places checkpoints and sees the coverage the records give', async ({ guarded: page }) => {
	await signIn(page, ACCOUNTS.commander.email);
	await gotoHydrated(page, `/plan/${NANCHENG}`);
	await mapIdle(page);
	const before = await expectCoverageAsComputed(page);
	expect(before.buildings.covered).toBeLessThan(before.buildings.total);

	// Place a checkpoint at the building with the most households out of reach.
	const target = before.uncovered[0];
	await page.getByRole('button', { name: '在地图上添加检查点' }).click();
	const at = await screenPoint(page, target.lon, target.lat);
	await page.mouse.click(at.x, at.y);
	const create = page.getByTestId('create-form');
	await create.getByLabel('名称').fill('E2E南门卡口');
	await create.getByLabel('类型').selectOption('road_checkpoint');
	await create.getByLabel('每班人数').fill('3');
	await create.getByRole('button', { name: '保存' }).click();
	await expect(page.getByTestId('plan-message')).toHaveText('已新增检查点');
	const [placed] = await sql<Place & { id: string; community_code: string; kind: string }>(
		`select id, lon, lat, community_code, kind from checkpoints where name = 'E2E南门卡口'`
	);
	expect(placed.kind).toBe('road_checkpoint');
	expect(placed.community_code.startsWith(NANCHENG)).toBe(true);
	const afterPlacing = await expectCoverageAsComputed(page);
	expect(afterPlacing.households.covered).toBeGreaterThan(before.households.covered);

	// A suggestion: accepted, it adds exactly the households it promised, as the records say.
	await page.getByRole('spinbutton', { name: '建议数量' }).fill('1');
	await page.getByTestId('suggest').click();
	const suggestion = page.getByTestId('suggestions').locator('li').first();
	const promised = Number(await suggestion.getAttribute('data-households'));
	expect(promised).toBeGreaterThan(0);
	await expect(page.locator('.plan-marker.ghost')).toHaveCount(1);
	await suggestion.getByRole('button', { name: '采纳' }).click();
	await expect(create.getByLabel('名称')).toHaveValue('建议点位1');
	await create.getByLabel('名称').fill('E2E建议劝阻点');
	await create.getByRole('button', { name: '保存' }).click();
	await expect(page.getByTestId('plan-message')).toHaveText('已新增检查点');
	const afterSuggestion = await expectCoverageAsComputed(page);
	expect(afterSuggestion.households.covered - afterPlacing.households.covered).toBe(promised);

	// A wider walking radius: the figures follow, as the same loop computes them at 800 m.
	await page.getByTestId('radius').fill('800');
	const wider = await expectCoverageAsComputed(page, 800);
	expect(wider.households.covered).toBeGreaterThan(afterSuggestion.households.covered);
});

test('a checkpoint dragged outside the street is refused by the app and by the database; inside, it is saved', async ({
	guarded: page
}) => {
	const [seeded] = await sql<Place>(
		`select lon, lat from checkpoints where community_code = $1 and status = 'active' order by id limit 1`,
		[BAIZHAOPAI]
	);
	const [placed] = await sql<Place & { id: string }>(
		`insert into checkpoints (community_code, name, kind, lon, lat, staff_required)
		 values ($1, 'E2E拖动卡口', 'road_checkpoint', $2, $3, 2) returning id, lon, lat`,
		[BAIZHAOPAI, seeded.lon, seeded.lat]
	);
	await signIn(page, ACCOUNTS.commander.email);
	await gotoHydrated(page, `/plan/${NANCHENG}`);
	await mapIdle(page);
	await expectCoverageAsComputed(page);

	// Dragged outside the street, the app refuses before sending anything, and the marker goes back.
	const [outside] = await sql<Place>(
		`select lon, lat from checkpoints where community_code like '510502002%' order by id limit 1`
	);
	await page.evaluate(
		([lon, lat]) => {
			type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
			(window as unknown as W).__wanggetong!.map.jumpTo({ center: [lon, lat] });
		},
		[(outside.lon + placed.lon) / 2, (outside.lat + placed.lat) / 2]
	);
	await mapIdle(page);
	await dragMarker(page, Number(placed.id), outside);
	await expect(page.getByTestId('plan-message')).toHaveText('检查点须设在南城街道范围内，该位置在范围外');
	const [still] = await sql<Place>(`select lon, lat from checkpoints where id = $1`, [placed.id]);
	expect(still).toEqual({ lon: placed.lon, lat: placed.lat });

	// The database refuses it too, in its own words, should a request get past the app.
	const refused = await page.evaluate(
		async ([id, lon, lat]) => {
			const body = new FormData();
			body.set('id', String(id));
			body.set('lon', String(lon));
			body.set('lat', String(lat));
			const res = await fetch('?/move', { method: 'POST', body, headers: { 'x-sveltekit-action': 'true' } });
			return res.text();
		},
		[Number(placed.id), outside.lon, outside.lat]
	);
	expect(refused).toContain('检查点不在南城街道范围内');
	expect((await sql<Place>(`select lon, lat from checkpoints where id = $1`, [placed.id]))[0]).toEqual(still);

	// Dragged within the street, it is saved where it was dropped, and the figures follow.
	await page.evaluate(
		([lon, lat]) => {
			type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
			(window as unknown as W).__wanggetong!.map.jumpTo({ center: [lon, lat], zoom: 15 });
		},
		[placed.lon, placed.lat]
	);
	await mapIdle(page);
	const nudged = { lon: placed.lon + 0.002, lat: placed.lat - 0.0015 };
	const reach = page
		.locator(`[data-testid="checkpoint-table"] tr[data-checkpoint-id="${placed.id}"] td`)
		.last();
	const reachBefore = await reach.innerText();
	await dragMarker(page, Number(placed.id), nudged, async () => {
		// Live while dragging: the checkpoint's reach is recounted before anything is saved.
		await expect(reach).not.toHaveText(reachBefore);
		expect((await sql<Place>(`select lon, lat from checkpoints where id = $1`, [placed.id]))[0]).toEqual(
			still
		);
	});
	await expect(page.getByTestId('plan-message')).toHaveText('已移动「E2E拖动卡口」');
	const [moved] = await sql<Place>(`select lon, lat from checkpoints where id = $1`, [placed.id]);
	expect(distance([moved.lon, moved.lat], [nudged.lon, nudged.lat], { units: 'meters' })).toBeLessThan(5);
	await expectCoverageAsComputed(page);

	// Catchments: one cell per counted checkpoint that reaches into the street.
	const [{ n }] = await sql<{ n: number }>(
		`select count(*)::int n from checkpoints where community_code like $1 || '%' and status = 'active'`,
		[NANCHENG]
	);
	await expect(page.getByTestId('cells-count')).toHaveText(`${n} 个责任区`);
});

test('the commander staffs a shift, is told of a double booking in Chinese, copies the day and exports it', async ({
	guarded: page
}) => {
	test.setTimeout(40_000);
	const [seeded] = await sql<Place & { id: string; name: string }>(
		`select id, name, lon, lat from checkpoints where community_code = $1 and status = 'active' order by id limit 1`,
		[BAIZHAOPAI]
	);
	const [cp] = await sql<{ id: string; name: string }>(
		`insert into checkpoints (community_code, name, kind, lon, lat, staff_required)
		 values ($1, 'E2E排班卡口', 'road_checkpoint', $2, $3, 2) returning id, name`,
		[BAIZHAOPAI, seeded.lon, seeded.lat]
	);
	await signIn(page, ACCOUNTS.commander.email);
	await gotoHydrated(page, `/roster/${NANCHENG}?day=${DAY}`);
	const cell = page.locator(`[data-cell="${cp.id}-1"]`);
	await expect(cell).toHaveText('0/2 无人');
	await expect(cell).toHaveAttribute('data-class', 'empty');

	// Staff 08-12 with the nearest free volunteer.
	await cell.click();
	const candidates = page.getByTestId('candidates').locator('li[data-volunteer]');
	await expect(candidates.first()).toBeVisible();
	const volunteerId = Number(await candidates.first().getAttribute('data-volunteer'));
	const [volunteer] = await sql<{ name: string; distance: number }>(
		`select name, private.distance_m(home_lon, home_lat, $2, $3) as distance from volunteers where id = $1`,
		[volunteerId, seeded.lon, seeded.lat]
	);
	// Nearest first: nobody free in the street lives closer than the first candidate.
	const [closer] = await sql<{ n: number }>(
		`select count(*)::int n from volunteers v where v.home_unit_code like $1 || '%' and v.home_lon is not null
			and private.distance_m(v.home_lon, v.home_lat, $2, $3) < $4 - 0.1
			and not exists (select 1 from shifts s where s.volunteer_id = v.id and s.status <> 'cancelled'
				and s.period && tstzrange('${DAY} 08:00+08', '${DAY} 12:00+08'))`,
		[NANCHENG, seeded.lon, seeded.lat, volunteer.distance]
	);
	expect(closer.n).toBe(0);
	await candidates.first().getByRole('button', { name: '安排' }).click();
	await expect(page.getByTestId('roster-message')).toHaveText(`已安排 ${volunteer.name}`);
	await expect(cell).toHaveText('1/2');
	await expect(cell).toHaveAttribute('data-class', 'short');
	const shifts = await sql<{ status: string }>(
		`select status from shifts where volunteer_id = $1 and checkpoint_id = $2
			and period = tstzrange('${DAY} 08:00+08', '${DAY} 12:00+08')`,
		[volunteerId, cp.id]
	);
	expect(shifts).toEqual([{ status: 'planned' }]);

	// The same volunteer at another checkpoint in the same slot: the database refuses and says who and where.
	await page.locator(`[data-cell="${seeded.id}-1"]`).click();
	await page.getByLabel('只看空闲').uncheck();
	const busy = page.getByTestId('candidates').locator(`li[data-volunteer="${volunteerId}"]`);
	await expect(busy).toContainText(`已有班次：${cp.name}，${DAY} 08:00–12:00`);
	await busy.getByRole('button', { name: '安排' }).click();
	await expect(page.getByTestId('roster-message')).toHaveText(
		`志愿者${volunteer.name}在该时段已有班次：${cp.name}，${DAY} 08:00–12:00`
	);
	await expect(page.getByTestId('roster-message')).toHaveAttribute('role', 'alert');

	// Copy the day to the next: the shift lands there too.
	await page.getByTestId('copy-day').click();
	await expect(page.getByTestId('copy-result')).toContainText(`已复制到 ${NEXT_DAY}：1 个班次，跳过 0 个`);
	const copied = await sql<{ n: number }>(
		`select count(*)::int n from shifts where checkpoint_id = $1 and status = 'planned'
			and period = tstzrange('${NEXT_DAY} 08:00+08', '${NEXT_DAY} 12:00+08')`,
		[cp.id]
	);
	expect(copied[0].n).toBe(1);

	// Export and read the workbook back: the grid as the page shows it, the shift with its volunteer.
	const download = page.waitForEvent('download');
	await page.getByTestId('export').click();
	const file = await (await download).path();
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.readFile(file);
	const gaps = workbook.getWorksheet('排班缺口')!;
	expect(gaps.getRow(2).values).toEqual([
		undefined,
		'检查点',
		'类型',
		'社区',
		'08-12',
		'12-16',
		'16-20',
		'20-08',
		'缺口（人·小时）'
	]);
	const rows: unknown[][] = [];
	gaps.eachRow((r, n) => {
		if (n > 2) rows.push((r.values as unknown[]).slice(1));
	});
	const [{ n: checkpointCount }] = await sql<{ n: number }>(
		`select count(*)::int n from checkpoints where community_code like $1 || '%' and status <> 'closed'`,
		[NANCHENG]
	);
	expect(rows.length).toBe(checkpointCount);
	expect(rows.find((r) => r[0] === cp.name)).toEqual([
		cp.name,
		'卡口',
		'白招牌社区',
		'1/2',
		'0/2 无人',
		'0/2 无人',
		'0/2 无人',
		// seat-hours short: one seat 08-12 (4), both 12-16 and 16-20 (8 each), both 20-08 (24)
		44
	]);
	const list = workbook.getWorksheet('班次')!;
	expect(list.rowCount).toBe(2);
	expect((list.getRow(2).values as unknown[]).slice(1, 4)).toEqual([cp.name, '白招牌社区', volunteer.name]);
	expect((list.getRow(2).values as unknown[]).slice(9, 12)).toEqual([
		`${DAY} 08:00`,
		`${DAY} 12:00`,
		'已排班'
	]);
	const audited = await sql<{ n: number }>(
		`select count(*)::int n from audit_log where action = 'export' and unit_code = $1 and detail ->> 'from' = $2`,
		[NANCHENG, DAY]
	);
	expect(audited[0].n).toBeGreaterThan(0);

	// Swap: another volunteer on 12-16, then the two shifts change hands.
	const afternoon = page.locator(`[data-cell="${cp.id}-2"]`);
	await afternoon.click();
	await page.getByLabel('只看空闲').check();
	const second = page.getByTestId('candidates').locator('li[data-volunteer]').first();
	const secondId = Number(await second.getAttribute('data-volunteer'));
	await second.getByRole('button', { name: '安排' }).click();
	await expect(afternoon).toHaveText('1/2');
	await cell.click();
	await page.getByTestId('cell-volunteers').getByRole('button', { name: '交换' }).click();
	await afternoon.click();
	await page.getByTestId('cell-volunteers').getByRole('button', { name: '与此交换' }).click();
	await expect(page.getByTestId('roster-message')).toHaveText('已交换');
	const holders = await sql<{ slot: string; volunteer_id: string }>(
		`select to_char(lower(period) at time zone 'Asia/Shanghai', 'HH24') as slot, volunteer_id from shifts
		 where checkpoint_id = $1 and status = 'planned' and lower(period) < '${NEXT_DAY} 00:00+08' order by 1`,
		[cp.id]
	);
	expect(holders.map((h) => [h.slot, Number(h.volunteer_id)])).toEqual([
		['08', secondId],
		['12', volunteerId]
	]);

	// Remove: the seat is free again and the shift is kept as cancelled.
	await cell.click();
	await page.getByTestId('cell-volunteers').getByRole('button', { name: '移除' }).click();
	await expect(cell).toHaveText('0/2 无人');
	const [removed] = await sql<{ status: string }>(
		`select status from shifts where checkpoint_id = $1 and volunteer_id = $2 and lower(period) = '${DAY} 08:00+08'`,
		[cp.id, secondId]
	);
	expect(removed.status).toBe('cancelled');
});

test('the seeded nights read as staffed, and the shift pattern is chosen from a menu (issue #20)', async ({
	guarded: page
}) => {
	await signIn(page, ACCOUNTS.commander.email);
	await gotoHydrated(page, `/roster/${NANCHENG}?response=1&day=2020-02-14`);
	const grid = page.getByTestId('gap-grid');
	// The seeded checkpoints (not one an earlier test placed, which has no shifts that day).
	const seeded = grid.locator('tbody tr').filter({ hasNotText: 'E2E' });
	await expect(seeded.first()).toBeVisible();
	const nights = seeded.locator('[data-cell$="-4"]');
	expect(await nights.count()).toBeGreaterThan(10);
	// 20-08: volunteers on 16-24 and 00-08 shifts; none of these cells reads 无人 (nobody at any moment).
	await expect(seeded.locator('[data-cell$="-4"][data-class="empty"]')).toHaveCount(0);
	// A few have some hours nobody is there (a seat left empty on a shift), said with the hours.
	const withNobody = seeded.locator('[data-cell$="-4"]', { hasText: '无人' });
	expect(await withNobody.count()).toBeLessThan((await nights.count()) / 5);
	for (const c of await withNobody.all()) await expect(c).toHaveText(/\d\d:\d\d–\d\d:\d\d 无人/);

	// The slots come from a menu of shift patterns; three shifts a day is one of them.
	const pattern = page.getByTestId('roster-pattern');
	await expect(pattern).toHaveValue('quarters');
	await expect(page.getByTestId('roster-slots')).toHaveCount(0);
	await pattern.selectOption('three_shifts');
	await expect(page).toHaveURL(/slots=00-08(%2C|,)08-16(%2C|,)16-24/);
	await expect(grid.locator('thead th')).toHaveText(['检查点', '00-08', '08-16', '16-24']);
	await expect(pattern).toHaveValue('three_shifts');
	// Each seeded shift fills its slot whole: every cell reads one number of people, no range.
	await expect(seeded.locator('[data-cell]').first()).toHaveText(/^\d+\/\d+/);

	// Anything else is typed as a custom pattern.
	await pattern.selectOption('custom');
	await page.getByTestId('roster-slots').fill('07-19,19-07');
	await page.getByRole('button', { name: '查看' }).click();
	await expect(grid.locator('thead th')).toHaveText(['检查点', '07-19', '19-07']);
	await expect(pattern).toHaveValue('custom');
	// 07-19 spans two seeded shifts and part of a third: someone there throughout, the count may change.
	await expect(seeded.locator('[data-cell$="-1"][data-class="empty"]')).toHaveCount(0);
});

test('hours served are the records’ sums; a secretary sees her community, a volunteer only their own shifts', async ({
	guarded: page
}) => {
	await signIn(page, ACCOUNTS.commander.email);
	await gotoHydrated(page, `/roster/${NANCHENG}?response=1&day=2020-03-15`);
	const [top] = await sql<{ name: string; hours: string }>(
		`select coalesce(o.name, '（无组织）') as name,
			round(sum(extract(epoch from upper(s.period) - lower(s.period)) / 3600)::numeric, 2)::text as hours
		 from shifts s join volunteers v on v.id = s.volunteer_id left join organisations o on o.id = v.organisation_id
		 where s.community_code like $1 || '%' and s.status in ('planned', 'done')
			and upper(s.period) <= '2020-03-16 00:00+08'
		 group by 1 order by sum(upper(s.period) - lower(s.period)) desc limit 1`,
		[NANCHENG]
	);
	const first = page.getByTestId('hours-organisation').locator('tbody tr').first();
	await expect(first.locator('th')).toHaveText(top.name);
	expect(Number(await first.locator('td').last().innerText())).toBe(Number(top.hours));

	// The secretary: her community's checkpoints only, and not the street's roster.
	await page.context().clearCookies();
	await signIn(page, ACCOUNTS.secretary.email);
	const street = await page.goto(`/roster/${NANCHENG}`);
	expect(street?.status()).toBe(403);
	await gotoHydrated(page, `/roster/${BAIZHAOPAI}?response=1&day=2020-03-14`);
	const [{ n: hers }] = await sql<{ n: number }>(
		`select count(*)::int n from checkpoints where community_code = $1 and status <> 'closed'`,
		[BAIZHAOPAI]
	);
	await expect(page.getByTestId('gap-grid').locator('tbody tr')).toHaveCount(hers);

	await page.context().clearCookies();
	await signIn(page, ACCOUNTS.volunteer.email);
	await gotoHydrated(page, `/roster/${BAIZHAOPAI}`);
	const [{ n }] = await sql<{ n: number }>(
		`select count(*)::int n from shifts s join memberships m on m.volunteer_id = s.volunteer_id
		 join auth.users u on u.id = m.user_id where u.email = $1`,
		[ACCOUNTS.volunteer.email]
	);
	expect(n).toBeGreaterThan(0);
	await expect(page.getByTestId('own-shifts').locator('tbody tr')).toHaveCount(Math.min(n, 100));
});

/** An .xlsx of volunteers with a title row above Chinese headers, as a street office would keep it. */
async function volunteerSheet(rows: (string | number | Date)[][]): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('志愿者');
	sheet.addRow(['南城街道志愿者名册']);
	sheet.addRow(['序号', '姓名', '联系电话', '所在社区', '技能特长', '加入日期']);
	rows.forEach((r, i) => sheet.addRow([i + 1, ...r]));
	return Buffer.from(await workbook.xlsx.writeBuffer());
}

test('the commander imports volunteers from Excel: row errors first, then all at once, and twice changes nothing', async ({
	guarded: page
}) => {
	await signIn(page, ACCOUNTS.commander.email);
	await gotoHydrated(page, `/roster/${NANCHENG}/import`);
	const count = async () => (await sql<{ n: number }>(`select count(*)::int n from volunteers`))[0].n;
	const before = await count();

	const upload = async (name: string, buffer: Buffer) => {
		await page.getByTestId('import-file').setInputFiles({
			name,
			mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			buffer
		});
		await expect(page.getByTestId('import-mapping')).toBeVisible();
	};

	// A file with a bad row: the rows are named, nothing is written.
	await upload(
		'bad.xlsx',
		await volunteerSheet([
			['王导入', '166 0000 1001', '白招牌社区', '卡口值守、驾驶', new Date(Date.UTC(2020, 1, 1))],
			['李导入', '12345', '不存在社区', '', '2020-02-30']
		])
	);
	await expect(page.locator('select[data-field="phone"]')).toHaveValue('2');
	await expect(page.locator('select[data-field="community"]')).toHaveValue('3');
	await page.getByTestId('import-submit').click();
	const errors = page.getByTestId('import-errors');
	await expect(errors.locator('tr[data-row="4"]')).toHaveCount(2);
	await expect(errors).toContainText('手机号格式不正确：12345');
	await expect(errors).toContainText('日期格式不正确：2020-02-30');
	expect(await count()).toBe(before);

	// A good file: checked, imported, then imported again without a change.
	const good = await volunteerSheet([
		['王导入', '166 0000 1001', '白招牌社区', '卡口值守、驾驶', new Date(Date.UTC(2020, 1, 1))],
		['李导入', '16600001002', '上平社区', '', '2020/2/3']
	]);
	await upload('good.xlsx', good);
	await page.getByTestId('import-check').click();
	await expect(page.getByTestId('import-result')).toHaveText('检查通过：将新增 2 人，更新 0 人，0 人无变化');
	expect(await count()).toBe(before);
	await page.getByTestId('import-submit').click();
	await expect(page.getByTestId('import-result')).toHaveText('导入完成：新增 2 人，更新 0 人，0 人无变化');
	expect(await count()).toBe(before + 2);
	const stored = await sql(
		`select name, phone, home_unit_code, skills, joined_on::text from volunteers where phone like '166%' order by phone`
	);
	expect(stored).toEqual([
		{
			name: '王导入',
			phone: '16600001001',
			home_unit_code: BAIZHAOPAI,
			skills: ['checkpoint', 'driving'],
			joined_on: '2020-02-01'
		},
		{
			name: '李导入',
			phone: '16600001002',
			home_unit_code: '510502001001',
			skills: [],
			joined_on: '2020-02-03'
		}
	]);
	await upload('good.xlsx', good);
	await page.getByTestId('import-submit').click();
	await expect(page.getByTestId('import-result')).toHaveText('导入完成：新增 0 人，更新 0 人，2 人无变化');
	expect(await count()).toBe(before + 2);
});

for (const size of [
	{ name: 'desktop', width: 1366, height: 850 },
	{ name: 'phone', width: 390, height: 844 }
]) {
	test(`screens of the commander on a ${size.name}`, async ({ guarded: page }) => {
		await cleanUp(); // the screens show the demo data, not what the tests above added
		await page.setViewportSize({ width: size.width, height: size.height });
		await signIn(page, ACCOUNTS.commander.email);
		await gotoHydrated(page, `/plan/${NANCHENG}`);
		await mapIdle(page);
		await expect(page.getByTestId('coverage-households')).toHaveAttribute('data-total', /\d+/);
		await page.getByTestId('suggest').click();
		await expect(page.locator('.plan-marker.ghost').first()).toBeVisible();
		await mapIdle(page);
		await page.screenshot({
			path: `test-results/screens/commander-plan-${size.name}.png`,
			fullPage: size.name === 'phone'
		});

		await gotoHydrated(page, `/roster/${NANCHENG}?response=1&day=2020-03-14`);
		await page.locator('[data-cell]').first().click();
		await expect(page.getByTestId('candidates').locator('li[data-volunteer]').first()).toBeVisible();
		await mapIdle(page);
		await page.screenshot({ path: `test-results/screens/commander-roster-${size.name}.png` });
		await page.getByTestId('cell-panel').screenshot({
			path: `test-results/screens/commander-roster-cell-${size.name}.png`
		});
	});
}
