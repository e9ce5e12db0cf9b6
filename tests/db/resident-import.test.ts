/**
 * Special-group residents imported into 白招牌社区 (public.import_residents, issue #5) through supabase-js as each
 * demo role: a file with bad rows is reported row by row and writes nothing, a good one lands whole, the same
 * file twice changes nothing (no new rows, no row touched, no audit entry), a changed row updates its
 * resident, and only the community's secretary and its street's commander may import.
 *
 * Every resident written here is named 导测… and removed before and after (their requests go with them).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '$lib/domain/care';
import type { ResidentRow } from '$lib/domain/resident-import';
import { DEMO, signedIn } from './clients';
import { stack } from './stack-env';

const BAIZHAOPAI = '510502001006';
const NAME = '导测';

let db: pg.Client;
const users = {} as Record<keyof typeof DEMO, SupabaseClient>;
/** Households of the community in two different grids, with their building names. */
let homes: { id: number; building: string; room: string; grid_code: string }[];

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
	return (await db.query(sql, params)).rows as T[];
}
async function count(sql: string, params: unknown[] = []): Promise<number> {
	return Number((await rows<{ n: string }>(sql, params))[0].n);
}

const cleanUp = () => db.query(`delete from residents where name like $1`, [`${NAME}%`]);
const residentCount = () =>
	count(`select count(*) as n from residents where grid_code >= $1 and grid_code < $1 || ':'`, [BAIZHAOPAI]);
const auditCount = () => count(`select count(*) as n from audit_log`);

/** A valid ID number of a person registered in 江阳区 (510502), born on `birth` (YYYYMMDD); odd `seq`: a man. */
function idNumber(birth: string, seq: number): string {
	const first17 = `510502${birth}${String(seq).padStart(3, '0')}`;
	return first17 + idNumberCheckChar(first17);
}

/** A good file: six residents over the first households, with and without ID numbers. */
function goodRows(): ResidentRow[] {
	const at = (i: number) => ({ building: homes[i].building, room: homes[i].room });
	return [
		{
			row: 3,
			...at(0),
			name: `${NAME}甲`,
			gender: '',
			birth_year: '',
			id_number: idNumber('19400312', 901), // a man born in 1940: both taken from the number
			phone: '13800138001',
			special_groups: ['elderly_alone', 'chronic_illness'],
			needs: ['daily_call', 'medicine'],
			isolation_until: '',
			note: '子女在外地'
		},
		{
			row: 4,
			...at(0),
			name: `${NAME}乙`,
			gender: 'female',
			birth_year: '1990',
			id_number: idNumber('19900507', 902),
			phone: '',
			special_groups: ['pregnant'],
			needs: [],
			isolation_until: '',
			note: ''
		},
		{
			row: 5,
			...at(1),
			name: `${NAME}丙`,
			gender: 'male',
			birth_year: '1975',
			id_number: '',
			phone: '0830-1234567',
			special_groups: ['home_isolated'],
			needs: ['food'],
			isolation_until: '2020-02-14',
			note: ''
		},
		{
			row: 6,
			...at(1),
			name: `${NAME}丁`,
			gender: '',
			birth_year: '',
			id_number: '',
			phone: '',
			special_groups: ['disabled', 'severely_disabled'],
			needs: ['medical_visit', 'supplies'],
			isolation_until: '',
			note: ''
		},
		{
			row: 7,
			...at(2),
			name: `${NAME}戊`,
			gender: '男',
			birth_year: '2012',
			id_number: idNumber('20120101', 903),
			phone: '',
			special_groups: ['left_behind_child'],
			needs: [],
			isolation_until: '',
			note: ''
		},
		{
			row: 8,
			...at(2),
			name: `${NAME}己`,
			gender: '',
			birth_year: '1962',
			id_number: '',
			phone: '13900139002',
			special_groups: ['low_income'],
			needs: ['supplies'],
			isolation_until: '',
			note: ''
		}
	];
}

async function importRows(who: SupabaseClient, body: unknown[], dryRun = false) {
	const { data, error } = await who.rpc('import_residents', {
		p_community: BAIZHAOPAI,
		p_rows: body,
		p_dry_run: dryRun
	});
	return { data: data as Record<string, unknown> | null, error };
}

