/**
 * A response run today (issue #15), three people at once: the 白招牌社区 secretary opens a round on a desktop, the
 * community's volunteer records screenings on a phone (one offline, synced later), the secretary's map and the
 * leader's overview and briefing for today move with them; the secretary closes her round (the next screening
 * goes to the drill's district-wide round), the leader ends the drill (the next one is refused in Chinese) and
 * the 2020 response still shows the article's figures.
 *
 * The drill is restored and every row written here (round, screenings, claims, audit rows) removed before and
 * after, so the other specs see the seeded drill running.
 */
import type { Browser, Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import {
	ACCOUNTS,
	expect,
	gotoHydrated,
	guard,
	mapIdle,
	openSection,
	shownNumber,
	signIn,
	sql,
	test
} from './fixtures';

const BAIZHAOPAI = ACCOUNTS.secretary.unit;
const DRILL = '江阳区聚集性疫情处置演练';
const ROUND = '端到端社区第二轮';
const MARK = '端到端轮次';
const PHONE = { width: 390, height: 844 };

/** Today and a day offset from it, in China Standard Time. */
const day = (offset = 0) =>
	new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

async function cleanUp(): Promise<void> {
	await sql(`delete from screenings where note like '${MARK}%'`);
	await sql(`delete from building_claims where grid_code like '${BAIZHAOPAI}%'`);
	await sql(
		`delete from audit_log where table_name in ('responses', 'screening_rounds') and purpose like '%端到端%'`
	);
	await sql(`delete from screening_rounds where name = $1`, [ROUND]);
	await sql(
		`update responses set ended_on = null, ended_at = null, ended_by = null, end_reason = null where id = 2`
	);
	await sql(`update screening_rounds set closed_at = null, ends_on = (select started_on + 13 from responses where id = 2)
		where id = 3`);
}
test.beforeAll(cleanUp);
test.afterAll(cleanUp);

/** A page of its own for another person, guarded like the test's own. */
async function person(browser: Browser, email: string, viewport = { width: 1366, height: 850 }) {
	const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
	const page = await context.newPage();
	const check = await guard(page);
	await signIn(page, email);
	return { page, context, check };
}

/** Households of one 白招牌社区 building that nobody has screened in the drill. */
async function unscreened() {
	const [b] = await sql<{ building_id: string; households: string[] }>(
		`select h.building_id, array_agg(h.id order by h.id) as households from households h
		where h.community_code = $1 and not exists (select 1 from screenings s where s.household_id = h.id
			and s.round_id in (select id from screening_rounds where response_id = 2))
		group by h.building_id having count(*) >= 4 order by count(*) desc, h.building_id limit 1`,
		[BAIZHAOPAI]
	);
	return { building: Number(b.building_id), households: b.households.map(Number) };
}

/** Records a screening of `household` on the building page (the phone's outbox sends it when it can). */
async function record(page: Page, household: number, note: string): Promise<void> {
	const row = page.locator(`[data-household="${household}"]`);
	await row.getByTestId('record-open').click();
	const form = page.getByTestId('screening-form');
	await form.getByText('正常', { exact: true }).click();
	await form.locator('textarea[name="note"]').fill(note);
	await form.getByTestId('screening-submit').click();
}

const roundOf = async (household: number) =>
	(
		await sql<{ round_id: string }>(
			`select round_id from screenings where household_id = $1 and note like '${MARK}%'
		order by id desc limit 1`,
			[household]
		)
	)[0]?.round_id;

test('a response run today: a round opened, screenings recorded on a phone, every view of today moved, the round and the response ended', async ({
	guarded: page,
	browser
}) => {
	test.setTimeout(300_000);
	const target = await unscreened();
	const [a, b, c, d] = target.households;

	// The leader's city before anything is recorded today.
	const leader = await person(browser, ACCOUNTS.leader.email);
	await expect(leader.page.getByTestId('response-name')).toHaveText(DRILL);
	await gotoHydrated(leader.page, `/overview/${ACCOUNTS.leader.unit}`);
	const cityBefore = shownNumber(await leader.page.locator('[data-kpi="screened"]').first().innerText());
	// A new round starts its community's coverage afresh: these households leave the city's count when it opens.
	const [{ n: inDistrictRound }] = await sql<{ n: string }>(
		`select count(distinct s.household_id) n from screenings s join households h on h.id = s.household_id
		where h.community_code = $1 and s.round_id = 3 and s.outcome <> 'unreachable'`,
		[BAIZHAOPAI]
	);
	const cityAfter = cityBefore - Number(inDistrictRound) + 2;

	// The secretary opens her community's second round today.
	await signIn(page, ACCOUNTS.secretary.email);
	await expect(page.getByTestId('response-name')).toHaveText(DRILL);
	await openSection(page, 'rounds');
	await page.locator('html[data-hydrated="true"]').waitFor();
	const open = page.getByTestId('open-round');
	await open.locator('input[name="name"]').fill(ROUND);
	await open.locator('select[name="unit"]').selectOption(BAIZHAOPAI);
	await open.locator('input[name="ends_on"]').fill(day(3));
	await open.getByRole('button').click();
	const row = page.getByTestId('rounds').locator('tr', { hasText: ROUND });
	await expect(row).toHaveAttribute('data-status', 'open');
	const [{ id: roundId }] = await sql<{ id: string }>(`select id from screening_rounds where name = $1`, [
		ROUND
	]);
	await page.screenshot({ path: 'test-results/screens/rounds-secretary-desktop.png', fullPage: true });
	await gotoHydrated(page, `/map/${BAIZHAOPAI}`);
	await mapIdle(page);
	await expect(page.getByTestId('as-of-label')).toContainText(day());
	await expect(page.locator('[data-kpi="screened"]')).toHaveText('0');

	// The volunteer, on a phone: the board names today's round; one screening online, one while offline.
	const volunteer = await person(browser, ACCOUNTS.volunteer.email, PHONE);
	const v = volunteer.page;
	await gotoHydrated(v, `/board/${BAIZHAOPAI}`);
	await expect(v.getByTestId('board-round')).toContainText(ROUND);
	await gotoHydrated(v, `/board/${BAIZHAOPAI}/b/${target.building}`);
	await record(v, a, `${MARK} 在线`);
	await expect(v.getByTestId('queue-pending')).toHaveAttribute('data-count', '0');
	// The board refreshes after a sync; signal lost in the middle of that refresh sends the page to the browser's
	// offline page (SvelteKit reloads from the server when a refresh's data request fails): a known gap, see
	// docs/architecture.md. Here the signal goes once the refresh is done.
	await v.waitForLoadState('networkidle');
	await volunteer.context.setOffline(true);
	await record(v, b, `${MARK} 离线`);
	await expect(v.getByTestId('queue-pending')).toHaveAttribute('data-count', '1');
	await volunteer.context.setOffline(false);
	await expect(v.getByTestId('queue-pending')).toHaveAttribute('data-count', '0');
	expect([await roundOf(a), await roundOf(b)]).toEqual([roundId, roundId]);

	// Today's views move: the secretary's map and KPIs, the leader's overview and today's briefing.
	await page.reload();
	await mapIdle(page);
	await expect(page.locator('[data-kpi="screened"]')).toHaveText('2');
	await leader.page.reload();
	await expect(leader.page.locator('[data-kpi="screened"]').first()).toHaveText(
		cityAfter.toLocaleString('en-US')
	);
	await gotoHydrated(leader.page, `/briefing/${ACCOUNTS.leader.unit}`);
	await expect(leader.page.locator('input[name="date"]')).toHaveValue(day());
	const [download] = await Promise.all([
		leader.page.waitForEvent('download'),
		leader.page.getByTestId('briefing-xlsx').click()
	]);
	expect(download.suggestedFilename()).toContain(day());
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
	const cells: unknown[] = [];
	book.eachSheet((sheet) => sheet.eachRow((r) => r.eachCell((cell) => cells.push(cell.value))));
	expect(cells).toContain(cityAfter);

	// The secretary ends her round: the next screening counts in the drill's district-wide round instead.
	await gotoHydrated(page, `/rounds/${BAIZHAOPAI}`);
	await page.getByTestId('rounds').locator('tr', { hasText: ROUND }).getByTestId('close-round').click();
	await expect(page.getByTestId('rounds').locator('tr', { hasText: ROUND })).toHaveAttribute(
		'data-status',
		'closed'
	);
	await v.reload();
	await v.locator('html[data-hydrated="true"]').waitFor();
	await record(v, c, `${MARK} 轮次结束后`);
	await expect(v.getByTestId('queue-pending')).toHaveAttribute('data-count', '0');
	expect(await roundOf(c)).toBe('3');

	// The leader ends the drill: its rounds end with it, and the next screening is refused in Chinese.
	await gotoHydrated(leader.page, `/rounds/${ACCOUNTS.leader.unit}`);
	const drillRow = leader.page.getByTestId('responses').locator('tr', { hasText: DRILL });
	await drillRow.locator('input[name="reason"]').fill('端到端演练结束');
	await drillRow.getByTestId('end-response').click();
	await expect(leader.page.getByTestId('responses').locator('tr', { hasText: DRILL })).toContainText(
		`至 ${day()}`
	);
	await v.reload();
	await v.locator('html[data-hydrated="true"]').waitFor();
	await record(v, d, `${MARK} 响应结束后`);
	await expect(v.getByTestId('queue-failed')).toBeVisible();
	await v
		.getByTestId('queue')
		.getByRole('button', { name: /查看|展开/ })
		.first()
		.click();
	await expect(v.getByTestId('queue-item').locator('.error')).toContainText('没有进行中的摸排轮次');
	expect(await roundOf(d)).toBeUndefined();
	await gotoHydrated(v, `/board/${BAIZHAOPAI}`);
	await expect(v.getByTestId('board-no-round')).toBeVisible();
	await v.screenshot({ path: 'test-results/screens/board-no-round-phone.png', fullPage: true });
	await leader.page.screenshot({ path: 'test-results/screens/rounds-leader-desktop.png', fullPage: true });

	// The 2020 response, one click away, still shows the article's figures.
	await page.getByTestId('response-switch').locator('summary').click();
	await page.screenshot({ path: 'test-results/screens/response-switch-desktop.png' });
	await page.getByTestId('response-switch').locator('a[data-response="1"]').click();
	await page.locator('html[data-hydrated="true"]').waitFor();
	await gotoHydrated(page, `/map/${BAIZHAOPAI}?response=1`);
	await mapIdle(page);
	await expect(page.getByTestId('as-of-label')).toContainText('2020-03-15');
	await expect(page.locator('[data-kpi="households"]')).toHaveText('4,943');
	const [{ n }] = await sql<{ n: string }>(
		`select count(distinct s.household_id) n from screenings s join households h on h.id = s.household_id
		where h.community_code = $1 and s.round_id = 2 and s.outcome <> 'unreachable'`,
		[BAIZHAOPAI]
	);
	await expect(page.locator('[data-kpi="screened"]')).toHaveText(Number(n).toLocaleString('en-US'));

	volunteer.check();
	leader.check();
	await volunteer.context.close();
	await leader.context.close();
});
