/**
 * The 白招牌社区 secretary's day on a phone (390×844): claim a building and record screenings, one of them while
 * the network is cut (kept on the phone, synced when it returns, stored once even when replayed), and see the
 * coverage move on the board's map; register a special-group resident, reveal a phone with a purpose (audited)
 * and open, assign and close a service request; report a lead by tapping the map and take it from new to
 * closed. Expectations come from the database (sql), not from the page alone.
 *
 * Rows these tests write carry 端到端 in a note, name or title and are removed before and after, so a kept e2e
 * stack gives the same results run after run, and the other specs (which count records up to the end of the
 * 2020 response) never see today's screenings.
 */
import type { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { ACCOUNTS, clickMap, expect, mapIdle, rendered, shownNumber, signIn, sql, test } from './fixtures';

const BAIZHAOPAI = ACCOUNTS.secretary.unit;
const MARK = '端到端';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 850 };

async function cleanUp(): Promise<void> {
	await sql(`delete from screenings where note like '${MARK}%'`);
	await sql(`delete from building_claims where grid_code like '${BAIZHAOPAI}%'`);
	await sql(`delete from leads where title like '${MARK}%'`);
	await sql(`delete from service_requests where detail like '${MARK}%'`);
	await sql(`delete from residents where name like '${MARK}%'`);
}
test.beforeAll(cleanUp);
test.afterAll(cleanUp);

/** Opens one of these screens and waits until its buttons work (hydrated). */
async function open(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await page.locator('html[data-hydrated="true"]').waitFor();
}

/** A building of 白招牌社区 with at least two households nobody has screened in the current round (3, the drill's). */
async function buildingToScreen() {
	const rows = await sql<{ building_id: string; name: string; grid_code: string; households: string[] }>(
		`select b.id as building_id, b.name, b.grid_code, array_agg(h.id order by h.id) as households
		from buildings b join households h on h.building_id = b.id
		where b.community_code = $1 and not exists (select 1 from screenings s where s.household_id = h.id and s.round_id = 3)
		group by b.id having count(*) >= 2 order by count(*) desc, b.id limit 1`,
		[BAIZHAOPAI]
	);
	expect(rows, 'a building with two households not screened in round 3').toHaveLength(1);
	const r = rows[0];
	return { id: Number(r.building_id), name: r.name, grid: r.grid_code, households: r.households.map(Number) };
}

/** The grid's coverage as the board's map drew it (the choropleth's feature for that grid). */
async function drawnGrid(page: Page, grid: string) {
	const features = await rendered(page, ['board-coverage-fill']);
	const f = features.find((p) => p.code === grid);
	expect(f, `grid ${grid} drawn`).toBeTruthy();
	return { screened: Number(f!.screened), coverage: Number(f!.coverage) };
}

async function screeningsOf(household: number) {
	return sql<{
		idempotency_key: string;
		method: string;
		outcome: string;
		note: string;
		screened_by_user: string;
	}>(
		`select idempotency_key::text, method, outcome, note, screened_by_user::text from screenings
		where household_id = $1 and round_id = 3 order by id`,
		[household]
	);
}

