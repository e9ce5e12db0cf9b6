/**
 * The 白招牌社区 secretary's grid, import and export screens (issue #5) on a phone-sized viewport: a grid border
 * dragged on the map moves buildings to the grids Turf puts them in (checked in the database), a household file
 * with bad rows gets its row-by-row report and writes nothing while a good one lands once, and each export
 * downloads as an Excel file that reads back to the records. The community's grids and households are put back
 * afterwards, so a kept stack gives the same results run after run.
 */
import { booleanPointInPolygon, kinks } from '@turf/turf';
import ExcelJS from 'exceljs';
import type { Polygon, Position } from 'geojson';
import { resolveKeys } from '../../scripts/embedded/keys';
import { ACCOUNTS, expect, gotoHydrated, mapIdle, signIn, sql, test } from './fixtures';
import { E2E_API_PORT } from './ports';

const BAIZHAOPAI = ACCOUNTS.secretary.unit;
const PHONE = { width: 390, height: 844 };
const E2E_ROOM = 'E2E';

interface Grid {
	code: string;
	name: string;
	geometry: Polygon;
	center_lon: number;
	center_lat: number;
}
interface Building {
	id: number;
	name: string;
	lon: number;
	lat: number;
	grid_code: string;
}

const readGrids = () =>
	sql<Grid>(
		`select code, name, geometry, center_lon, center_lat from units where parent_code = $1 order by code`,
		[BAIZHAOPAI]
	);
const readBuildings = () =>
	sql<Building>(
		`select id::int, name, lon, lat, grid_code from buildings where community_code = $1 order by id`,
		[BAIZHAOPAI]
	);

/** The grid Turf puts a point in (none when it lies in none, or on a border between two). */
function turfGrid(grids: Grid[], lon: number, lat: number): string | null {
	const holders = grids.filter((g) =>
		booleanPointInPolygon([lon, lat], g.geometry, { ignoreBoundary: true })
	);
	return holders.length === 1 ? holders[0].code : null;
}

const key = (p: Position) => `${p[0]},${p[1]}`;

/**
 * A vertex shared by two grids (not on the community's border) and a place to drag it that sends at least one
 * building to another grid by Turf and keeps every ring simple: the vertex pulled 1.6 times its distance
 * towards a nearby building, so that a few pixels of drag error change nothing.
 */
async function plannedDrag(grids: Grid[], buildings: Building[]) {
	const [{ geometry: community }] = await sql<{ geometry: Polygon }>(
		`select geometry from units where code = $1`,
		[BAIZHAOPAI]
	);
	const border = new Set(community.coordinates[0].map(key));
	const owners = new Map<string, { p: Position; grids: string[] }>();
	for (const g of grids)
		for (const p of g.geometry.coordinates[0].slice(0, -1)) {
			const e = owners.get(key(p)) ?? { p, grids: [] };
			e.grids.push(g.code);
			owners.set(key(p), e);
		}
	for (const { p, grids: sharing } of owners.values()) {
		if (sharing.length < 2 || border.has(key(p))) continue;
		const near = [...buildings]
			.sort((a, b) => Math.hypot(a.lon - p[0], a.lat - p[1]) - Math.hypot(b.lon - p[0], b.lat - p[1]))
			.slice(0, 6);
		for (const b of near) {
			const to: Position = [p[0] + 1.6 * (b.lon - p[0]), p[1] + 1.6 * (b.lat - p[1])];
			const moved = grids.map((g) => ({
				...g,
				geometry: {
					type: 'Polygon' as const,
					coordinates: [g.geometry.coordinates[0].map((q) => (key(q) === key(p) ? to : q))]
				}
			}));
			if (moved.some((g) => kinks(g.geometry).features.length > 0)) continue;
			const moves = buildings.filter((x) => {
				const now = turfGrid(moved, x.lon, x.lat);
				return now !== null && now !== x.grid_code;
			});
			if (moves.length > 0) return { from: p, to, grid: sharing[0] };
		}
	}
	throw new Error('no vertex drag found that moves a building');
}

