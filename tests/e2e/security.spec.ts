/**
 * Audited downloads as POSTs (issue #19, item 6), in the built app: the roster export and the briefing's
 * downloads write audit rows, so they answer POSTs from the app's own forms only: a GET (a link or image on any
 * site) is 405, a POST from another site 403, and neither writes.
 */
import { ACCOUNTS, expect, gotoHydrated, signIn, sql, test } from './fixtures';

const NANCHENG = ACCOUNTS.commander.unit;
const CITY = ACCOUNTS.leader.unit;

test('audited downloads answer the app’s own form posts only: a link or another site’s post writes nothing', async ({
	guarded: page
}) => {
	const exports = async (table: string) =>
		(
			await sql<{ n: number }>(
				`select count(*)::int n from audit_log where action = 'export' and table_name = $1`,
				[table]
			)
		)[0].n;
	await signIn(page, ACCOUNTS.commander.email);
	const roster = `/roster/${NANCHENG}/export?day=2020-03-14`;
	const before = await exports('shifts');
	expect((await page.request.get(roster)).status()).toBe(405);
	const crossSite = await page.request.post(roster, {
		headers: { origin: 'http://elsewhere.example', 'content-type': 'application/x-www-form-urlencoded' },
		data: ''
	});
	expect(crossSite.status()).toBe(403);
	expect(await exports('shifts')).toBe(before);
	// The roster screen's button posts the form, and the browser downloads the workbook.
	await gotoHydrated(page, `/roster/${NANCHENG}?day=2020-03-14`);
	const download = page.waitForEvent('download');
	await page.getByTestId('export').click();
	expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
	expect(await exports('shifts')).toBe(before + 1);

	await page.context().clearCookies();
	await signIn(page, ACCOUNTS.leader.email);
	const briefings = await exports('briefing');
	for (const kind of ['pdf', 'xlsx'])
		expect((await page.request.get(`/briefing/${CITY}/${kind}?date=2020-02-10`)).status(), kind).toBe(405);
	expect(await exports('briefing')).toBe(briefings);
	await gotoHydrated(page, `/briefing/${CITY}?date=2020-02-10`);
	const xlsx = page.waitForEvent('download');
	await page.getByTestId('briefing-xlsx').click();
	expect((await xlsx).suggestedFilename()).toBe('泸州市疫情防控日报-2020-02-10.xlsx');
	const [row] = await sql<{ unit_code: string; detail: unknown }>(
		`select unit_code, detail from audit_log where action = 'export' and table_name = 'briefing' order by id desc limit 1`
	);
	expect(row).toEqual({ unit_code: CITY, detail: { as_of: '2020-02-10', format: 'xlsx' } });
	expect(await exports('briefing')).toBe(briefings + 1);
});