test('on a phone: claim a building, record screenings online and offline, each stored once, coverage moves', async ({
	guarded: page,
	context
}) => {
	await page.setViewportSize(PHONE);
	const target = await buildingToScreen();
	const [online, offline] = target.households;
	await signIn(page, ACCOUNTS.secretary.email);

	await open(page, `/board/${BAIZHAOPAI}`);
	await mapIdle(page);
	const kpiBefore = shownNumber(await page.getByTestId('kpi-screened').innerText());
	const gridBefore = await drawnGrid(page, target.grid);

	// Claim the building: the page and the database say who holds it and until when.
	await page.locator(`[data-building="${target.id}"] a`).click();
	await expect(page.getByRole('heading', { name: target.name })).toBeVisible();
	await page.getByTestId('claim-button').click();
	await expect(page.getByTestId('claim')).toHaveAttribute('data-claimed', 'mine');
	await expect(page.getByTestId('claim')).toContainText('本楼由我认领');
	const claims = await sql<{ n: string; minutes: string }>(
		`select count(*) n, max(round(extract(epoch from expires_at - claimed_at) / 60)) minutes from building_claims
		where building_id = $1 and released_at is null and expires_at > now()`,
		[target.id]
	);
	expect(claims[0]).toEqual({ n: '1', minutes: '120' });

	// Online: door, normal. It lands once and the household turns green.
	const rowOnline = page.locator(`[data-household="${online}"]`);
	await rowOnline.getByTestId('record-open').click();
	const form = page.getByTestId('screening-form');
	await form.getByText('正常', { exact: true }).click();
	await form.locator('textarea[name="note"]').fill(`${MARK} 在线`);
	await form.getByTestId('screening-submit').click();
	await expect(page.getByTestId('queue-pending')).toHaveAttribute('data-count', '0');
	await expect(rowOnline).toHaveAttribute('data-status', 'door');
	await expect.poll(async () => (await screeningsOf(online)).length).toBe(1);

	// The network drops: the entry waits on the phone, visibly.
	await context.setOffline(true);
	await expect(page.getByTestId('queue-network')).toHaveText('离线');
	const rowOffline = page.locator(`[data-household="${offline}"]`);
	await rowOffline.getByTestId('record-open').click();
	await form.getByText('电话', { exact: true }).click();
	await form.getByText('正常', { exact: true }).click();
	await form.locator('textarea[name="note"]').fill(`${MARK} 离线`);
	await form.getByTestId('screening-submit').click();
	await expect(page.getByTestId('notice')).toHaveText('已保存在本机，联网后自动同步');
	await expect(page.getByTestId('queue-pending')).toHaveAttribute('data-count', '1');
	await expect(rowOffline.getByTestId('waiting')).toBeVisible();
	expect(await screeningsOf(offline)).toEqual([]);
	const queued = await page.evaluate(() => {
		const key = Object.keys(localStorage).find((k) => k.startsWith('wanggetong.screenings.'))!;
		return JSON.parse(localStorage.getItem(key)!) as { key: string; household_id: number }[];
	});
	expect(queued.map((q) => q.household_id)).toEqual([offline]);

	// Back online: the queue sends it by itself, once.
	await context.setOffline(false);
	await expect(page.getByTestId('queue-pending')).toHaveAttribute('data-count', '0');
	await expect(rowOffline).toHaveAttribute('data-status', 'phone');
	const stored = await screeningsOf(offline);
	expect(stored).toHaveLength(1);
	expect(stored[0]).toMatchObject({ idempotency_key: queued[0].key, method: 'phone', outcome: 'normal' });

	// The same entry replayed (a response lost, another tab): acknowledged, not stored again.
	const replay = await page.evaluate(
		async ([url, item]) => {
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify(item)
			});
			return { status: res.status, body: await res.json() };
		},
		[`/board/${BAIZHAOPAI}/screenings`, queued[0]] as const
	);
	expect(replay).toEqual({ status: 200, body: { stored: false } });
	expect(await screeningsOf(offline)).toHaveLength(1);

	// The board: two more households reached, in the KPI and on the map's grid.
	await page.getByRole('link', { name: /返回楼栋列表/ }).click();
	await mapIdle(page);
	await expect(page.getByTestId('kpi-screened')).toHaveText((kpiBefore + 2).toLocaleString('en-US'));
	const gridAfter = await drawnGrid(page, target.grid);
	expect(gridAfter.screened).toBe(gridBefore.screened + 2);
	expect(gridAfter.coverage).toBeGreaterThan(gridBefore.coverage);
	const building = page.locator(`[data-building="${target.id}"]`);
	await expect(building).toContainText('白招牌社区党委书记认领中');
	const drawn = await rendered(page, ['board-buildings-circle']);
	expect(drawn.find((b) => b.id === target.id)?.claim).toBe('mine');
	await page.screenshot({ path: 'test-results/screens/secretary-board-phone.png' });
});