/** Screen position of a longitude and latitude on the page's map. */
async function screenPoint(page: import('@playwright/test').Page, p: Position) {
	return page.evaluate(
		([x, y]) => {
			type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
			const map = (window as unknown as W).__wanggetong!.map;
			const q = map.project([x, y]);
			const box = map.getCanvas().getBoundingClientRect();
			return { x: box.left + q.x, y: box.top + q.y };
		},
		p as [number, number]
	);
}

/** Waits until Terra Draw shows the selected grid's vertices (its point layer has features on screen). */
async function selectionShown(page: import('@playwright/test').Page) {
	await expect
		.poll(() =>
			page.evaluate(() => {
				type W = { __wanggetong?: { map: import('maplibre-gl').Map } };
				const map = (window as unknown as W).__wanggetong!.map;
				return map.getLayer('td-point') ? map.queryRenderedFeatures({ layers: ['td-point'] }).length : 0;
			})
		)
		.toBeGreaterThan(0);
}

/** Saves grids as the secretary through the API (puts the seeded grids back after a test). */
async function saveAsSecretary(grids: Grid[], moves: { building_id: number; grid_code: string }[]) {
	const api = `http://127.0.0.1:${E2E_API_PORT}`;
	const ANON_KEY = resolveKeys().anonKey;
	const token = await fetch(`${api}/auth/v1/token?grant_type=password`, {
		method: 'POST',
		headers: { apikey: ANON_KEY, 'content-type': 'application/json' },
		body: JSON.stringify({ email: ACCOUNTS.secretary.email, password: 'wanggetong-2020' })
	}).then((r) => r.json() as Promise<{ access_token: string }>);
	const res = await fetch(`${api}/rest/v1/rpc/save_grid_boundaries`, {
		method: 'POST',
		headers: {
			apikey: ANON_KEY,
			authorization: `Bearer ${token.access_token}`,
			'content-type': 'application/json'
		},
		body: JSON.stringify({
			p_community: BAIZHAOPAI,
			p_grids: grids.map((g) => ({
				code: g.code,
				name: g.name,
				geometry: g.geometry,
				center: [g.center_lon, g.center_lat]
			})),
			p_moves: moves
		})
	});
	expect(res.status, await res.clone().text()).toBe(200);
}

