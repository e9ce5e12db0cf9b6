/**
 * The 白招牌社区 secretary imports special-group residents on a phone (issue #5): from the import page's
 * residents tab, a register with bad rows gets its row-by-row report and writes nothing; the corrected file
 * is checked, lands once (counted in the database), changes nothing the second time, and its residents are on
 * the care screen. The template downloads with the headers the mapping step recognises. Residents written
 * here are named 端测… and removed before and after.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { idNumberCheckChar } from '../../src/lib/domain/care';
import { ACCOUNTS, expect, gotoHydrated, signIn, sql, test } from './fixtures';

const BAIZHAOPAI = ACCOUNTS.secretary.unit;
const PHONE = { width: 390, height: 844 };
const NAME = '端测';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADERS = [
	'序号',
	'楼栋',
	'房号',
	'姓名',
	'性别',
	'出生年份',
	'身份证号',
	'联系电话',
	'特殊群体',
	'需求',
	'隔离截止',
	'备注'
];

/** A valid ID number from 江阳区 (510502) for a birth date YYYYMMDD; odd `seq`: a man. */
function idNumber(birth: string, seq: number): string {
	const first17 = `510502${birth}${String(seq).padStart(3, '0')}`;
	return first17 + idNumberCheckChar(first17);
}

/** An .xlsx register: a title row, Chinese headers, then the rows. */
async function register(rows: (string | number | null)[][]): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('特殊群体');
	ws.addRow(['白招牌社区特殊群体居民台账']);
	ws.addRow(HEADERS);
	rows.forEach((r, i) => ws.addRow([i + 1, ...r]));
	return Buffer.from(await wb.xlsx.writeBuffer());
}

const residentCount = async () =>
	(
		await sql<{ n: number }>(
			`select count(*)::int as n from residents where grid_code >= $1 and grid_code < $1 || ':'`,
			[BAIZHAOPAI]
		)
	)[0].n;

test.describe('special-group resident import on a phone', () => {
	test.use({ viewport: PHONE });
	const cleanUp = () => sql(`delete from residents where name like '${NAME}%'`);
	test.beforeEach(async () => {
		await cleanUp();
	});
	test.afterEach(async () => {
		await cleanUp();
	});

	test('a register with bad rows gets a report by row and writes nothing; a good one lands once', async ({
		guarded: page
	}) => {
		const homes = await sql<{ building: string; room: string; grid_code: string }>(
			`select b.name as building, h.room, h.grid_code from households h join buildings b on b.id = h.building_id
			 where h.community_code = $1
				and (select count(*) from buildings o where o.community_code = $1 and o.name = b.name) = 1
			 order by h.id limit 2`,
			[BAIZHAOPAI]
		);
		const [a, b] = homes;
		const elder = idNumber('19380612', 911);
		const good: (string | number | null)[][] = [
			[
				a.building,
				a.room,
				`${NAME}甲`,
				null,
				null,
				elder,
				13800138011,
				'独居老人、慢性病患者',
				'每日电话问候',
				null,
				null
			],
			[
				b.building,
				b.room,
				`${NAME}乙`,
				'女',
				1988,
				null,
				null,
				'居家隔离',
				'代购食品/代购药品',
				'2020-02-14',
				'返乡'
			]
		];
		const wrongCheck = elder.slice(0, 17) + (elder[17] === '0' ? '1' : '0');
		const bad = [
			...good,
			[a.building, a.room, `${NAME}丙`, '男', 1950, wrongCheck, 12345, '残疾人', null, null, null], // row 5
			['不存在的楼', a.room, `${NAME}丁`, null, null, null, null, '外星人', null, null, null], // row 6
			[b.building, '没有这户', `${NAME}戊`, null, null, null, null, '独居老人', null, null, null], // row 7
			[b.building, b.room, `${NAME}乙`, '女', 1988, null, null, '孕产妇', null, null, null] // row 8: row 4 again
		];
		const before = await residentCount();

		await signIn(page, ACCOUNTS.secretary.email);
		await gotoHydrated(page, `/grids/${BAIZHAOPAI}/import`);
		await page.locator('a[data-kind="residents"]').click();
		await expect(page).toHaveURL(`/grids/${BAIZHAOPAI}/import/residents`);
		await expect(page.getByRole('heading', { level: 1 })).toContainText('特殊群体居民导入');
		await expect(page.getByTestId('vocabulary')).toContainText('独居老人');

		const file = page.locator('input[type="file"][name="file"]');
		await file.setInputFiles({ name: '特殊群体.xlsx', mimeType: XLSX, buffer: await register(bad) });
		await page.getByRole('button', { name: '读取文件' }).click();
		// the mapping is guessed from the Chinese headers (the first column is 序号)
		await expect(page.getByTestId('mapping')).toBeVisible();
		await expect(page.locator('select[data-field="name"]')).toHaveValue('3');
		await expect(page.locator('select[data-field="id_number"]')).toHaveValue('6');
		await expect(page.locator('select[data-field="special_groups"]')).toHaveValue('8');
		await page.getByTestId('check').click();

		const report = page.getByTestId('error-report');
		await expect(report).toBeVisible();
		const row = (n: number) => report.locator(`tr[data-row="${n}"]`);
		await expect(row(5)).toHaveCount(2);
		await expect(row(5).first()).toContainText('身份证号不对');
		await expect(row(5).last()).toContainText('电话号码格式不对：12345');
		await expect(row(6)).toHaveCount(2);
		await expect(row(6).first()).toContainText('楼栋「不存在的楼」不在本社区');
		await expect(row(6).last()).toContainText('特殊群体「外星人」无法识别');
		await expect(row(7)).toContainText(`${b.building} 没有这户 没有登记住户`);
		await expect(row(8)).toContainText('与第 4 行重复（同一住户同一姓名）');
		await expect(report.locator('tbody tr')).toHaveCount(6);
		await expect(report).toContainText('没有写入任何数据');
		await page.screenshot({ path: 'test-results/screens/resident-import-phone-errors.png', fullPage: true });
		expect(await residentCount()).toBe(before);

		// the corrected file: checked, imported once, then the same file again changes nothing
		await file.setInputFiles({ name: '特殊群体.xlsx', mimeType: XLSX, buffer: await register(good) });
		await page.getByTestId('check').click();
		const result = page.getByTestId('import-result');
		await expect(result).toHaveAttribute('data-step', 'checked');
		await expect(result).toContainText('将新增 2 人，更新 0 人，0 人不变');
		expect(await residentCount()).toBe(before);
		await page.getByTestId('import').click();
		await expect(result).toHaveAttribute('data-step', 'imported');
		await expect(result).toContainText('导入完成：新增 2 人');
		expect(await residentCount()).toBe(before + 2);
		const stored = await sql(
			`select r.name, r.gender, r.birth_year, r.id_number, r.phone, r.special_groups, r.needs,
				r.isolation_until::text as isolation_until, r.note, r.grid_code, b.name as building, h.room
			 from residents r join households h on h.id = r.household_id join buildings b on b.id = h.building_id
			 where r.name like '${NAME}%' order by r.name`
		);
		expect(stored).toEqual([
			{
				name: `${NAME}乙`,
				gender: 'female',
				birth_year: 1988,
				id_number: null,
				phone: null,
				special_groups: ['home_isolated'],
				needs: ['food', 'medicine'],
				isolation_until: '2020-02-14',
				note: '返乡',
				grid_code: b.grid_code,
				building: b.building,
				room: b.room
			},
			{
				name: `${NAME}甲`,
				gender: 'male', // from the ID number
				birth_year: 1938,
				id_number: elder,
				phone: '13800138011',
				special_groups: ['elderly_alone', 'chronic_illness'],
				needs: ['daily_call'],
				isolation_until: null,
				note: null,
				grid_code: a.grid_code,
				building: a.building,
				room: a.room
			}
		]);
		await page.screenshot({ path: 'test-results/screens/resident-import-phone-done.png', fullPage: true });

		await page.getByTestId('check').click();
		await expect(result).toHaveAttribute('data-step', 'checked');
		await expect(result).toContainText('将新增 0 人，更新 0 人，2 人不变');
		await page.getByTestId('import').click();
		await expect(result).toHaveAttribute('data-step', 'imported');
		await expect(result).toContainText('导入完成：新增 0 人，更新 0 人，2 人不变');
		expect(await residentCount()).toBe(before + 2);

		// the care screen lists them (newest first), masked
		await page.goto(`/care/${BAIZHAOPAI}`);
		const list = page.getByTestId('resident-list');
		const elderItem = list.locator('li', { hasText: `${NAME}甲` });
		await expect(elderItem).toContainText('独居老人');
		await expect(elderItem).toContainText('慢性病患者');
		await expect(elderItem).toContainText('每日电话问候');
		await expect(elderItem.getByTestId('phone')).toContainText('138****8011');
		await expect(list.locator('li', { hasText: `${NAME}乙` })).toContainText('居家隔离');
		await page.screenshot({ path: 'test-results/screens/resident-import-phone-care.png' });
	});
});