test('on a phone: the households not re-screened in N days, listed and on the map', async ({
	guarded: page
}) => {
	await page.setViewportSize(PHONE);
	await signIn(page, ACCOUNTS.secretary.email);
	await open(page, `/board/${BAIZHAOPAI}?response=1&view=stale&days=7&as_of=2020-03-15`);
	await mapIdle(page);
	// Independently: households whose last reaching screening is 7 or more days before 2020-03-15, or none.
	const [expected] = await sql<{ n: string }>(
		`select count(*) n from households h where h.community_code = $1 and coalesce((
			select max((s.screened_at at time zone 'Asia/Shanghai')::date) from screenings s
			where s.household_id = h.id and s.outcome <> 'unreachable'
				and (s.screened_at at time zone 'Asia/Shanghai')::date <= date '2020-03-15'), date '1900-01-01')
			<= date '2020-03-15' - 7`,
		[BAIZHAOPAI]
	);
	await expect(page.getByTestId('stale-total')).toHaveAttribute('data-total', expected.n);
	const bubbles = await rendered(page, ['stale-buildings-circle']);
	expect(bubbles.length).toBeGreaterThan(0);
	const drawnTotal = bubbles.reduce((t, b) => t + Number(b.stale), 0);
	// Every building with a waiting household is drawn (the phone shows the whole community).
	expect(drawnTotal).toBe(Number(expected.n));
	await page.screenshot({ path: 'test-results/screens/secretary-stale-phone.png' });
	// N chosen by the user: a longer wait leaves fewer households.
	await page.locator('[data-testid="stale-form"] input[name="days"]').fill('14');
	await page.locator('[data-testid="stale-form"] button[type="submit"]').click();
	await expect(page).toHaveURL(/days=14/);
	expect(Number(await page.getByTestId('stale-total').getAttribute('data-total'))).toBeLessThan(
		Number(expected.n)
	);
});