interface Written {
	id: string;
	version: string;
	household_id: string;
	grid_code: string;
	name: string;
	gender: string | null;
	birth_year: number | null;
	id_number: string | null;
	phone: string | null;
	special_groups: string[];
	needs: string[];
	isolation_until: string | null;
	note: string | null;
}
/** The test residents as stored, with each row's version (xmin changes whenever a row is written). */
const written = () =>
	rows<Written>(
		`select id::text, xmin::text as version, household_id::text, grid_code, name, gender, birth_year, id_number,
			phone, special_groups, needs, isolation_until::text, note
		 from residents where name like $1 order by name`,
		[`${NAME}%`]
	);

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	await cleanUp();
	for (const [k, email] of Object.entries(DEMO)) users[k as keyof typeof DEMO] = await signedIn(email);
	// three households in at least two grids, in buildings whose names are unique in the community
	homes = await rows(
		`select * from (
			select distinct on (h.grid_code) h.id::int, b.name as building, h.room, h.grid_code
			from households h join buildings b on b.id = h.building_id
			where h.community_code = $1
				and (select count(*) from buildings o where o.community_code = $1 and o.name = b.name) = 1
			order by h.grid_code, h.id
		) g order by grid_code limit 3`,
		[BAIZHAOPAI]
	);
	expect(new Set(homes.map((h) => h.grid_code)).size).toBe(3);
});

afterAll(async () => {
	if (db) await cleanUp();
	await db?.end();
});

