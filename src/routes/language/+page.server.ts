import { error, redirect } from '@sveltejs/kit';
import { localPath } from '$lib/domain/local-path';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';
import type { Actions } from './$types';

/**
 * The language switch in the header is a plain form posting here, so it works on a page that has not hydrated
 * yet (a phone on a slow network): the choice goes into Paraglide's cookie, as its `setLocale` writes it in the
 * browser, and the same page is loaded again in that language.
 */
export const actions: Actions = {
	default: async ({ request, cookies }) => {
		const form = await request.formData();
		const locale = form.get('locale');
		if (typeof locale !== 'string' || !isLocale(locale)) error(400, m.error_bad_locale());
		// Readable by the page's script too (Paraglide reads the locale from document.cookie).
		cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax' });
		redirect(303, localPath(form.get('next')));
	}
};
