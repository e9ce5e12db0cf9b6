/**
 * /account/password — a person chooses their own password: after a one-time password (a new account or a
 * reset, when the hooks send them here first) without the current one, otherwise with it. At least 8 characters
 * and not their phone number; changing it signs out the person's other sessions (Supabase Auth does).
 */
import { fail, redirect } from '@sveltejs/kit';
import { passwordProblem } from '$lib/domain/people';
import { m } from '$lib/paraglide/messages';
import * as people from '$lib/server/people';
import { signInWithPassword } from '$lib/server/sign-in';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	mustChange: locals.user?.app_metadata?.must_change_password === true
});

export const actions: Actions = {
	default: async ({ request, locals, getClientAddress }) => {
		const user = locals.user;
		if (!user?.email) redirect(303, '/login');
		const form = await request.formData();
		const current = String(form.get('current') ?? '');
		const next = String(form.get('password') ?? '');
		const repeat = String(form.get('repeat') ?? '');
		const mustChange = user.app_metadata?.must_change_password === true;
		const problem = passwordProblem(next, user.phone ?? '');
		if (problem)
			return fail(400, { message: problem === 'too_short' ? m.password_too_short() : m.password_is_phone() });
		if (next !== repeat) return fail(400, { message: m.password_mismatch() });
		if (!mustChange) {
			const { error } = await signInWithPassword(locals.supabase, user.email, current, getClientAddress());
			if (error)
				return fail(error.status === 429 ? 429 : 400, {
					message: error.status === 429 ? m.login_throttled() : m.password_wrong_current()
				});
		}
		const { error } = await locals.supabase.auth.updateUser({ password: next });
		if (error)
			return fail(400, {
				message: error.code === 'weak_password' ? m.password_too_short() : m.error_invalid_input()
			});
		if (mustChange) await people.passwordChosen(user.id);
		redirect(303, '/');
	}
};
