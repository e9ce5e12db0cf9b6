import { fail, redirect } from '@sveltejs/kit';
import { localPath } from '$lib/domain/local-path';
import { signInWithPassword } from '$lib/server/sign-in';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, '/');
};

export const actions: Actions = {
	default: async ({ request, locals, url, getClientAddress }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '').trim();
		const password = String(form.get('password') ?? '');
		if (!email || !password) return fail(400, { email, message: m.login_missing() });
		const { error } = await signInWithPassword(locals.supabase, email, password, getClientAddress());
		if (error?.status === 429) {
			// Too many failed sign-ins for this account or from this address: even the right password waits.
			return fail(429, { email, message: m.login_throttled() });
		}
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