test.describe('the secretary on a phone', () => {
	test.use({ viewport: PHONE });

	test('drags a grid border on the map and sees buildings move to the grids Turf puts them in', async ({
		guarded: page
	}) => {
		const seeded = await readGrids();
		const before = await readBuildings();
		const drag = await plannedDrag(seeded, before);
		try {
			await signIn(page, ACCOUNTS.secretary.email);
			await page.goto(`/grids/${BAIZHAOPAI}`);
			await mapIdle(page);
			await expect(page.getByTestId('plan-status')).toHaveAttribute('data-ok', 'true');
			await expect(page.getByTestId('save')).toBeDisabled();

			// pick a grid that has the vertex, from the list, then drag the vertex on the map
			await page.locator(`[data-testid="grid-list"] li[data-code="${drag.grid}"] .swatch`).click();
			await page.locator('.map-pane').scrollIntoViewIfNeeded();
			await selectionShown(page);
			await mapIdle(page);
			const from = await screenPoint(page, drag.from);
			const to = await screenPoint(page, drag.to);
			await page.mouse.move(from.x, from.y);
			await page.mouse.down();
			for (let i = 1; i <= 10; i++)
				await page.mouse.move(from.x + ((to.x - from.x) * i) / 10, from.y + ((to.y - from.y) * i) / 10);
			await page.mouse.up();

			// the preview lists the moves, and the plan still tiles the community (the neighbours followed)
			await expect(page.getByTestId('plan-moves')).toBeVisible();
			await expect(page.getByTestId('plan-status')).toHaveAttribute('data-ok', 'true');
			await page.getByTestId('save').click();
			await expect(page.getByTestId('saved')).toBeVisible();
			await page.screenshot({ path: 'test-results/screens/grids-phone-saved.png', fullPage: true });

			// in the database: every building in the grid Turf puts it in, by the saved boundaries
			const saved = await readGrids();
			const after = await readBuildings();
			const moved = after.filter((b, i) => b.grid_code !== before[i].grid_code);
			expect(moved.length).toBeGreaterThan(0);
			for (const b of after) {
				const expected = turfGrid(saved, b.lon, b.lat);
				if (expected !== null) expect(b.grid_code, b.name).toBe(expected);
			}
			// the dragged vertex moved in every grid that had it
			const still = saved.filter((g) => g.geometry.coordinates[0].some((q) => key(q) === key(drag.from)));
			expect(still).toEqual([]);
			const [{ stray }] = await sql<{ stray: number }>(
				`select count(*)::int as stray from households h join buildings b on b.id = h.building_id
				 where b.community_code = $1 and h.grid_code <> b.grid_code`,
				[BAIZHAOPAI]
			);
			expect(stray).toBe(0);
		} finally {
			const now = await readBuildings();
			await saveAsSecretary(
				seeded,
				now.flatMap((b, i) =>
					b.grid_code === before[i].grid_code ? [] : [{ building_id: b.id, grid_code: before[i].grid_code }]
				)
			);
		}
		expect(await readBuildings()).toEqual(before);
	});
});

test.describe('drawing on a phone', () => {
	test.use({ viewport: PHONE });

	test('draws an area for the selected grid: the preview moves exactly the buildings Turf finds in it', async ({
		guarded: page
	}) => {
		const grids = await readGrids();
		const buildings = await readBuildings();
		// a building of the second grid; the first grid takes a square of about 60 m around it
		const target = grids[0];
		const b = buildings.find((x) => x.grid_code === grids[1].code)!;
		const d = 0.0003;
		const square: Position[] = [
			[b.lon - d, b.lat - d],
			[b.lon + d, b.lat - d],
			[b.lon + d, b.lat + d],
			[b.lon - d, b.lat + d]
		];
		const inSquare = buildings.filter(
			(x) =>
				x.grid_code !== target.code &&
				booleanPointInPolygon([x.lon, x.lat], { type: 'Polygon', coordinates: [[...square, square[0]]] })
		);

		await signIn(page, ACCOUNTS.secretary.email);
		await page.goto(`/grids/${BAIZHAOPAI}`);
		await mapIdle(page);
		await page.locator(`[data-testid="grid-list"] li[data-code="${target.code}"] .swatch`).click();
		await page.locator('[data-tool="take"]').click();
		await page.locator('.map-pane').scrollIntoViewIfNeeded();
		await mapIdle(page);
		for (const corner of [...square, square[0]]) {
			const at = await screenPoint(page, corner);
			await page.mouse.click(at.x, at.y);
		}
		await expect(page.getByTestId('plan-moves')).toBeVisible();
		await expect(page.getByTestId('plan-status')).toHaveAttribute('data-ok', 'true');
		const previewed = await page
			.locator('[data-testid="plan-moves"] li')
			.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-building'))).sort((x, y) => x - y));
		expect(previewed).toEqual(inSquare.map((x) => x.id).sort((x, y) => x - y));
		await expect(page.locator(`[data-testid="plan-moves"] li[data-building="${b.id}"]`)).toContainText(
			`${b.name}：${grids[1].name} → ${target.name}`
		);
		await page.screenshot({ path: 'test-results/screens/grids-phone-drawn.png' });

		// discarded: nothing was saved
		await page.getByRole('button', { name: '放弃修改' }).click();
		await expect(page.getByTestId('plan-moves')).toHaveCount(0);
		expect(await readBuildings()).toEqual(buildings);
	});
});

