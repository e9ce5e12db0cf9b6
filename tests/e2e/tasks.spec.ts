/**
 * A volunteer's tasks on a phone (issue #5): a service request the community assigned to the demo volunteer is
 * on their task page with the address and a masked name, started and marked done there, and the secretary's care
 * screen shows it done.
 */
import { ACCOUNTS, expect, gotoHydrated, signIn, sql, test } from './fixtures';

const PHONE = { width: 390, height: 844 };
const DETAIL = '端到端任务：代购降压药';

test.afterEach(async () => {
	await sql(`delete from service_requests where detail = $1`, [DETAIL]);
});

test('on a phone: the volunteer finds an assigned request, starts it and marks it done; the secretary sees it', async ({
	guarded: page
}) => {
	await sql(`delete from service_requests where detail = $1`, [DETAIL]);
	const [req] = await sql<{ id: string; name: string; building: string; room: string }>(
		`insert into service_requests (resident_id, grid_code, kind, status, detail, due_at, assigned_volunteer_id)
		select r.id, '', 'medicine', 'assigned', $1, now() - interval '1 hour', m.volunteer_id
		from residents r, memberships m join auth.users u on u.id = m.user_id
		where u.email = $2 and r.grid_code like $3 || '%'
		order by r.id limit 1
		returning id, (select name from residents where id = resident_id) as name,
			(select b.name from residents x join households h on h.id = x.household_id
				join buildings b on b.id = h.building_id where x.id = resident_id) as building,
			(select h.room from residents x join households h on h.id = x.household_id where x.id = resident_id) as room`,
		[DETAIL, ACCOUNTS.volunteer.email, ACCOUNTS.volunteer.unit]
	);

	await page.setViewportSize(PHONE);
	await signIn(page, ACCOUNTS.volunteer.email);
	await page.getByRole('link', { name: '我的任务' }).click();
	await page.waitForURL(`**/tasks/${ACCOUNTS.volunteer.unit}`);
	await page.locator('html[data-hydrated="true"]').waitFor();
	const card = page.locator(`[data-request="${req.id}"]`);
	await expect(card).toHaveAttribute('data-status', 'assigned');
	await expect(card).toContainText(DETAIL);
	await expect(card).toContainText(`${req.name.slice(0, 1)}${'*'.repeat(req.name.length - 1)}`);
	await expect(card).toContainText(`${req.building} ${req.room}`);
	await expect(card).not.toContainText(req.name);
	// Due an hour ago: it stands out.
	await expect(card).toHaveClass(/overdue/);
	await expect(card).toContainText('逾期');
	await page.screenshot({ path: 'test-results/screens/volunteer-tasks-phone.png', fullPage: true });

	await card.getByTestId('task-start').click();
	await expect(page.getByTestId('task-message')).toHaveText('已开始服务');
	await expect(card).toHaveAttribute('data-status', 'in_progress');
	expect(
		(await sql<{ status: string }>(`select status from service_requests where id = $1`, [req.id]))[0]
	).toEqual({
		status: 'in_progress'
	});
	await card.getByTestId('task-done').click();
	await expect(page.getByTestId('task-message')).toHaveText('已标记完成，社区可以看到');
	const [done] = await sql<{ status: string; done: boolean }>(
		`select status, done_at is not null as done from service_requests where id = $1`,
		[req.id]
	);
	expect(done).toEqual({ status: 'done', done: true });
	// Now among the recently closed, without buttons.
	await expect(page.locator(`[data-request="${req.id}"][data-status="done"]`)).toBeVisible();
	await expect(page.locator(`[data-request="${req.id}"] button`)).toHaveCount(0);

	// Another volunteer's page is not theirs to open.
	const refused = await page.goto(`/tasks/${ACCOUNTS.secretary.unit.slice(0, 9)}`);
	expect(refused?.status()).toBe(403);

	await page.context().clearCookies();
	await signIn(page, ACCOUNTS.secretary.email);
	await gotoHydrated(page, `/care/${ACCOUNTS.secretary.unit}?view=requests`);
	const row = page.locator(`li[data-request="${req.id}"]`);
	await expect(row).toHaveAttribute('data-status', 'done');
	await expect(row).toContainText('已完成');
});
