/**
 * Volunteer import (`public.import_volunteers`) and roster export (`public.roster_export`) as each demo role,
 * against the seeded embedded stack: all or nothing, the same file twice changes nothing, names resolved within
 * the caller's unit, phones of other units refused without saying whose, and every export audited.
 *
 * Test volunteers have phones 166xxxxxxxx or 0166-xxxxxxx, which the seed never makes (its mobiles' second
 * digit is 3, 5, 7, 8 or 9; it makes no landlines);
 * they are removed before and after, so a kept data folder gives the same results run after run.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, DEMO, signedIn } from './clients';
import { stack } from './stack-env';

const BAIZHAOPAI = '510502001006';
const SHANGPING = '510502001001';
const NANCHENG = '510502001';
const TEST_PHONES = `(phone like '166%' or phone like '0166-%')`;

let db: pg.Client;
const users: Record<string, SupabaseClient> = {};
/** An organisation and one of its teams whose platform covers 白招牌社区, with names unique there. */
let org: { id: number; name: string };
let team: { id: number; name: string; organisation_id: number };

interface Result {
	written: boolean;
	inserted: number;
	updated: number;
	unchanged: number;
	errors: { row: number; field: string; message: string }[];
}

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
	return (await db.query(sql, params)).rows as T[];
}

async function importAs(who: SupabaseClient, data: unknown[], dryRun = false): Promise<Result> {
	const { data: result, error } = await who.rpc('import_volunteers', { p_rows: data, p_dry_run: dryRun });
	if (error) throw error;
	return result as Result;
}

/** The test volunteers as stored (everything an import may set). */
const stored = () =>
	rows<Record<string, unknown>>(
		`select phone, name, kind, home_unit_code, organisation_id::int, team_id::int, skills, joined_on::text,
			home_lon, home_lat
		 from volunteers where ${TEST_PHONES} order by phone`
	);

const cleanUp = () => db.query(`delete from volunteers where ${TEST_PHONES}`);

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	await cleanUp();
	for (const k of ['secretary', 'commander', 'beicheng', 'leader', 'volunteer'] as const)
		users[k] = await signedIn(DEMO[k]);
	[org] = await rows(
		`select o.id::int, o.name from organisations o
		 where left($1, length(o.unit_code)) = o.unit_code
			and (select count(*) from organisations x where x.name = o.name and left($1, length(x.unit_code)) = x.unit_code) = 1
			and exists (select 1 from volunteer_teams t where t.organisation_id = o.id)
		 order by o.id limit 1`,
		[BAIZHAOPAI]
	);
	[team] = await rows(
		`select t.id::int, t.name, t.organisation_id::int from volunteer_teams t
		 where t.organisation_id = $1
			and (select count(*) from volunteer_teams x where x.name = t.name and left($2, length(x.unit_code)) = x.unit_code) = 1
		 order by t.id limit 1`,
		[org.id, BAIZHAOPAI]
	);
});

afterAll(async () => {
	if (db) await cleanUp();
	await db?.end();
});