test.describe('people in grids on a phone', () => {
	test.use({ viewport: PHONE });

	test('assigns a person to a grid, reassigns and unassigns them', async ({ guarded: page }) => {
		const grids = await readGrids();
		await signIn(page, ACCOUNTS.secretary.email);
		await page.goto(`/grids/${BAIZHAOPAI}`);
		await page.getByTestId('people-box').locator('summary').click();
		const person = page.getByTestId('people').locator('li').first();
		const id = Number(await person.getAttribute('data-person'));
		const gridOf = async () =>
			(
				await sql<{ grid_code: string }>(`select grid_code from grid_members where volunteer_id = $1`, [id])
			)[0]?.grid_code ?? null;
		try {
			for (const code of [grids[0].code, grids[2].code]) {
				const saved = page.waitForResponse((r) => r.url().includes('?/assign') && r.status() === 200);
				await person.locator('select').selectOption(code);
				await saved;
				await expect.poll(gridOf).toBe(code);
			}
			// after the page reloads its data the list says where they are
			await expect(
				page.locator(`[data-testid="grid-list"] li[data-code="${grids[2].code}"] .members`)
			).toContainText((await person.locator('span').first().textContent())!.split(' ')[0]);
			const cleared = page.waitForResponse((r) => r.url().includes('?/assign') && r.status() === 200);
			await person.locator('select').selectOption('');
			await cleared;
			await expect.poll(gridOf).toBeNull();
		} finally {
			await sql(`delete from grid_members where volunteer_id = $1`, [id]);
		}
	});
});

/** An .xlsx household file: a title row, Chinese headers, then the rows. */
async function householdFile(rows: (string | number | null)[][]): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('住户');
	ws.addRow(['白招牌社区住户登记表']);
	ws.addRow(['序号', '楼栋', '门牌号', '户主姓名', '联系电话', '家庭人数']);
	rows.forEach((r, i) => ws.addRow([i + 1, ...r]));
	return Buffer.from(await wb.xlsx.writeBuffer());
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const householdCount = async () =>
	(
		await sql<{ n: number }>(`select count(*)::int as n from households where community_code = $1`, [
			BAIZHAOPAI
		])
	)[0].n;

