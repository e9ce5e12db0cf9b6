/**
 * Special groups and service requests (migration 20261129001320) through supabase-js as each demo role:
 * phone and ID-number CHECKs (checklist 12), masking by default and audited reveals (21, 22), exports that hold
 * only what the role may see, with an audit row (22, 24), a resident's grid taken from the household, and a
 * request's done time following its status.
 *
 * Residents written here are named 库测试… and removed before and after (their requests go with them).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidIdNumber, isValidPhone } from '../../src/lib/domain/care';
import { DEMO, signedIn } from './clients';
import { stack } from './stack-env';

const BAIZHAOPAI = '510502001006';
const SHANGPING = '510502001001';
const NAME = '库测试居民';

let db: pg.Client;
const users: Record<string, SupabaseClient> = {};
let household: { id: number; grid_code: string };
let shangpingHousehold: number;

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
	return (await db.query(sql, params)).rows as T[];
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
	return Number((await rows<{ n: string }>(sql, params))[0].n);
}

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	await db.query(`delete from residents where name like $1`, [`${NAME}%`]);
	for (const k of ['secretary', 'shangping', 'commander', 'leader', 'volunteer'] as const)
		users[k] = await signedIn(DEMO[k]);
	const [h] = await rows<{ id: string; grid_code: string }>(
		`select id, grid_code from households where community_code = $1 order by id desc limit 1`,
		[BAIZHAOPAI]
	);
	household = { id: Number(h.id), grid_code: h.grid_code };
	shangpingHousehold = Number(
		(
			await rows<{ id: string }>(`select min(id) id from households where community_code = $1`, [SHANGPING])
		)[0].id
	);
});

afterAll(async () => {
	await db?.query(`delete from residents where name like $1`, [`${NAME}%`]);
	await db?.end();
});

const resident = (fields: Record<string, unknown> = {}) => ({
	household_id: household.id,
	name: NAME,
	gender: 'female',
	birth_year: 1941,
	id_number: '11010519491231002X',
	phone: '13812345678',
	special_groups: ['elderly_alone'],
	needs: ['food', 'daily_call'],
	...fields
});

describe('registering a resident', () => {
	it('refuses malformed phones and bad ID check characters in the database too (checklist 12)', async () => {
		for (const [field, value] of [
			['phone', '1381234567'],
			['phone', '23812345678'],
			['id_number', '110105194912310021'],
			['id_number', '11010519491231002x']
		] as const) {
			// The app's own checks agree with the database's.
			expect(field === 'phone' ? isValidPhone(value) : isValidIdNumber(value)).toBe(false);
			const { error } = await users.secretary.from('residents').insert(resident({ [field]: value }));
			expect(error?.code, `${field} ${value}`).toBe('23514');
		}
		const noGroup = await users.secretary.from('residents').insert(resident({ special_groups: [] }));
		expect(noGroup.error?.code).toBe('23514');
		expect(await count(`select count(*) n from residents where name = $1`, [NAME])).toBe(0);
	});

	it('files the resident under the household’s grid, and refuses a household of another community', async () => {
		const ok = await users.secretary
			.from('residents')
			.insert(resident({ grid_code: `${BAIZHAOPAI}001` }))
			.select('id, grid_code')
			.single();
		expect(ok.error).toBeNull();
		expect(ok.data).toMatchObject({ grid_code: household.grid_code });
		// The registry (an audited read) shows the numbers masked.
		const registry = await users.secretary.rpc('care_registry', { p_unit: BAIZHAOPAI });
		expect(registry.data.find((r: { id: number }) => r.id === ok.data!.id)).toMatchObject({
			grid_code: household.grid_code,
			phone_masked: '138****5678',
			id_number_masked: '110105********002X'
		});
		const outside = await users.secretary
			.from('residents')
			.insert(resident({ household_id: shangpingHousehold, grid_code: household.grid_code }));
		expect(outside.error?.code).toBe('42501');
		const volunteer = await users.volunteer.from('residents').insert(resident());
		expect(volunteer.error?.code).toBe('42501');
	});
});

describe('masking and reveals (checklists 21, 22)', () => {
	it('shows phones and ID numbers masked; the full value only through an audited call with a purpose', async () => {
		const [r] = await rows<{ id: string }>(`select id from residents where name = $1`, [NAME]);
		const id = Number(r.id);
		for (const column of ['phone', 'id_number'])
			expect((await users.secretary.from('residents').select(column).eq('id', id)).error?.code).toBe('42501');

		const before = await count(
			`select count(*) n from audit_log where table_name = 'residents' and record_id = $1`,
			[id]
		);
		const noPurpose = await users.secretary.rpc('reveal_id_number', { p_resident_id: id, p_purpose: ' ' });
		expect(noPurpose.error?.hint).toBe('purpose_required');
		const full = await users.secretary.rpc('reveal_id_number', { p_resident_id: id, p_purpose: '核实身份' });
		expect(full).toMatchObject({ error: null, data: '11010519491231002X' });
		const phone = await users.commander.rpc('reveal_phone', {
			p_table: 'residents',
			p_id: id,
			p_purpose: '电话回访'
		});
		expect(phone).toMatchObject({ error: null, data: '13812345678' });
		const audit = await rows<{ user_id: string; action: string; purpose: string; unit_code: string }>(
			`select user_id::text, action, purpose, unit_code from audit_log
			where table_name = 'residents' and record_id = $1 order by id desc limit 2`,
			[id]
		);
		expect(audit).toEqual([
			{
				user_id: '00000000-0000-4000-8000-000000000002',
				action: 'reveal_phone',
				purpose: '电话回访',
				unit_code: household.grid_code
			},
			{
				user_id: '00000000-0000-4000-8000-000000000001',
				action: 'reveal_id_number',
				purpose: '核实身份',
				unit_code: household.grid_code
			}
		]);
		expect(
			await count(`select count(*) n from audit_log where table_name = 'residents' and record_id = $1`, [id])
		).toBe(before + 2);
		// Refused, and nothing written: another community's secretary, a volunteer, a leader.
		for (const who of [users.shangping, users.volunteer, users.leader]) {
			const r2 = await who.rpc('reveal_id_number', { p_resident_id: id, p_purpose: '查看' });
			expect(r2.data).toBeNull();
			expect(r2.error).not.toBeNull();
		}
		expect(
			await count(`select count(*) n from audit_log where table_name = 'residents' and record_id = $1`, [id])
		).toBe(before + 2);
		const edit = await users.secretary.from('audit_log').update({ purpose: '改' }).eq('record_id', id);
		expect(edit.error?.code).toBe('42501');
	});
});

describe('exports (checklists 22, 24)', () => {
	it('gives the secretary her own unit’s registry masked, the leader counts only, each with an audit row', async () => {
		const exports = () => count(`select count(*) n from audit_log where action = 'export'`);
		const before = await exports();
		const mine = await users.secretary.rpc('export_special_groups', {
			p_unit: BAIZHAOPAI,
			p_purpose: '上报街道'
		});
		expect(mine.error).toBeNull();
		expect(mine.data.shape).toBe('masked_rows');
		expect(mine.data.rows.length).toBe(
			await count(`select count(*) n from residents where grid_code like $1 || '%'`, [BAIZHAOPAI])
		);
		for (const row of mine.data.rows) {
			expect(Object.keys(row)).not.toContain('phone');
			expect(Object.keys(row)).not.toContain('id_number');
			if (row.phone_masked) expect(row.phone_masked).toMatch(/^1\d\d\*{4}\d{4}$/);
			if (row.id_number_masked) expect(row.id_number_masked).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
		}
		const elsewhere = await users.secretary.rpc('export_special_groups', {
			p_unit: SHANGPING,
			p_purpose: '越权'
		});
		expect(elsewhere.error?.code).toBe('42501');

		const leader = await users.leader.rpc('export_special_groups', {
			p_unit: '510502',
			p_purpose: '全区统计'
		});
		expect(leader.error).toBeNull();
		expect(leader.data.shape).toBe('counts');
		const text = JSON.stringify(leader.data.rows);
		expect(text).not.toMatch(/\*{4}|1[3-9]\d{9}|\d{17}[\dX]/);
		for (const row of leader.data.rows) {
			expect(Object.keys(row).sort()).toEqual(['grid', 'residents', 'special_group']);
			expect([1, 2]).not.toContain(row.residents);
		}
		const noPurpose = await users.secretary.rpc('export_special_groups', {
			p_unit: BAIZHAOPAI,
			p_purpose: ''
		});
		expect(noPurpose.error?.hint).toBe('purpose_required');

		const audit = await rows<{
			user_id: string;
			unit_code: string;
			purpose: string;
			detail: { rows: number; shape: string };
		}>(
			`select user_id::text, unit_code, purpose, detail from audit_log where action = 'export' order by id desc limit 2`
		);
		expect(audit).toEqual([
			{
				user_id: '00000000-0000-4000-8000-000000000003',
				unit_code: '510502',
				purpose: '全区统计',
				detail: { rows: leader.data.rows.length, shape: 'counts' }
			},
			{
				user_id: '00000000-0000-4000-8000-000000000001',
				unit_code: BAIZHAOPAI,
				purpose: '上报街道',
				detail: { rows: mine.data.rows.length, shape: 'masked_rows' }
			}
		]);
		expect(await exports()).toBe(before + 2);
	});
});

describe('service requests', () => {
	it('keep done time in step with the status, need someone to be assigned, and stay in their resident’s grid', async () => {
		const [r] = await rows<{ id: string }>(`select id from residents where name = $1`, [NAME]);
		const [v] = await rows<{ id: string }>(`select min(id) id from volunteers where home_unit_code = $1`, [
			BAIZHAOPAI
		]);
		const created = await users.secretary
			.from('service_requests')
			.insert({
				resident_id: Number(r.id),
				grid_code: `${BAIZHAOPAI}002`,
				kind: 'food',
				detail: '库测试代购',
				due_at: new Date(Date.now() + 86_400_000).toISOString()
			})
			.select('id, grid_code, status, done_at')
			.single();
		expect(created.data).toMatchObject({ grid_code: household.grid_code, status: 'open', done_at: null });
		const id = created.data!.id;
		const update = (patch: Record<string, unknown>) =>
			users.secretary.from('service_requests').update(patch).eq('id', id).select('status, done_at').single();
		expect((await update({ status: 'assigned' })).error?.hint).toBe('request_needs_assignee');
		expect((await update({ status: 'assigned', assigned_volunteer_id: Number(v.id) })).data).toMatchObject({
			status: 'assigned',
			done_at: null
		});
		const done = await update({ status: 'done' });
		expect(done.data!.status).toBe('done');
		expect(Date.now() - Date.parse(done.data!.done_at!)).toBeLessThan(60_000);
		// The volunteer it is assigned to sees it; a volunteer cannot change it.
		const mine = await users.volunteer.from('service_requests').select('id').eq('id', id);
		const volunteerIsAssigned = await count(
			`select count(*) n from memberships where user_id = '00000000-0000-4000-8000-000000000004' and volunteer_id = $1`,
			[v.id]
		);
		expect(mine.data!.length).toBe(volunteerIsAssigned);
		const change = await users.volunteer
			.from('service_requests')
			.update({ status: 'cancelled' })
			.eq('id', id)
			.select('id');
		expect(change.data ?? []).toEqual([]);
		expect(
			(await rows<{ status: string }>(`select status from service_requests where id = $1`, [id]))[0].status
		).toBe('done');
	});
});