describe('import_volunteers', () => {
	const file = () => [
		{
			row: 2,
			name: '导入测试甲',
			phone: '16600000001',
			community: '白招牌社区',
			organisation: org.name,
			kind: 'party_member',
			skills: ['checkpoint', 'driving'],
			joined_on: '2020-02-01',
			home_lon: 105.44,
			home_lat: 28.88
		},
		{ row: 3, name: '导入测试乙', phone: '16600000002', community: SHANGPING, team: team.name },
		{ row: 4, name: '导入测试丙', phone: '0166-6600003', community: '白招牌社区' }
	];

	it('lets the commander import into communities of his street, names resolved to ids', async () => {
		const before = await rows<{ n: string }>(`select count(*) n from volunteers`);
		const result = await importAs(users.commander, file());
		expect(result).toEqual({ written: true, inserted: 3, updated: 0, unchanged: 0, errors: [] });
		const after = await rows<{ n: string }>(`select count(*) n from volunteers`);
		expect(Number(after[0].n) - Number(before[0].n)).toBe(3);
		expect(await stored()).toEqual([
			{
				phone: '0166-6600003',
				name: '导入测试丙',
				kind: 'volunteer',
				home_unit_code: BAIZHAOPAI,
				organisation_id: null,
				team_id: null,
				skills: [],
				joined_on: null,
				home_lon: null,
				home_lat: null
			},
			{
				phone: '16600000001',
				name: '导入测试甲',
				kind: 'party_member',
				home_unit_code: BAIZHAOPAI,
				organisation_id: org.id,
				team_id: null,
				skills: ['checkpoint', 'driving'],
				joined_on: '2020-02-01',
				home_lon: 105.44,
				home_lat: 28.88
			},
			// A team alone brings its organisation.
			expect.objectContaining({
				phone: '16600000002',
				home_unit_code: SHANGPING,
				team_id: team.id,
				organisation_id: team.organisation_id
			})
		]);
	});

	it('changes nothing when the same file comes again, and updates only what differs', async () => {
		const before = await stored();
		expect(await importAs(users.commander, file())).toEqual({
			written: false,
			inserted: 0,
			updated: 0,
			unchanged: 3,
			errors: []
		});
		expect(await stored()).toEqual(before);

		// Empty fields keep what is on record; a new name is an update of that one volunteer.
		const changed = await importAs(users.commander, [
			{ row: 2, name: '导入测试甲（改）', phone: '16600000001' },
			{ row: 3, name: '导入测试乙', phone: '16600000002' }
		]);
		expect(changed).toMatchObject({ written: true, inserted: 0, updated: 1, unchanged: 1 });
		const after = await stored();
		expect(after[1]).toEqual({ ...before[1], name: '导入测试甲（改）' });
		expect(after[2]).toEqual(before[2]);
	});

	it('writes nothing when any row is wrong, and says which row and why', async () => {
		const before = await stored();
		const result = await importAs(users.commander, [
			{ row: 2, name: '导入测试丁', phone: '16600000004', community: '白招牌社区' },
			{ row: 3, name: '导入测试戊', phone: '16600000004', community: '白招牌社区' },
			{ row: 4, name: '', phone: '12345', community: '北城社区' },
			{
				row: 5,
				name: '导入测试己',
				phone: '16600000006',
				community: '白招牌社区',
				organisation: '没有这个组织'
			},
			{ row: 6, name: '导入测试庚', phone: '16600000007', community: '白招牌社区', joined_on: '2020-02-30' }
		]);
		expect(result.written).toBe(false);
		expect(result.inserted).toBe(0);
		expect(result.errors).toEqual([
			{ row: 3, field: 'phone', message: '手机号与第2行重复' },
			{ row: 4, field: 'name', message: '缺少姓名' },
			{ row: 4, field: 'phone', message: '手机号格式不正确：12345' },
			{ row: 4, field: 'community', message: '找不到社区：北城社区（须在你的管辖范围内）' },
			{ row: 5, field: 'organisation', message: '找不到组织：没有这个组织（须是该社区或其上级的组织）' },
			{ row: 6, field: 'joined_on', message: '日期不存在：2020-02-30' }
		]);
		expect(await stored()).toEqual(before);
	});

	it('counts without writing on a dry run', async () => {
		const before = await stored();
		const result = await importAs(
			users.commander,
			[
				{ row: 2, name: '导入测试丁', phone: '16600000004', community: '白招牌社区' },
				{ row: 3, name: '导入测试乙', phone: '16600000002' }
			],
			true
		);
		expect(result).toEqual({ written: false, inserted: 1, updated: 0, unchanged: 1, errors: [] });
		expect(await stored()).toEqual(before);
	});

	it('lets a secretary import into her community only, and never touch another unit’s volunteer', async () => {
		const [foreign] = await rows<{ phone: string }>(
			`select phone from volunteers where home_unit_code = $1 order by id limit 1`,
			[SHANGPING]
		);
		const refused = await importAs(users.secretary, [
			{ row: 2, name: '导入测试辛', phone: '16600000008' },
			{ row: 3, name: '导入测试壬', phone: '16600000009', community: '上平社区' },
			{ row: 4, name: '冒名', phone: foreign.phone },
			{ row: 5, name: '导入测试乙', phone: '16600000002' }
		]);
		const masked = `${foreign.phone.slice(0, 3)}****${foreign.phone.slice(-4)}`;
		expect(refused.errors).toEqual([
			{ row: 3, field: 'community', message: '找不到社区：上平社区（须在你的管辖范围内）' },
			{ row: 4, field: 'phone', message: `手机号${masked}已登记在其他单位的志愿者名下` },
			// 导入测试乙 lives in 上平社区: outside her community, so her file may not claim the number.
			{ row: 5, field: 'phone', message: '手机号166****0002已登记在其他单位的志愿者名下' }
		]);
		expect(await rows(`select 1 from volunteers where phone = '16600000008'`)).toEqual([]);

		const landed = await importAs(users.secretary, [{ row: 2, name: '导入测试辛', phone: '16600000008' }]);
		expect(landed).toMatchObject({ written: true, inserted: 1 });
		const [row] = await rows<{ home_unit_code: string }>(
			`select home_unit_code from volunteers where phone = '16600000008'`
		);
		expect(row.home_unit_code).toBe(BAIZHAOPAI);
	});

	it('refuses another street’s commander, leaders, volunteers and anonymous callers', async () => {
		const other = await importAs(users.beicheng, [
			{ row: 2, name: '导入测试癸', phone: '16600000010', community: BAIZHAOPAI }
		]);
		expect(other.errors).toEqual([
			{ row: 2, field: 'community', message: `社区${BAIZHAOPAI}不存在或不在你的管辖范围内` }
		]);
		for (const who of [users.leader, users.volunteer]) {
			const { error } = await who.rpc('import_volunteers', {
				p_rows: [{ row: 2, name: '导入测试癸', phone: '16600000010', community: BAIZHAOPAI }]
			});
			expect(error!.code).toBe('42501');
			expect(error!.hint).toBe('not_allowed');
		}
		const anonymous = await client().rpc('import_volunteers', { p_rows: [] });
		expect(anonymous.error).not.toBeNull();
		expect(await rows(`select 1 from volunteers where phone = '16600000010'`)).toEqual([]);
	});

	it('holds one record per phone in the table itself', async () => {
		await expect(
			db.query(
				`insert into volunteers (name, phone, home_unit_code) values ('导入测试重复', '16600000001', $1)`,
				[BAIZHAOPAI]
			)
		).rejects.toThrow(/volunteers_phone_key/);
	});
});

