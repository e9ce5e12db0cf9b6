import { fail, redirect } from '@sveltejs/kit';
import { localPath } from '$lib/domain/local-path';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, '/');
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '').trim();
		const password = String(form.get('password') ?? '');
		if (!email || !password) return fail(400, { email, message: m.login_missing() });
		const { error } = await locals.supabase.auth.signInWithPassword({ email, password });
		if (error) {
			const unreachable = error.status === undefined || error.status >= 500;
			return fail(unreachable ? 503 : 400, {
				email,
				message: unreachable ? m.login_unavailable() : m.login_failed()
			});
		}
		// Only a path on this site may follow a sign-in (no open redirect).
		redirect(303, localPath(url.searchParams.get('next')));
	}
};