test('on a phone: register a special-group resident, reveal the phone (audited), serve a request', async ({
	guarded: page
}) => {
	await page.setViewportSize(PHONE);
	await signIn(page, ACCOUNTS.secretary.email);
	const [household] = await sql<{ id: string; building_id: string }>(
		`select h.id, h.building_id from households h where h.community_code = $1
		and not exists (select 1 from residents r where r.household_id = h.id) order by h.id limit 1`,
		[BAIZHAOPAI]
	);
	await open(page, `/care/${BAIZHAOPAI}`);
	await page.getByTestId('add-toggle').click();
	await page.getByTestId('add-building').selectOption(household.building_id);
	await expect(page).toHaveURL(new RegExp(`building=${household.building_id}`));
	await page.getByTestId('add-household').selectOption(household.id);
	await page.getByTestId('add-name').fill(`${MARK}居民`);
	await page.getByTestId('add-phone').fill('13812345678');
	// A wrong check character is refused by the form's own check, with the typed input kept.
	await page.getByTestId('add-id-number').fill('110105194912310021');
	await page.getByTestId('add-group-elderly_alone').check();
	await page.getByTestId('add-need-food').check();
	await page.getByTestId('add-submit').click();
	await expect(page.getByRole('alert')).toContainText('身份证号校验不通过');
	await expect(page.getByTestId('add-name')).toHaveValue(`${MARK}居民`);
	await page.getByTestId('add-id-number').fill('11010519491231002X');
	await page.getByTestId('add-submit').click();
	await expect(page.getByTestId('care-message')).toHaveText(`已登记：${MARK}居民`);

	const [resident] = await sql<{ id: string; grid_code: string }>(
		`select id, grid_code from residents where name = $1`,
		[`${MARK}居民`]
	);
	const item = page.locator(`[data-resident="${resident.id}"]`);
	await expect(item.getByTestId('phone')).toHaveText('电话：138****5678');
	await expect(item.getByTestId('id-number')).toHaveText('身份证号：110105********002X');

	// Revealing needs a purpose and writes who, which record and why.
	await item.getByText('查看完整号码').click();
	await item.locator('input[name="purpose"]').fill('核实独居老人联系方式');
	await item.getByRole('button', { name: '显示电话' }).click();
	await expect(item.getByTestId('phone')).toHaveText('电话：13812345678');
	const audit = await sql<{ action: string; purpose: string; unit_code: string }>(
		`select action, purpose, unit_code from audit_log where table_name = 'residents' and record_id = $1`,
		[resident.id]
	);
	expect(audit).toEqual([
		{ action: 'reveal_phone', purpose: '核实独居老人联系方式', unit_code: resident.grid_code }
	]);
	await page.screenshot({ path: 'test-results/screens/secretary-care-phone.png' });

	// The export holds what the registry shows (masked), and is audited with its purpose.
	await page.locator('[data-testid="export-form"] input[name="purpose"]').fill('报街道汇总');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.locator('[data-testid="export-form"] button[type="submit"]').click()
	]);
	const csv = await readFile((await download.path())!, 'utf8');
	const lines = csv
		.replace(/^\uFEFF/, '')
		.trim()
		.split('\r\n');
	expect(lines[0]).toBe('网格,楼栋,门牌,姓名,性别,出生年份,特殊群体,需求,电话,身份证号,隔离截止');
	const [registered] = await sql<{ n: string }>(
		`select count(*) n from residents where grid_code like $1 || '%'`,
		[BAIZHAOPAI]
	);
	expect(lines.length - 1).toBe(Number(registered.n));
	expect(lines.find((l) => l.includes(`${MARK}居民`))).toContain('138****5678,110105********002X');
	expect(csv).not.toContain('13812345678');
	const [exported] = await sql<{ purpose: string; rows: number }>(
		`select purpose, (detail ->> 'rows')::int as rows from audit_log where action = 'export' order by id desc limit 1`
	);
	expect(exported).toEqual({ purpose: '报街道汇总', rows: Number(registered.n) });

	// A request due an hour ago stands out as overdue; assigned, started and done, it no longer does.
	await page.getByTestId('tab-requests').click();
	await page.getByTestId('request-toggle').click();
	await page.getByTestId('request-resident').selectOption(resident.id);
	await page.getByTestId('request-kind').selectOption('food');
	await page.getByTestId('request-detail').fill(`${MARK} 代购米面油`);
	const due = new Date(Date.now() - 3600_000 + 8 * 3600_000).toISOString().slice(0, 16);
	await page.getByTestId('request-due').fill(due);
	await page.getByTestId('request-submit').click();
	await expect(page.getByTestId('care-message')).toHaveText('已新建服务请求');
	const [request] = await sql<{ id: string }>(`select id from service_requests where detail = $1`, [
		`${MARK} 代购米面油`
	]);
	const card = page.locator(`[data-request="${request.id}"]`);
	await expect(card).toHaveAttribute('data-status', 'open');
	await expect(card.getByTestId('overdue')).toBeVisible();
	await card.getByTestId('request-assigned').click();
	await expect(card).toHaveAttribute('data-status', 'assigned');
	await card.getByTestId('request-in_progress').click();
	await expect(card).toHaveAttribute('data-status', 'in_progress');
	await card.getByTestId('request-done').click();
	await expect(card).toHaveAttribute('data-status', 'done');
	await expect(card.getByTestId('overdue')).toHaveCount(0);
	const [done] = await sql<{ status: string; done: boolean; assigned: boolean }>(
		`select status, done_at is not null as done, assigned_volunteer_id is not null as assigned
		from service_requests where id = $1`,
		[request.id]
	);
	expect(done).toEqual({ status: 'done', done: true, assigned: true });
});