describe('roster_export', () => {
	const DAY = '2020-03-14';
	/** A day the seed left empty inside the running drill (a roster plans up to two weeks ahead). */
	const TWELVE_DAYS_ON = new Date(Date.now() + 8 * 3600_000 + 12 * 86_400_000).toISOString().slice(0, 10);

	it('gives the commander the day’s shifts of his street and records the export', async () => {
		const [{ n }] = await rows<{ n: string }>(
			`select count(*) n from shifts where checkpoint_id is not null and community_code like '${NANCHENG}%'
				and lower(period) >= '${DAY} 00:00+08' and lower(period) < '${DAY} 24:00+08'`
		);
		const audits = async () =>
			Number(
				(
					await rows<{ n: string }>(
						`select count(*) n from audit_log where action = 'export' and table_name = 'shifts' and unit_code = $1`,
						[NANCHENG]
					)
				)[0].n
			);
		const before = await audits();
		const { data, error } = await users.commander.rpc('roster_export', {
			p_unit: NANCHENG,
			p_from: DAY,
			p_to: DAY
		});
		expect(error).toBeNull();
		expect(data.length).toBe(Number(n));
		expect(Number(n)).toBeGreaterThan(10);
		expect(data.every((r: { volunteer_name: string }) => !r.volunteer_name.includes('*'))).toBe(true);
		expect(await audits()).toBe(before + 1);
	});

	it('masks volunteers from outside the secretary’s community and refuses leaders', async () => {
		const [lent] = await rows<{ id: string; name: string }>(
			`select v.id, v.name from volunteers v where v.home_unit_code = $1 order by v.id limit 1`,
			[SHANGPING]
		);
		const [cp] = await rows<{ id: string }>(
			`select id from checkpoints where community_code = $1 and status = 'active' order by id limit 1`,
			[BAIZHAOPAI]
		);
		const shift = await users.commander.rpc('assign_shift', {
			p_checkpoint_id: Number(cp.id),
			p_volunteer_id: Number(lent.id),
			p_starts: `${TWELVE_DAYS_ON}T08:00:00+08:00`,
			p_ends: `${TWELVE_DAYS_ON}T12:00:00+08:00`
		});
		expect(shift.error).toBeNull();
		try {
			const { data } = await users.secretary.rpc('roster_export', {
				p_unit: BAIZHAOPAI,
				p_from: TWELVE_DAYS_ON,
				p_to: TWELVE_DAYS_ON
			});
			expect(data).toEqual([
				expect.objectContaining({
					volunteer_name: lent.name[0] + '*'.repeat(lent.name.length - 1),
					phone_masked: null,
					lent: true
				})
			]);
		} finally {
			await db.query(`delete from shifts where id = $1`, [shift.data]);
		}
		const refused = await users.leader.rpc('roster_export', { p_unit: NANCHENG, p_from: DAY, p_to: DAY });
		expect(refused.error!.hint).toBe('not_allowed');
		const tooLong = await users.commander.rpc('roster_export', {
			p_unit: NANCHENG,
			p_from: '2020-01-01',
			p_to: '2020-03-01'
		});
		expect(tooLong.error!.hint).toBe('invalid_period');
	});
});
