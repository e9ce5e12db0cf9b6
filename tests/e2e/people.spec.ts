/**
 * People (issue #16), two people in Chromium: the 南城街道 commander creates an account for a new secretary of
 * 白招牌社区 on the people screen and reads its one-time password once; the secretary signs in with it, is sent to
 * choose her own password first and then lands on her community; the commander deactivates her, and her open
 * session is refused at once; reactivated, she signs in again with the password she chose.
 */
import { ACCOUNTS, expect, guard, signIn, sql, test } from './fixtures';

const EMAIL = 'e2e-new-secretary@baizhaopai.test';
const NAME = '端到端新书记';
const OWN = 'my-own-pass-2026';

async function cleanUp(): Promise<void> {
	await sql(
		`delete from audit_log where action = 'member' and detail ->> 'member' in
		(select id::text from auth.users where email = $1)`,
		[EMAIL]
	);
	await sql(`delete from auth.users where email = $1`, [EMAIL]);
}
test.beforeAll(cleanUp);
test.afterAll(cleanUp);

test('a commander makes, deactivates and reactivates a secretary’s account', async ({ browser }) => {
	const commanderContext = await browser.newContext();
	const commander = await commanderContext.newPage();
	const checkCommander = await guard(commander);
	await signIn(commander, ACCOUNTS.commander.email);
	await commander.goto(`/people/${ACCOUNTS.commander.unit}`);
	await commander.locator('html[data-hydrated="true"]').waitFor();

	const create = commander.getByTestId('create-person');
	await create.getByLabel('姓名').fill(NAME);
	await create.getByLabel('登录邮箱').fill(EMAIL);
	await create.getByLabel('角色').selectOption('secretary');
	await create.getByLabel('单位').selectOption(ACCOUNTS.secretary.unit);
	await create.getByRole('button', { name: '建立账号' }).click();
	const secret = commander.getByTestId('one-time-password');
	await expect(secret).toContainText('一次性密码');
	const oneTime = (await secret.locator('strong').textContent())!.trim();
	expect(oneTime).toMatch(/^[A-Za-z2-9]{12}$/);
	const row = commander.getByTestId('person').filter({ hasText: NAME });
	await expect(row).toContainText('白招牌社区');
	await expect(row).toContainText('在用');
	await commander.screenshot({ path: 'test-results/screens/people-commander-desktop.png', fullPage: true });

	// The new secretary signs in with the one-time password and must choose her own first.
	const secretaryContext = await browser.newContext();
	const secretary = await secretaryContext.newPage();
	const checkSecretary = await guard(secretary);
	await signIn(secretary, EMAIL, oneTime);
	await expect(secretary).toHaveURL(/\/account\/password$/);
	await secretary.goto(`/map/${ACCOUNTS.secretary.unit}`);
	await expect(secretary).toHaveURL(/\/account\/password$/);
	await secretary.locator('html[data-hydrated="true"]').waitFor();
	await secretary.setViewportSize({ width: 390, height: 844 });
	await secretary.screenshot({ path: 'test-results/screens/password-phone.png', fullPage: true });
	await secretary.getByLabel('新密码').fill('short');
	await secretary.getByLabel('再输一次').fill('short');
	await secretary.getByRole('button', { name: '保存新密码' }).click();
	// the browser's own minlength stops it; a longer mismatch reaches the server
	await secretary.getByLabel('新密码').fill(OWN);
	await secretary.getByLabel('再输一次').fill(OWN + 'x');
	await secretary.getByRole('button', { name: '保存新密码' }).click();
	await expect(secretary.getByRole('alert')).toHaveText('两次输入的密码不一样');
	await secretary.getByLabel('新密码').fill(OWN);
	await secretary.getByLabel('再输一次').fill(OWN);
	await secretary.getByRole('button', { name: '保存新密码' }).click();
	await expect(secretary).toHaveURL(new RegExp(`/map/${ACCOUNTS.secretary.unit}`));

	// Deactivated: her open session reads nothing from the next request on.
	await commander.reload();
	await commander.locator('html[data-hydrated="true"]').waitFor();
	const again = commander.getByTestId('person').filter({ hasText: NAME });
	await again.getByPlaceholder('原因').fill('手机丢失');
	await again.getByRole('button', { name: '停用' }).click();
	await expect(commander.getByTestId('person').filter({ hasText: NAME })).toContainText('已停用');
	await secretary.goto(`/map/${ACCOUNTS.secretary.unit}`);
	await expect(secretary).toHaveURL(/\/login/);
	const rows = await sql<{ n: number }>(
		`select count(*)::int n from audit_log where action = 'member' and purpose = '停用账号'
			and detail ->> 'member' = (select id::text from auth.users where email = $1)`,
		[EMAIL]
	);
	expect(rows[0].n).toBe(1);

	// Reactivated: she signs in with the password she chose.
	const back = commander.getByTestId('person').filter({ hasText: NAME });
	await back.getByPlaceholder('原因').fill('找回手机');
	await back.getByRole('button', { name: '启用' }).click();
	await expect(commander.getByTestId('person').filter({ hasText: NAME })).toContainText('在用');
	const fresh = await browser.newContext();
	const page = await fresh.newPage();
	const checkFresh = await guard(page);
	await signIn(page, EMAIL, OWN);
	await expect(page).toHaveURL(new RegExp(`/map/${ACCOUNTS.secretary.unit}`));

	checkCommander();
	checkSecretary();
	checkFresh();
	await Promise.all([commanderContext.close(), secretaryContext.close(), fresh.close()]);
});