test.describe('special-group resident import on a desktop', () => {
	test('the template downloads with the headers the mapping step recognises', async ({ guarded: page }) => {
		await signIn(page, ACCOUNTS.secretary.email);
		await gotoHydrated(page, `/grids/${BAIZHAOPAI}/import/residents`);
		await page.screenshot({ path: 'test-results/screens/resident-import-desktop.png' });
		const waiting = page.waitForEvent('download');
		await page.getByTestId('template').click();
		const download = await waiting;
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
		expect(download.suggestedFilename()).toBe('特殊群体居民导入模板.xlsx');
		const [sheet, notes] = wb.worksheets;
		expect(sheet.name).toBe('特殊群体居民');
		expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
			'楼栋',
			'房号',
			'姓名',
			'性别',
			'出生年份',
			'身份证号',
			'联系电话',
			'特殊群体',
			'需求',
			'隔离截止',
			'备注'
		]);
		expect(notes.getCell('C9').text).toContain('独居老人');
	});

	test('the households tab still reads and checks its own kind of file (a CSV), writing nothing', async ({
		guarded: page
	}) => {
		const [home] = await sql<{ building: string }>(
			`select name as building from buildings where community_code = $1 order by id limit 1`,
			[BAIZHAOPAI]
		);
		const households = async () =>
			(
				await sql<{ n: number }>(`select count(*)::int as n from households where community_code = $1`, [
					BAIZHAOPAI
				])
			)[0].n;
		const before = await households();
		await signIn(page, ACCOUNTS.secretary.email);
		await gotoHydrated(page, `/grids/${BAIZHAOPAI}/import/residents`);
		await page.locator('a[data-kind="households"]').click();
		await expect(page).toHaveURL(`/grids/${BAIZHAOPAI}/import`);
		const csv = `\uFEFF楼栋,门牌号,户主姓名,联系电话,人数\r\n${home.building},端测-1单元101,端测户主,13800138012,2\r\n`;
		await page
			.locator('input[type="file"][name="file"]')
			.setInputFiles({ name: '住户.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
		await page.getByRole('button', { name: '读取文件' }).click();
		await expect(page.locator('select[data-field="head_name"]')).toHaveValue('2');
		await page.getByTestId('check').click();
		await expect(page.getByTestId('import-result')).toContainText('将新增 1 户，更新 0 户，0 户不变');
		expect(await households()).toBe(before);
	});
});