test.describe('household import on a phone', () => {
	test.use({ viewport: PHONE });
	const cleanUp = () => sql(`delete from households where room like '${E2E_ROOM}%'`);
	test.beforeEach(async () => {
		await cleanUp();
	});
	test.afterEach(async () => {
		await cleanUp();
	});

	test('a file with bad rows gets a report by row and writes nothing; a good one lands once', async ({
		guarded: page
	}) => {
		const buildings = await sql<{ name: string }>(
			`select name from buildings where community_code = $1 order by id limit 3`,
			[BAIZHAOPAI]
		);
		const [a, b] = buildings.map((x) => x.name);
		const good: (string | number | null)[][] = [
			[a, `${E2E_ROOM}-1单元101`, '测试甲', 13800138001, 3],
			[a, `${E2E_ROOM}-1单元102`, '测试乙', null, 1],
			[b, `${E2E_ROOM}-2单元201`, '测试丙', '0830-1234567', 5]
		];
		const bad = [
			...good,
			['不存在的楼', `${E2E_ROOM}-9`, '测试丁', 13800138002, 2], // sheet row 6
			[b, `${E2E_ROOM}-3单元301`, '测试戊', 12345, 0], // row 7: phone and members
			[a, `${E2E_ROOM}-1单元101`, '测试己', null, 2] // row 8: same room as row 3
		];
		const before = await householdCount();

		await signIn(page, ACCOUNTS.secretary.email);
		await gotoHydrated(page, `/grids/${BAIZHAOPAI}/import`);
		const file = page.locator('input[type="file"][name="file"]');
		await file.setInputFiles({ name: '住户.xlsx', mimeType: XLSX, buffer: await householdFile(bad) });
		await page.getByRole('button', { name: '读取文件' }).click();
		// the mapping is guessed from the Chinese headers
		await expect(page.getByTestId('mapping')).toBeVisible();
		await expect(page.locator('select[data-field="room"]')).toHaveValue('2');
		await expect(page.locator('select[data-field="members"]')).toHaveValue('5');
		await page.getByTestId('check').click();

		const report = page.getByTestId('error-report');
		await expect(report).toBeVisible();
		await expect(report.locator('tr[data-row="6"]')).toContainText('楼栋「不存在的楼」不在本社区');
		await expect(report.locator('tr[data-row="7"]')).toHaveCount(2);
		await expect(report.locator('tr[data-row="7"]').first()).toContainText('电话号码格式不对');
		await expect(report.locator('tr[data-row="7"]').last()).toContainText('人数须为 1 到 30 的整数');
		await expect(report.locator('tr[data-row="8"]')).toContainText('与第 3 行重复');
		await expect(report).toContainText('没有写入任何数据');
		await page.screenshot({ path: 'test-results/screens/grids-phone-import-errors.png', fullPage: true });
		expect(await householdCount()).toBe(before);

		// the corrected file: checked, imported, then the same file again changes nothing
		await file.setInputFiles({ name: '住户.xlsx', mimeType: XLSX, buffer: await householdFile(good) });
		await page.getByTestId('check').click();
		await expect(page.getByTestId('import-result')).toHaveAttribute('data-step', 'checked');
		await expect(page.getByTestId('import-result')).toContainText('将新增 3 户');
		expect(await householdCount()).toBe(before);
		await page.getByTestId('import').click();
		await expect(page.getByTestId('import-result')).toHaveAttribute('data-step', 'imported');
		await expect(page.getByTestId('import-result')).toContainText('新增 3 户');
		expect(await householdCount()).toBe(before + 3);
		const written = await sql<{
			building: string;
			room: string;
			phone: string | null;
			members: number;
			grid: boolean;
		}>(
			`select b.name as building, h.room, h.phone, h.members, h.grid_code = b.grid_code as grid
			 from households h join buildings b on b.id = h.building_id where h.room like '${E2E_ROOM}%' order by h.room`
		);
		expect(written).toEqual([
			{ building: a, room: `${E2E_ROOM}-1单元101`, phone: '13800138001', members: 3, grid: true },
			{ building: a, room: `${E2E_ROOM}-1单元102`, phone: null, members: 1, grid: true },
			{ building: b, room: `${E2E_ROOM}-2单元201`, phone: '0830-1234567', members: 5, grid: true }
		]);

		await page.getByTestId('check').click();
		await expect(page.getByTestId('import-result')).toHaveAttribute('data-step', 'checked');
		await expect(page.getByTestId('import-result')).toContainText('将新增 0 户，更新 0 户，3 户不变');
		await page.getByTestId('import').click();
		await expect(page.getByTestId('import-result')).toHaveAttribute('data-step', 'imported');
		await expect(page.getByTestId('import-result')).toContainText('导入完成：新增 0 户，更新 0 户，3 户不变');
		expect(await householdCount()).toBe(before + 3);
	});
});

