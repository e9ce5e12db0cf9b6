/**
 * Household import and the community's exports (issue #5) through supabase-js as each demo role: a file with
 * bad rows is reported row by row and writes nothing, a good one lands whole, the same file twice changes
 * nothing, only the community's secretary and its street's commander may import; exports give staff masked
 * records and leaders counts with small cells withheld, and each writes an audit row.
 *
 * Every household written here has a room starting with 测试, removed before and after.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportRow } from '$lib/domain/household-import';
import { DEMO, signedIn } from './clients';
import { stack } from './stack-env';

const BAIZHAOPAI = '510502001006';
const TEST_ROOM = '测试';

let db: pg.Client;
const users = {} as Record<keyof typeof DEMO, SupabaseClient>;
let buildings: { name: string; grid_code: string }[];

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
	return (await db.query(sql, params)).rows as T[];
}

const cleanUp = () => db.query(`delete from households where room like '${TEST_ROOM}%'`);

const householdCount = async () =>
	Number(
		(
			await rows<{ n: string }>(`select count(*) as n from households where community_code = $1`, [
				BAIZHAOPAI
			])
		)[0].n
	);

/** A good file of `n` households over the first buildings of the community. */
function goodRows(n: number): ImportRow[] {
	return Array.from({ length: n }, (_, i) => ({
		row: i + 2,
		building: buildings[i % buildings.length].name,
		room: `${TEST_ROOM}${i + 1}单元101`,
		head_name: `测试户主${i + 1}`,
		phone: i % 3 === 0 ? '' : `1380013${String(8000 + i).padStart(4, '0')}`,
		members: String((i % 5) + 1)
	}));
}

async function importRows(who: SupabaseClient, body: ImportRow[], dryRun = false) {
	const { data, error } = await who.rpc('import_households', {
		p_community: BAIZHAOPAI,
		p_rows: body,
		p_dry_run: dryRun
	});
	return { data: data as Record<string, unknown> | null, error };
}

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	await cleanUp();
	for (const [k, email] of Object.entries(DEMO)) users[k as keyof typeof DEMO] = await signedIn(email);
	buildings = await rows(
		`select name, grid_code from buildings where community_code = $1 order by id limit 5`,
		[BAIZHAOPAI]
	);
});

afterAll(async () => {
	if (db) await cleanUp();
	await db?.end();
});

describe('household import', () => {
	it('reports every bad row with its row number and reason, and writes nothing', async () => {
		const before = await householdCount();
		const body: ImportRow[] = [
			...goodRows(3),
			{ row: 5, building: '不存在的楼', room: `${TEST_ROOM}1`, head_name: '甲', phone: '', members: '2' },
			{ row: 6, building: buildings[0].name, room: '', head_name: '', phone: '12345', members: '0' },
			{
				row: 7,
				building: buildings[0].name,
				room: `${TEST_ROOM}1单元101`,
				head_name: '乙',
				phone: '',
				members: '31'
			},
			{ row: 8, building: '', room: `${TEST_ROOM}9`, head_name: '丙', phone: '0830-1234567', members: 'abc' }
		];
		const { data, error } = await importRows(users.secretary, body);
		expect(error).toBeNull();
		expect(data).toEqual({
			ok: false,
			errors: [
				{ row: 5, field: 'building', message: '楼栋「不存在的楼」不在本社区' },
				{ row: 6, field: 'room', message: '缺少房号' },
				{ row: 6, field: 'head_name', message: '缺少户主姓名' },
				{ row: 6, field: 'phone', message: '电话号码格式不对：12345' },
				{ row: 6, field: 'members', message: '人数须为 1 到 30 的整数' },
				{ row: 7, field: 'members', message: '人数须为 1 到 30 的整数' },
				{ row: 7, field: 'room', message: '与第 2 行重复（同一楼栋同一房号）' },
				{ row: 8, field: 'building', message: '缺少楼栋' },
				{ row: 8, field: 'members', message: '人数须为 1 到 30 的整数' }
			]
		});
		expect(await householdCount()).toBe(before);
	});

	it('checks without writing, then imports all rows, then the same file again changes nothing', async () => {
		const body = goodRows(40);
		const before = await householdCount();
		const dry = await importRows(users.secretary, body, true);
		expect(dry.data).toEqual({ ok: true, dry_run: true, inserted: 40, updated: 0, unchanged: 0 });
		expect(await householdCount()).toBe(before);

		const first = await importRows(users.secretary, body);
		expect(first.data).toEqual({ ok: true, dry_run: false, inserted: 40, updated: 0, unchanged: 0 });
		expect(await householdCount()).toBe(before + 40);
		const written = await rows<{
			grid_code: string;
			building: string;
			phone: string | null;
			members: number;
		}>(
			`select h.grid_code, b.name as building, h.phone, h.members from households h join buildings b on b.id = h.building_id
			 where h.room like '${TEST_ROOM}%' order by h.id`
		);
		written.forEach((h, i) => {
			expect(h.building).toBe(body[i].building);
			expect(h.grid_code).toBe(buildings.find((b) => b.name === h.building)!.grid_code);
			expect(h.phone).toBe(body[i].phone || null);
			expect(h.members).toBe(Number(body[i].members));
		});
		const snapshot = () =>
			rows(
				`select id, head_name, phone, members, grid_code from households where room like '${TEST_ROOM}%' order by id`
			);
		const kept = await snapshot();

		const again = await importRows(users.secretary, body);
		expect(again.data).toEqual({ ok: true, dry_run: false, inserted: 0, updated: 0, unchanged: 40 });
		expect(await snapshot()).toEqual(kept);
	});

	it('updates only the rows that changed', async () => {
		const body = goodRows(40);
		body[3] = { ...body[3], members: '9', phone: '13900139000' };
		const { data } = await importRows(users.secretary, body);
		expect(data).toEqual({ ok: true, dry_run: false, inserted: 0, updated: 1, unchanged: 39 });
		const [h] = await rows<{ members: number; phone: string }>(
			`select members, phone from households where room = $1`,
			[body[3].room]
		);
		expect(h).toEqual({ members: 9, phone: '13900139000' });
	});

	it('keeps the coverage counters equal to a count of the households', async () => {
		const counted = await rows<{ grid_code: string; n: string; kept: string }>(
			`select h.grid_code, count(*) as n, max(g.households)::text as kept
			 from households h join private.grid_households g using (grid_code)
			 where h.community_code = $1 group by h.grid_code`,
			[BAIZHAOPAI]
		);
		for (const c of counted) expect(c.kept, c.grid_code).toBe(c.n);
	});

	it("lets the street's commander import, and refuses other communities' staff, leaders and volunteers", async () => {
		const body = goodRows(2);
		const commander = await importRows(users.commander, body, true);
		expect(commander.error).toBeNull();
		for (const who of ['shangping', 'beicheng', 'leader', 'volunteer'] as const) {
			const { data, error } = await importRows(users[who], body, true);
			expect(data, who).toBeNull();
			expect(error?.hint, who).toBe('import_forbidden');
		}
	});

	it('refuses rows without row numbers', async () => {
		const { error } = await users.secretary.rpc('import_households', {
			p_community: BAIZHAOPAI,
			p_rows: [{ building: 'x' }]
		});
		expect(error?.hint).toBe('import_bad_rows');
	});
});

