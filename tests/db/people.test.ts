/**
 * People (issue #16), as each role through supabase-js: who may give whom which role where (add_member,
 * change_member), deactivation taking a person's unit and role away at once, whatever token they still hold, the
 * list of a unit's people, and the audit an administrator reads. Accounts are made here with SQL, as the seed
 * makes the demo's; the server makes them through the auth admin API.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, DEMO, DEMO_PASSWORD, signedIn } from './clients';
import { stack } from './stack-env';

let db: pg.Client;
const made: string[] = [];

/** A new account with the demo password and no membership; its id. */
async function account(label: string): Promise<{ id: string; email: string }> {
	const id = randomUUID();
	const email = `${label}-${id.slice(0, 8)}@people.test`;
	await db.query(
		`insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
			raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
		 values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
			extensions.crypt($3, extensions.gen_salt('bf', 4)), now(), '{"provider":"email"}', '{}', now(), now())`,
		[id, email, DEMO_PASSWORD]
	);
	made.push(id);
	return { id, email };
}

async function signIn(email: string): Promise<SupabaseClient> {
	const c = client();
	const { error } = await c.auth.signInWithPassword({ email, password: DEMO_PASSWORD });
	if (error) throw error;
	return c;
}

let commander: SupabaseClient;
let secretary: SupabaseClient;
let volunteer: SupabaseClient;
let admin: SupabaseClient;
let adminId: string;

beforeAll(async () => {
	db = new pg.Client(stack().pgUrl);
	await db.connect();
	[commander, secretary, volunteer] = await Promise.all([
		signedIn(DEMO.commander),
		signedIn(DEMO.secretary),
		signedIn(DEMO.volunteer)
	]);
	const a = await account('admin');
	adminId = a.id;
	await db.query(
		`insert into public.memberships (user_id, role, unit_code, display_name) values ($1, 'admin', '5105', '市系统管理员')`,
		[a.id]
	);
	admin = await signIn(a.email);
});

afterAll(async () => {
	await db.query(`delete from public.audit_log where action = 'member' and detail ->> 'member' = any($1)`, [
		made
	]);
	await db.query(`delete from auth.users where id = any($1::uuid[])`, [made]);
	await db.query(`delete from public.units where code = '9903'`);
	await db.end();
});

describe('add_member', () => {
	it('lets a commander give secretaries and volunteers their street’s communities, nothing else', async () => {
		const ok = await account('sec');
		expect(
			(
				await commander.rpc('add_member', {
					p_user_id: ok.id,
					p_role: 'secretary',
					p_unit: '510502001003',
					p_display_name: '新书记'
				})
			).error
		).toBeNull();
		const other = await account('other');
		const refusals = await Promise.all([
			// another street's community
			commander.rpc('add_member', {
				p_user_id: other.id,
				p_role: 'secretary',
				p_unit: '510502002001',
				p_display_name: 'x'
			}),
			// above the commander's role
			commander.rpc('add_member', {
				p_user_id: other.id,
				p_role: 'leader',
				p_unit: '510502',
				p_display_name: 'x'
			}),
			// a role at a unit of the wrong level
			commander.rpc('add_member', {
				p_user_id: other.id,
				p_role: 'secretary',
				p_unit: '510502001',
				p_display_name: 'x'
			}),
			// a secretary may not make a commander, a volunteer nobody
			secretary.rpc('add_member', {
				p_user_id: other.id,
				p_role: 'commander',
				p_unit: '510502001',
				p_display_name: 'x'
			}),
			volunteer.rpc('add_member', {
				p_user_id: other.id,
				p_role: 'volunteer',
				p_unit: '510502001006',
				p_display_name: 'x'
			}),
			// someone who already has a role
			commander.rpc('add_member', {
				p_user_id: ok.id,
				p_role: 'volunteer',
				p_unit: '510502001003',
				p_display_name: 'x'
			})
		]);
		expect(refusals.map((r) => r.error?.hint)).toEqual([
			'outside_scope',
			'not_allowed',
			'bad_unit',
			'not_allowed',
			'not_allowed',
			'member_exists'
		]);
		const { rows } = await db.query(`select count(*)::int n from public.memberships where user_id = $1`, [
			other.id
		]);
		expect(rows[0].n).toBe(0);
	});

	it('lets an administrator give any role up to their own below their unit', async () => {
		const leader = await account('leader');
		expect(
			(
				await admin.rpc('add_member', {
					p_user_id: leader.id,
					p_role: 'leader',
					p_unit: '510502',
					p_display_name: '江阳区领导'
				})
			).error
		).toBeNull();
		const second = await account('admin2');
		expect(
			(
				await admin.rpc('add_member', {
					p_user_id: second.id,
					p_role: 'admin',
					p_unit: '510524',
					p_display_name: '叙永县管理员'
				})
			).error
		).toBeNull();
		// an administrator of 叙永县 cannot reach 江阳区
		const xuyong = await signIn(second.email);
		const x = await account('x');
		const { error } = await xuyong.rpc('add_member', {
			p_user_id: x.id,
			p_role: 'secretary',
			p_unit: '510502001006',
			p_display_name: 'x'
		});
		expect(error?.hint).toBe('outside_scope');
	});

	it('keeps memberships out of reach of a direct write', async () => {
		const x = await account('direct');
		const { error } = await commander
			.from('memberships')
			.insert({ user_id: x.id, role: 'secretary', unit_code: '510502001006', display_name: 'x' });
		expect(error?.code).toBe('42501');
	});
});