test('on a phone: report a lead by tapping the map, routed to its grid, and take it from new to closed', async ({
	guarded: page
}) => {
	await page.setViewportSize(PHONE);
	await signIn(page, ACCOUNTS.secretary.email);
	// A point inside 第3网格, near its label point but clear of the leads already drawn (a tap on a lead opens
	// that lead instead of picking a place).
	const [grid] = await sql<{ code: string; name: string; lon: number; lat: number }>(
		`with c as (
			select u.center_lon + d.dx as lon, u.center_lat + d.dy as lat
			from units u, (values (0, 0), (0.0008, 0), (-0.0008, 0), (0, 0.0008), (0, -0.0008), (0.0008, 0.0008),
				(-0.0008, -0.0008), (0.0008, -0.0008), (-0.0008, 0.0008)) as d(dx, dy)
			where u.code = $1
		)
		select u.code, u.name, c.lon, c.lat from c, units u
		where u.code = $1 and private.point_in_area(u.geometry, c.lon, c.lat)
		order by (select min(power(l.lon - c.lon, 2) + power(l.lat - c.lat, 2)) from leads l
			where l.grid_code like $2 || '%' and l.lon is not null) desc nulls first
		limit 1`,
		[`${BAIZHAOPAI}003`, BAIZHAOPAI]
	);
	await open(page, `/leads/${BAIZHAOPAI}`);
	await page.getByTestId('report-toggle').click();
	await clickMap(page, grid.lon, grid.lat);
	await expect(page.getByTestId('picked-grid')).toHaveText(`将分派到：${grid.name}`);
	await page.getByTestId('report-title').fill(`${MARK}线索：住户自述发热`);
	await page.locator('[data-testid="report-form"] select[name="kind"]').selectOption('symptoms');
	await page.getByTestId('report-submit').click();
	await expect(page.getByTestId('lead-message')).toHaveText(`已上报，分派到${grid.name}`);
	const [lead] = await sql<{ id: string; grid_code: string; status: string }>(
		`select id, grid_code, status from leads where title = $1`,
		[`${MARK}线索：住户自述发热`]
	);
	expect(lead).toMatchObject({ grid_code: grid.code, status: 'new' });

	await open(page, `/leads/${BAIZHAOPAI}?lead=${lead.id}`);
	const detail = page.getByTestId('lead-detail');
	const steps: [string, string][] = [
		['verifying', '电话联系住户核实'],
		['assigned', '安排志愿者陪同就医'],
		['handled', '已送发热门诊'],
		['closed', '排除感染，办结']
	];
	for (const [to, note] of steps) {
		await detail.locator('textarea[name="note"]').fill(note);
		// Assigning it sets a new deadline, 72 hours from now; the other steps keep the deadline.
		if (to === 'assigned') await detail.getByTestId('move-deadline').selectOption('72');
		const sent = Date.now();
		await detail.getByTestId(`move-${to}`).click();
		await expect(detail).toHaveAttribute('data-status', to);
		if (to === 'assigned') {
			const [{ deadline }] = await sql<{ deadline: Date }>(`select deadline from leads where id = $1`, [
				lead.id
			]);
			expect(deadline.getTime()).toBeGreaterThanOrEqual(sent + 72 * 3600_000 - 1000);
			expect(deadline.getTime()).toBeLessThanOrEqual(Date.now() + 72 * 3600_000);
		}
	}
	await expect(detail.getByTestId('lead-history').locator('li')).toHaveCount(5);
	const events = await sql<{ to_status: string; by_name: string; note: string | null }>(
		`select to_status, by_name, note from lead_events where lead_id = $1 order by at, id`,
		[lead.id]
	);
	expect(events.map((e) => e.to_status)).toEqual(['new', 'verifying', 'assigned', 'handled', 'closed']);
	expect(events.every((e) => e.by_name === '白招牌社区党委书记')).toBe(true);
	expect(events.slice(1).map((e) => e.note)).toEqual(steps.map(([, n]) => n));
	// Closed is the end: no step is offered any more.
	await expect(detail.getByTestId('move-form')).toHaveCount(0);
	await page.screenshot({ path: 'test-results/screens/secretary-leads-phone.png' });

	// By address instead of a tap: the building's place, routed to the building's grid.
	const [building] = await sql<{ id: string; name: string; grid_code: string }>(
		`select id, name, grid_code from buildings where community_code = $1 order by id desc limit 1`,
		[BAIZHAOPAI]
	);
	await page.getByTestId('report-toggle').click();
	await page.getByTestId('report-building').selectOption(building.id);
	await page.getByTestId('report-title').fill(`${MARK}线索：楼下聚集`);
	await page.getByTestId('report-submit').click();
	await expect(page.getByTestId('lead-message')).toContainText('已上报');
	const [byAddress] = await sql<{ grid_code: string; at_building: boolean }>(
		`select l.grid_code, (l.lon, l.lat) = (b.lon, b.lat) as at_building from leads l, buildings b
		where l.title = $1 and b.id = $2`,
		[`${MARK}线索：楼下聚集`, building.id]
	);
	expect(byAddress).toEqual({ grid_code: building.grid_code, at_building: true });
});