describe('exports', () => {
	const exportAs = (who: SupabaseClient, kind: string, unit = BAIZHAOPAI) =>
		who.rpc('export_unit', { p_unit: unit, p_kind: kind, p_purpose: '周报核对' });

	it('gives the secretary every building, with figures that add up to the records', async () => {
		const { data, error } = await exportAs(users.secretary, 'progress');
		expect(error).toBeNull();
		const { level, rows: out } = data as { level: string; rows: Record<string, number | string>[] };
		expect(level).toBe('records');
		expect(out).toHaveLength(
			Number(
				(
					await rows<{ n: string }>(
						`select count(distinct building_id) as n from households where community_code = $1`,
						[BAIZHAOPAI]
					)
				)[0].n
			)
		);
		const total = out.reduce((s, r) => s + Number(r.households), 0);
		expect(total).toBe(await householdCount());
		for (const r of out)
			expect(
				Number(r.screened) + Number(r.unreachable) + Number(r.not_started),
				String(r.building_name)
			).toBe(Number(r.households));
	});

	it('masks phones and ID numbers in the registry for staff', async () => {
		const { data } = await exportAs(users.secretary, 'special_groups');
		const text = JSON.stringify(data);
		expect(text).not.toMatch(/1[3-9][0-9]{9}/);
		expect(text).not.toMatch(/[0-9]{17}[0-9X]/);
		const out = (data as { rows: Record<string, unknown>[] }).rows;
		expect(out.length).toBeGreaterThan(0);
		expect(String(out[0].phone_masked ?? '138****0000')).toMatch(/^\d{3}\*{4}\d{4}$/);
	});

	it('gives leaders counts per grid with cells of 1–2 withheld, and no names', async () => {
		for (const kind of ['progress', 'special_groups', 'leads']) {
			const { data, error } = await exportAs(users.leader, kind);
			expect(error, kind).toBeNull();
			const { level, rows: out } = data as { level: string; rows: Record<string, unknown>[] };
			expect(level).toBe('counts');
			for (const r of out) {
				expect(r).not.toHaveProperty('name');
				expect(r).not.toHaveProperty('title');
				expect(r).not.toHaveProperty('building_name', expect.any(String));
				for (const [k, v] of Object.entries(r))
					if (typeof v === 'number' && k !== 'coverage') expect([1, 2], `${kind} ${k}`).not.toContain(v);
			}
		}
	});

	it('writes an audit row per export with the purpose and row count', async () => {
		const before = Number(
			(await rows<{ n: string }>(`select count(*) as n from audit_log where action = 'export'`))[0].n
		);
		const { data } = await exportAs(users.secretary, 'leads');
		const [audit] = await rows<{
			user_id: string;
			unit_code: string;
			purpose: string;
			detail: { rows: number };
		}>(
			`select user_id::text, unit_code, purpose, detail from audit_log where action = 'export' order by id desc limit 1`
		);
		expect(
			Number((await rows<{ n: string }>(`select count(*) as n from audit_log where action = 'export'`))[0].n)
		).toBe(before + 1);
		expect(audit).toMatchObject({ unit_code: BAIZHAOPAI, purpose: '周报核对' });
		expect(audit.detail.rows).toBe((data as { rows: unknown[] }).rows.length);
	});

	it('refuses volunteers, units outside the caller, unknown kinds and a missing purpose', async () => {
		expect((await exportAs(users.volunteer, 'progress')).error?.hint).toBe('export_forbidden');
		expect((await exportAs(users.shangping, 'progress')).error?.hint).toBe('export_forbidden');
		expect((await exportAs(users.xuyong, 'progress')).error?.hint).toBe('export_forbidden');
		expect((await exportAs(users.secretary, 'households')).error?.hint).toBe('export_kind_invalid');
		const { error } = await users.secretary.rpc('export_unit', {
			p_unit: BAIZHAOPAI,
			p_kind: 'progress',
			p_purpose: ' '
		});
		expect(error?.hint).toBe('purpose_required');
	});
});