describe('resident import', () => {
	it('reports every bad row with its row number, field and reason, and writes nothing', async () => {
		const before = await residentCount();
		const good = goodRows();
		const valid = idNumber('19900507', 904);
		const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
		const body: ResidentRow[] = [
			...good,
			// row 9: check character wrong, phone too short, an unknown group beside a known one
			{
				...good[1],
				row: 9,
				name: `${NAME}庚`,
				id_number: wrongCheck,
				phone: '12345',
				special_groups: ['pregnant', '外星人']
			},
			// row 10: a building the community does not have; an unknown need; a date that is not one
			{
				...good[3],
				row: 10,
				name: `${NAME}辛`,
				building: '不存在的楼',
				needs: ['food', '按摩'],
				isolation_until: '2020-02-30'
			},
			// row 11: a room with no household; no groups; a gender that is neither
			{ ...good[3], row: 11, name: `${NAME}壬`, room: '测试999', special_groups: [], gender: '未知' },
			// row 12: the ID number of row 3 again; gender and birth year against the number
			{ ...good[0], row: 12, name: `${NAME}癸`, gender: 'female', birth_year: '1941' },
			// row 13: row 6's household and name again, neither with an ID number
			{ ...good[3], row: 13 },
			// row 14: no name, a birth year in the future, a note too long
			{ ...good[5], row: 14, name: '', birth_year: '2999', note: '长'.repeat(501) }
		];
		const { data, error } = await importRows(users.secretary, body);
		expect(error).toBeNull();
		const year = new Date().getFullYear();
		expect(data).toEqual({
			ok: false,
			errors: [
				{ row: 9, field: 'id_number', message: '身份证号不对（18 位，末位为校验码，可为 X）' },
				{ row: 9, field: 'phone', message: '电话号码格式不对：12345' },
				{ row: 9, field: 'special_groups', message: '特殊群体「外星人」无法识别' },
				{ row: 10, field: 'building', message: '楼栋「不存在的楼」不在本社区' },
				{ row: 10, field: 'needs', message: '需求「按摩」无法识别' },
				{ row: 10, field: 'isolation_until', message: '隔离截止日期格式不对：2020-02-30（如 2020-02-14）' },
				{ row: 11, field: 'room', message: `${homes[1].building} 测试999 没有登记住户，请先导入住户` },
				{ row: 11, field: 'gender', message: '性别「未知」无法识别，请填“男”或“女”' },
				{ row: 11, field: 'special_groups', message: '缺少特殊群体' },
				{ row: 12, field: 'gender', message: '性别与身份证号不符' },
				{ row: 12, field: 'birth_year', message: '出生年份与身份证号不符' },
				{ row: 12, field: 'id_number', message: '与第 3 行重复（同一身份证号）' },
				{ row: 13, field: 'name', message: '与第 6 行重复（同一住户同一姓名）' },
				{ row: 14, field: 'name', message: '缺少姓名' },
				{ row: 14, field: 'birth_year', message: `出生年份须为 1900 到 ${year} 的四位数：2999` },
				{ row: 14, field: 'note', message: '备注不能超过 500 个字' }
			]
		});
		expect(await residentCount()).toBe(before);
	});

	it('checks without writing, imports every row, and the same file again touches nothing', async () => {
		const body = goodRows();
		const before = await residentCount();
		const audits = await auditCount();
		const dry = await importRows(users.secretary, body, true);
		expect(dry.data).toEqual({ ok: true, dry_run: true, inserted: 6, updated: 0, unchanged: 0 });
		expect(await residentCount()).toBe(before);

		const first = await importRows(users.secretary, body);
		expect(first.data).toEqual({ ok: true, dry_run: false, inserted: 6, updated: 0, unchanged: 0 });
		expect(await residentCount()).toBe(before + 6);
		const stored = await written();
		const byName = new Map(stored.map((r) => [r.name, r]));
		// each in the household of its building and room, in that household's grid
		for (const r of body) {
			const home = homes.find((h) => h.building === r.building && h.room === r.room)!;
			expect(byName.get(r.name), r.name).toMatchObject({
				household_id: String(home.id),
				grid_code: home.grid_code
			});
		}
		expect(byName.get(`${NAME}甲`)).toMatchObject({
			gender: 'male', // the 17th digit of …901 is odd
			birth_year: 1940,
			id_number: body[0].id_number,
			phone: '13800138001',
			special_groups: ['elderly_alone', 'chronic_illness'],
			needs: ['daily_call', 'medicine'],
			isolation_until: null,
			note: '子女在外地'
		});
		expect(byName.get(`${NAME}丙`)).toMatchObject({
			gender: 'male',
			birth_year: 1975,
			id_number: null,
			phone: '0830-1234567',
			isolation_until: '2020-02-14',
			note: null
		});
		expect(byName.get(`${NAME}丁`)).toMatchObject({ gender: null, birth_year: null, phone: null });

		const again = await importRows(users.secretary, body);
		expect(again.data).toEqual({ ok: true, dry_run: false, inserted: 0, updated: 0, unchanged: 6 });
		// not a row written again (same versions), and no audit entry
		expect(await written()).toEqual(stored);
		expect(await residentCount()).toBe(before + 6);
		expect(await auditCount()).toBe(audits);

		// groups and needs compare as sets; a sheet without a column leaves that field alone
		const reordered = body.map((r) => ({
			...r,
			special_groups: [...r.special_groups].reverse(),
			needs: r.needs ? [...r.needs].reverse() : []
		}));
		for (const r of reordered) {
			delete r.phone;
			delete r.note;
		}
		const third = await importRows(users.secretary, reordered);
		expect(third.data).toEqual({ ok: true, dry_run: false, inserted: 0, updated: 0, unchanged: 6 });
		expect(await written()).toEqual(stored);
	});

	it('updates only the rows that changed, and finds a resident by ID number or by household and name', async () => {
		const body = goodRows();
		const before = await written();
		body[0] = { ...body[0], phone: '13700137001', name: `${NAME}甲改` }; // found by ID number: renamed
		body[3] = { ...body[3], needs: [] }; // found by household and name: needs cleared
		body[5] = { ...body[5], id_number: idNumber('19620101', 906) }; // given an ID number at last
		const dry = await importRows(users.secretary, body, true);
		expect(dry.data).toEqual({ ok: true, dry_run: true, inserted: 0, updated: 3, unchanged: 3 });
		const { data } = await importRows(users.secretary, body);
		expect(data).toEqual({ ok: true, dry_run: false, inserted: 0, updated: 3, unchanged: 3 });
		const after = await written();
		expect(after).toHaveLength(6);
		const was = new Map(before.map((r) => [r.id, r]));
		const changed = after.filter((r) => r.version !== was.get(r.id)!.version).map((r) => r.name);
		expect(changed.sort()).toEqual([`${NAME}甲改`, `${NAME}丁`, `${NAME}己`].sort());
		const byName = new Map(after.map((r) => [r.name, r]));
		expect(byName.get(`${NAME}甲改`)).toMatchObject({ id: before.find((r) => r.name === `${NAME}甲`)!.id });
		expect(byName.get(`${NAME}甲改`)!.phone).toBe('13700137001');
		expect(byName.get(`${NAME}丁`)!.needs).toEqual([]);
		expect(byName.get(`${NAME}己`)).toMatchObject({ id_number: body[5].id_number, birth_year: 1962 });
		// an empty ID number cell never clears one on record
		body[5] = { ...body[5], id_number: '' };
		expect((await importRows(users.secretary, body)).data).toMatchObject({ updated: 0, unchanged: 6 });
		expect((await written()).find((r) => r.name === `${NAME}己`)!.id_number).toBe(
			byName.get(`${NAME}己`)!.id_number
		);
	});

	it('moves a resident to another household, with their service requests, into its grid', async () => {
		const body = goodRows();
		await importRows(users.secretary, body);
		const [resident] = await rows<{ id: string }>(`select id::text from residents where name = $1`, [
			`${NAME}戊`
		]);
		await db.query(
			`insert into service_requests (resident_id, grid_code, kind, detail) values ($1, $2, 'food', '导测请求')`,
			[resident.id, homes[2].grid_code]
		);
		body[4] = { ...body[4], building: homes[0].building, room: homes[0].room };
		expect((await importRows(users.secretary, body)).data).toMatchObject({ updated: 1, unchanged: 5 });
		const [moved] = await rows<{ household_id: number; grid_code: string; request_grid: string }>(
			`select r.household_id::int, r.grid_code, s.grid_code as request_grid
			 from residents r join service_requests s on s.resident_id = r.id where r.id = $1`,
			[resident.id]
		);
		expect(moved).toEqual({
			household_id: homes[0].id,
			grid_code: homes[0].grid_code,
			request_grid: homes[0].grid_code
		});
	});

	it('reports a resident it cannot tell apart rather than guessing', async () => {
		await db.query(
			`insert into residents (household_id, grid_code, name, special_groups)
			 values ($1, $2, $3, '{elderly_alone}'), ($1, $2, $3, '{disabled}')`,
			[homes[1].id, homes[1].grid_code, `${NAME}重名`]
		);
		const row: ResidentRow = {
			row: 2,
			building: homes[1].building,
			room: homes[1].room,
			name: `${NAME}重名`,
			special_groups: ['elderly_alone']
		};
		expect((await importRows(users.secretary, [row])).data).toEqual({
			ok: false,
			errors: [{ row: 2, field: 'name', message: `该住户有 2 位居民名叫「${NAME}重名」，请填写身份证号区分` }]
		});
		// two rows that are one resident on record: one by ID number (renaming them), one by household and name
		const [first] = goodRows();
		expect((await importRows(users.secretary, [first])).error).toBeNull();
		const twice = [
			{ ...first, name: `${NAME}甲改` },
			{ ...first, row: 20, id_number: '', gender: 'male', birth_year: '1940' }
		];
		const { data } = await importRows(users.secretary, twice);
		expect(data).toEqual({
			ok: false,
			errors: [{ row: 20, field: 'name', message: '与第 3 行是同一位居民' }]
		});
	});

	it("lets the street's commander import, and refuses other communities' staff, leaders and volunteers", async () => {
		const body = goodRows();
		const commander = await importRows(users.commander, body, true);
		expect(commander.error).toBeNull();
		expect(commander.data).toMatchObject({ ok: true, dry_run: true });
		for (const who of ['shangping', 'beicheng', 'leader', 'xuyong', 'volunteer'] as const) {
			const { data, error } = await importRows(users[who], body, true);
			expect(data, who).toBeNull();
			expect(error?.hint, who).toBe('import_forbidden');
			expect(error?.message, who).toBe('无权向该社区导入特殊群体居民');
		}
		// nor may anyone write into a community by naming it in a code of another shape
		expect((await importRows(users.secretary, body, true)).error).toBeNull();
		const other = await users.secretary.rpc('import_residents', {
			p_community: `${BAIZHAOPAI.slice(0, 9)}%`,
			p_rows: body
		});
		expect(other.error?.hint).toBe('import_forbidden');
	});

	it('refuses rows without distinct row numbers', async () => {
		const body = goodRows();
		for (const bad of [[{ building: 'x' }], [body[0], { ...body[1], row: body[0].row }], []]) {
			const { error } = await importRows(users.secretary, bad);
			expect(error?.hint).toBe('import_bad_rows');
		}
	});

	it('reads labels sent as one string, as the cell was written', async () => {
		const [first] = goodRows();
		expect((await importRows(users.secretary, [first])).error).toBeNull();
		const { data } = await importRows(
			users.secretary,
			[{ ...first, special_groups: 'chronic_illness、elderly_alone', needs: 'medicine/daily_call' }],
			true
		);
		expect(data).toEqual({ ok: true, dry_run: true, inserted: 0, updated: 0, unchanged: 1 });
	});
});
