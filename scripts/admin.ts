/**
 * The first administrator of a unit, on an empty start (issue #16); everything after is done on screens.
 *
 *   npm run admin -- create --email it@city.example --unit 5105 --unit-name 泸州市 [--name 王工] [--password …]
 *
 * --unit       the unit: 5105, or its 12-digit statistical code 510500000000
 * --unit-name  creates the unit when the database has none of that code (a city, or under a unit that exists);
 *              the city's districts, streets and communities come after, from files (npm run city:import, or
 *              the administrator's screen)
 * --name       the name shown for the account (default 系统管理员)
 * --password   at least 8 characters; without it a one-time password is printed, to be changed at first sign-in
 *
 * The account is made through Supabase's auth admin API with the service-role key (operator-client.ts), so the
 * same command serves the embedded stack, `supabase start` and a hosted project.
 */
import { webcrypto } from 'node:crypto';
import { parseArgs } from 'node:util';
import { normaliseUnitCode, parentCodeOf } from '../src/lib/domain/city-import';
import { oneTimePassword } from '../src/lib/domain/people';
import { operatorClient } from './operator-client';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
async function create(values: Record<string, string | undefined>): Promise<void> {
	const email = values.email?.trim().toLowerCase() ?? '';
	if (!EMAIL.test(email)) throw new Error('请用 --email 给出有效的邮箱（登录名）');
	const n = normaliseUnitCode(values.unit ?? '');
	if (!('code' in n)) throw new Error('请用 --unit 给出单位代码，如 5105 或 510500000000');
	if (values.password !== undefined && values.password.length < 8) throw new Error('密码至少 8 位');
	const name = values.name?.trim() || '系统管理员';
	const supabase = operatorClient();

	const { data: unit, error: readError } = await supabase
		.from('units')
		.select('code, name')
		.eq('code', n.code)
		.maybeSingle();
	if (readError) throw new Error(`读取单位失败：${readError.message}`);
	let unitName = unit?.name as string | undefined;
	if (!unit) {
		if (!values['unit-name'])
			throw new Error(
				`单位 ${n.code} 不存在：加上 --unit-name 名称 建立它，或先用 npm run city:import 导入区划`
			);
		const { error } = await supabase.from('units').insert({
			code: n.code,
			name: values['unit-name'].trim(),
			level: n.level,
			parent_code: parentCodeOf(n.code, n.level)
		});
		if (error) throw new Error(`建立单位 ${n.code} 失败：${error.message}`);
		unitName = values['unit-name'].trim();
	}

	const password = values.password ?? oneTimePassword((n) => webcrypto.getRandomValues(new Uint32Array(n)));
	const { data, error } = await supabase.auth.admin.createUser({
		email,
		password,
		email_confirm: true,
		// Only the server may write app_metadata: the person cannot clear the demand themselves.
		app_metadata: values.password === undefined ? { must_change_password: true } : {}
	});
	if (error?.code === 'email_exists') throw new Error(`${email} 已有账号`);
	if (error || !data.user) throw new Error(`建立账号失败：${error?.message ?? '无返回'}`);
	const { error: grantError } = await supabase.rpc('add_member', {
		p_user_id: data.user.id,
		p_role: 'admin',
		p_unit: n.code,
		p_display_name: name
	});
	if (grantError) {
		await supabase.auth.admin.deleteUser(data.user.id);
		throw new Error(`授予角色失败（账号已撤销）：${grantError.message}`);
	}
	console.log(`已建立系统管理员 ${email}（${unitName} ${n.code}）`);
	if (values.password === undefined)
		console.log(`一次性密码：${password}（只显示这一次；首次登录后须设置自己的密码）`);
}

async function main(): Promise<void> {
	const { positionals, values } = parseArgs({
		allowPositionals: true,
		options: {
			email: { type: 'string' },
			unit: { type: 'string' },
			'unit-name': { type: 'string' },
			name: { type: 'string' },
			password: { type: 'string' }
		}
	});
	if (positionals[0] !== 'create')
		throw new Error(
			'用法：npm run admin -- create --email 邮箱 --unit 单位代码 [--unit-name 名称] [--name 姓名]'
		);
	await create(values);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
