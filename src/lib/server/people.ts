/**
 * People's accounts (issue #16). Who may do what is the database's to say (…1208000600_people.sql), asked with
 * the caller's own session first; only then does the server touch the account itself through Supabase's auth
 * admin API with the service-role key (never sent to a browser), so the same code runs on the embedded stack,
 * `supabase start` and a hosted project.
 *
 *   const made = await people.create(locals.supabase, { name, email, phone, role, unit });
 *   if ('ok' in made) show(made.password); // one-time, shown once
 */
import { webcrypto } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { oneTimePassword } from '$lib/domain/people';
import type { Role } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { check, refusal, type Refusal } from './db-error';
import { supabaseServiceRoleKey, supabaseUrl } from './env';

export interface Person {
	user_id: string;
	display_name: string;
	role: Role;
	unit_code: string;
	unit_name: string;
	login: string;
	phone: string | null;
	active: boolean;
	created_at: string;
}

/** "Ban" long enough to mean until reactivated (GoTrue takes a duration). */
const DEACTIVATED = '876000h';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^1[3-9][0-9]{9}$/;

function admin(): SupabaseClient {
	const key = supabaseServiceRoleKey();
	if (!key) throw new Error('SUPABASE_SERVICE_ROLE_KEY is not set: accounts cannot be managed');
	return createClient(supabaseUrl(), key, { auth: { persistSession: false, autoRefreshToken: false } });
}

const newPassword = () => oneTimePassword((n) => webcrypto.getRandomValues(new Uint32Array(n)));

async function asked(
	supabase: SupabaseClient,
	fn: string,
	args: Record<string, unknown>
): Promise<Refusal | null> {
	try {
		check(fn, await supabase.rpc(fn, args));
		return null;
	} catch (e) {
		const r = refusal(e);
		if (!r) throw e;
		return r;
	}
}

/** The people of a unit and below that the caller manages. */
export async function list(supabase: SupabaseClient, unit: string): Promise<Person[]> {
	return check('unit_members', await supabase.rpc('unit_members', { p_unit: unit })) as Person[];
}

export interface NewPerson {
	name: string;
	email: string;
	phone: string;
	role: Role;
	unit: string;
}

/** Makes the account, then gives it its role and unit as the caller (undone if the caller may not). */
export async function create(
	supabase: SupabaseClient,
	p: NewPerson
): Promise<{ ok: true; password: string } | Refusal> {
	if (!EMAIL.test(p.email)) return { status: 400, message: m.people_bad_email(), hint: 'bad_email' };
	const phone = p.phone.replace(/[\s-]/g, '');
	if (phone && !PHONE.test(phone)) return { status: 400, message: m.people_bad_phone(), hint: 'bad_phone' };
	const password = newPassword();
	const { data, error } = await admin().auth.admin.createUser({
		email: p.email.toLowerCase(),
		phone: phone || undefined,
		password,
		email_confirm: true,
		phone_confirm: !!phone,
		app_metadata: { must_change_password: true }
	});
	if (error || !data.user) {
		if (error?.code === 'email_exists' || error?.code === 'phone_exists')
			return { status: 409, message: m.people_exists(), hint: error.code };
		throw new Error(`auth.admin.createUser: ${error?.message}`);
	}
	const refused = await asked(supabase, 'add_member', {
		p_user_id: data.user.id,
		p_role: p.role,
		p_unit: p.unit,
		p_display_name: p.name
	});
	if (refused) {
		await admin().auth.admin.deleteUser(data.user.id);
		return refused;
	}
	return { ok: true, password };
}

/**
 * Deactivates or reactivates: the membership first (the caller's right, audited; from then on the person's
 * tokens read nothing), then the account (no sign-in, no refresh, every token refused).
 */
export async function setActive(
	supabase: SupabaseClient,
	userId: string,
	active: boolean,
	reason: string
): Promise<{ ok: true } | Refusal> {
	const refused = await asked(supabase, 'set_member_active', {
		p_user_id: userId,
		p_active: active,
		p_reason: reason
	});
	if (refused) return refused;
	const { error } = await admin().auth.admin.updateUserById(userId, {
		ban_duration: active ? 'none' : DEACTIVATED
	});
	if (error) throw new Error(`auth.admin.updateUserById: ${error.message}`);
	return { ok: true };
}

/** A one-time password for someone the caller manages (audited); they set their own at the next sign-in. */
export async function resetPassword(
	supabase: SupabaseClient,
	userId: string
): Promise<{ ok: true; password: string } | Refusal> {
	const refused = await asked(supabase, 'audit_password_reset', { p_user_id: userId });
	if (refused) return refused;
	const password = newPassword();
	const { error } = await admin().auth.admin.updateUserById(userId, {
		password,
		app_metadata: { must_change_password: true }
	});
	if (error) throw new Error(`auth.admin.updateUserById: ${error.message}`);
	return { ok: true, password };
}

/** After the person chose their own password: the demand to change it is lifted. */
export async function passwordChosen(userId: string): Promise<void> {
	const { error } = await admin().auth.admin.updateUserById(userId, {
		app_metadata: { must_change_password: false }
	});
	if (error) throw new Error(`auth.admin.updateUserById: ${error.message}`);
}