describe('change_member and set_member_active', () => {
	it('refuses changing oneself, and anyone above the caller', async () => {
		const { data: me } = await commander.auth.getUser();
		const own = await commander.rpc('change_member', {
			p_user_id: me.user!.id,
			p_role: 'secretary',
			p_unit: '510502001006'
		});
		expect(own.error?.hint).toBe('own_membership');
		const above = await secretary.rpc('set_member_active', {
			p_user_id: me.user!.id,
			p_active: false,
			p_reason: '测试'
		});
		expect(above.error?.hint).toBe('not_allowed');
	});

	it('takes a deactivated person’s unit away at once, their token notwithstanding, and gives it back', async () => {
		const p = await account('gone');
		await commander.rpc('add_member', {
			p_user_id: p.id,
			p_role: 'secretary',
			p_unit: '510502001006',
			p_display_name: '临时书记'
		});
		const person = await signIn(p.email);
		const units = async () => (await person.from('units').select('code').eq('code', '510502001006')).data;
		expect(await units()).toEqual([{ code: '510502001006' }]);

		const off = await commander.rpc('set_member_active', {
			p_user_id: p.id,
			p_active: false,
			p_reason: '手机丢失'
		});
		expect(off.error).toBeNull();
		expect(await units()).toEqual([]);
		const dash = await person.rpc('unit_dashboard', { p_unit: '510502001006', p_as_of: '2020-03-15' });
		expect(dash.error?.code).toBe('42501');
		const reason = await commander.rpc('set_member_active', {
			p_user_id: p.id,
			p_active: true,
			p_reason: ''
		});
		expect(reason.error?.hint).toBe('reason_missing');

		expect(
			(await commander.rpc('set_member_active', { p_user_id: p.id, p_active: true, p_reason: '找回手机' }))
				.error
		).toBeNull();
		expect(await units()).toEqual([{ code: '510502001006' }]);
	});
});

describe('unit_members and the audit', () => {
	it('lists the street’s people for its commander, none above, and refuses volunteers', async () => {
		const { data, error } = await commander.rpc('unit_members', { p_unit: '510502001' });
		expect(error).toBeNull();
		const roles = new Set((data as { role: string }[]).map((r) => r.role));
		expect(roles.has('secretary')).toBe(true);
		expect(roles.has('leader') || roles.has('admin')).toBe(false);
		const row = (data as { unit_name: string; login: string; unit_code: string }[]).find(
			(r) => r.login === DEMO.secretary
		);
		expect(row).toMatchObject({ unit_code: '510502001006', unit_name: '白招牌社区' });
		expect((await volunteer.rpc('unit_members', { p_unit: '510502001006' })).error?.hint).toBe('not_allowed');
	});

	it('shows the administrator every change of role and state below them', async () => {
		const { data, error } = await admin.from('audit_log').select('purpose, detail').eq('action', 'member');
		expect(error).toBeNull();
		const purposes = (data ?? []).map((r) => r.purpose);
		for (const p of ['新建账号', '停用账号', '启用账号']) expect(purposes).toContain(p);
		expect(adminId).toBeTruthy();
	});
});

describe('npm run admin -- create', () => {
	it('makes the first administrator of a new city with a one-time password to change at first sign-in', async () => {
		await db.query(`delete from auth.users where email = 'it@honghe.test'`);
		await db.query(`delete from public.units where code = '9903'`);
		const env = {
			...process.env,
			PUBLIC_SUPABASE_URL: stack().url,
			SUPABASE_SERVICE_ROLE_KEY: stack().serviceRoleKey
		};
		const cli = [
			'--experimental-websocket',
			'--import',
			'tsx',
			'scripts/admin.ts',
			'create',
			'--email',
			'it@honghe.test'
		];
		const missing = await promisify(execFile)('node', [...cli, '--unit', '9903'], { env }).catch(
			(e: { code: number; stderr: string }) => e
		);
		expect('code' in missing && missing.code).toBe(1);
		expect(missing.stderr).toContain('单位 9903 不存在');

		const { stdout } = await promisify(execFile)(
			'node',
			[...cli, '--unit', '990300000000', '--unit-name', '红河市'],
			{
				env
			}
		);
		expect(stdout).toContain('已建立系统管理员 it@honghe.test（红河市 9903）');
		const password = /一次性密码：(\S{12})/.exec(stdout)![1];
		const { rows } = await db.query(
			`select m.role, m.unit_code, u.raw_app_meta_data ->> 'must_change_password' as must
			 from public.memberships m join auth.users u on u.id = m.user_id where u.email = 'it@honghe.test'`
		);
		expect(rows).toEqual([{ role: 'admin', unit_code: '9903', must: 'true' }]);
		const c = client();
		const { data, error } = await c.auth.signInWithPassword({ email: 'it@honghe.test', password });
		expect(error).toBeNull();
		expect(data.user?.app_metadata.must_change_password).toBe(true);
		const { rows: ids } = await db.query(`select id from auth.users where email = 'it@honghe.test'`);
		made.push(ids[0].id);
	});
});