test.describe('exports on a phone', () => {
	test.use({ viewport: PHONE });

	async function download(page: import('@playwright/test').Page, kind: string) {
		const waiting = page.waitForEvent('download');
		await page.locator(`form[data-export="${kind}"] button[type="submit"]`).click();
		const file = await waiting;
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(
			(await import('node:fs')).readFileSync((await file.path())!) as unknown as ArrayBuffer
		);
		const ws = wb.worksheets[0];
		const rows: unknown[][] = [];
		ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
		return { name: file.suggestedFilename(), rows };
	}

	test('the secretary downloads progress, registry and leads, and they read back to the records', async ({
		guarded: page
	}) => {
		await signIn(page, ACCOUNTS.secretary.email);
		await page.goto(`/exports/${BAIZHAOPAI}`);
		await page.screenshot({ path: 'test-results/screens/grids-phone-exports.png', fullPage: true });

		const progress = await download(page, 'progress');
		expect(progress.name).toMatch(/\.xlsx$/);
		const [head, ...body] = progress.rows;
		expect(head.slice(0, 5)).toEqual(['网格编号', '网格', '楼栋', '人数', '户数']);
		const byBuilding = await sql<{ building: string; households: number }>(
			`select b.name as building, count(*)::int as households from households h join buildings b on b.id = h.building_id
			 where h.community_code = $1 group by b.name`,
			[BAIZHAOPAI]
		);
		expect(body).toHaveLength(byBuilding.length);
		const households = new Map(byBuilding.map((r) => [r.building, r.households]));
		for (const r of body) expect(r[4], String(r[2])).toBe(households.get(String(r[2])));

		const registry = await download(page, 'special_groups');
		const [registryHead, ...people] = registry.rows;
		expect(registryHead).toContain('电话（脱敏）');
		const [{ n }] = await sql<{ n: number }>(
			`select count(*)::int as n from residents where grid_code like $1 || '%'`,
			[BAIZHAOPAI]
		);
		expect(people).toHaveLength(n);
		const text = JSON.stringify(people);
		expect(text).not.toMatch(/1[3-9][0-9]{9}/);
		expect(text).not.toMatch(/[0-9]{17}[0-9X]/);

		const leads = await download(page, 'leads');
		const [{ leadCount }] = await sql<{ leadCount: number }>(
			`select count(*)::int as "leadCount" from leads where grid_code like $1 || '%'`,
			[BAIZHAOPAI]
		);
		expect(leads.rows).toHaveLength(leadCount + 1);

		// each download left an audit row with its purpose
		const audits = await sql<{ table_name: string; purpose: string }>(
			`select table_name, purpose from audit_log where action = 'export' and unit_code = $1 order by id desc limit 3`,
			[BAIZHAOPAI]
		);
		expect(audits.map((x) => x.table_name)).toEqual(['leads', 'residents', 'households']);
		expect(audits.every((x) => x.purpose === '社区工作台账')).toBe(true);
	});

	test('the leader downloads counts only', async ({ guarded: page }) => {
		await signIn(page, ACCOUNTS.leader.email);
		await page.goto(`/exports/${BAIZHAOPAI}`);
		await expect(page.getByText('领导导出的是汇总数')).toBeVisible();
		const progress = await download(page, 'progress');
		const [head, ...body] = progress.rows;
		expect(head).not.toContain('楼栋');
		expect(head).toEqual(['网格编号', '网格', '户数', '已摸排', '未摸排', '覆盖率']);
		const perGrid = await sql<{ grid_code: string; households: number }>(
			`select grid_code, count(*)::int as households from households where community_code = $1 group by 1`,
			[BAIZHAOPAI]
		);
		expect(body).toHaveLength(perGrid.length);
		const households = new Map(perGrid.map((g) => [g.grid_code, g.households]));
		for (const r of body) {
			const n = households.get(String(r[0]))!;
			expect(r[2], String(r[1])).toBe(n <= 2 ? undefined : n);
		}
	});
});

test.describe('screenshots', () => {
	for (const size of [
		{ name: 'desktop', width: 1366, height: 850 },
		{ name: 'phone', width: 390, height: 844 }
	])
		test(`the grid screen on a ${size.name}`, async ({ guarded: page }) => {
			await page.setViewportSize({ width: size.width, height: size.height });
			await signIn(page, ACCOUNTS.secretary.email);
			await page.goto(`/grids/${BAIZHAOPAI}`);
			await mapIdle(page);
			await page.locator(`[data-testid="grid-list"] li`).first().locator('.swatch').click();
			await selectionShown(page);
			await mapIdle(page);
			await page.screenshot({ path: `test-results/screens/grids-${size.name}.png` });
		});
});