test('the street commander sees the overdue leads of every community escalated, at desktop size', async ({
	guarded: page
}) => {
	await page.setViewportSize(DESKTOP);
	await signIn(page, ACCOUNTS.commander.email);
	await open(page, `/leads/${ACCOUNTS.commander.unit}`);
	const [expected] = await sql<{ n: string }>(
		`select count(*) n from leads where grid_code like $1 || '%' and status in ('new', 'verifying', 'assigned')
		and deadline < now()`,
		[ACCOUNTS.commander.unit]
	);
	expect(Number(expected.n)).toBeGreaterThan(0);
	await expect(page.getByTestId('escalated').locator('h2')).toHaveText(
		`逾期未办结线索（街道督办）${expected.n} 条`
	);
	await mapIdle(page);
	await page.screenshot({ path: 'test-results/screens/secretary-leads-commander-desktop.png' });
});

test('desktop views of the board, a building, care and leads for the secretary', async ({
	guarded: page
}) => {
	await page.setViewportSize(DESKTOP);
	await signIn(page, ACCOUNTS.secretary.email);
	await open(page, `/board/${BAIZHAOPAI}`);
	await mapIdle(page);
	expect((await rendered(page, ['board-buildings-circle'])).length).toBeGreaterThan(50);
	await page.screenshot({ path: 'test-results/screens/secretary-board-desktop.png' });
	const target = await buildingToScreen().catch(() => null);
	await open(page, `/board/${BAIZHAOPAI}/b/${target?.id ?? 4003}`);
	await page.screenshot({ path: 'test-results/screens/secretary-building-desktop.png' });
	await open(page, `/care/${BAIZHAOPAI}?view=requests`);
	await page.screenshot({ path: 'test-results/screens/secretary-care-desktop.png' });
	await open(page, `/leads/${BAIZHAOPAI}`);
	await mapIdle(page);
	await page.screenshot({ path: 'test-results/screens/secretary-leads-desktop.png' });
});

test('after the retention purge, the board, care and leads say personal data was purged', async ({
	guarded: page
}) => {
	await page.setViewportSize(PHONE);
	await signIn(page, ACCOUNTS.secretary.email);
	// Only the policy's "last purged" mark is set: the data stays for the other tests.
	await sql(`update retention_policy set purged_at = '2020-09-11T02:00:00Z'`);
	try {
		for (const path of [`/board/${BAIZHAOPAI}`, `/care/${BAIZHAOPAI}`, `/leads/${BAIZHAOPAI}`]) {
			await open(page, path);
			await expect(page.getByTestId('purged-notice')).toHaveText(
				'个人与健康数据已于 2020-09-11 按保留期限清除，覆盖率等统计数据仍保留。'
			);
		}
	} finally {
		await sql(`update retention_policy set purged_at = null`);
	}
	await open(page, `/board/${BAIZHAOPAI}`);
	await expect(page.getByTestId('purged-notice')).toHaveCount(0);
});
