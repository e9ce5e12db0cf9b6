import { createServerClient } from '@supabase/ssr';
import { redirect, type Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { supabaseAnonKey, supabaseUrl } from '$lib/server/env';
import * as members from '$lib/server/members';

/** Locale per request (AsyncLocalStorage inside the middleware), never a module-level singleton. */
const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

/** A Supabase client bound to this request's cookies, and the user verified with the auth server. */
const supabase: Handle = async ({ event, resolve }) => {
	event.locals.supabase = createServerClient(supabaseUrl(), supabaseAnonKey(), {
		cookies: {
			getAll: () => event.cookies.getAll(),
			setAll: (cookies) =>
				cookies.forEach(({ name, value, options }) =>
					event.cookies.set(name, value, { ...options, path: '/' })
				)
		}
	});
	// getUser() asks the auth server; getSession() alone would trust whatever the cookie says.
	const { data } = await event.locals.supabase.auth.getUser();
	event.locals.user = data.user ?? null;
	event.locals.membership = event.locals.user
		? await members.readOwn(event.locals.supabase, event.locals.user.id)
		: null;
	return resolve(event, {
		filterSerializedResponseHeaders: (name) => name === 'content-range' || name === 'x-supabase-api-version'
	});
};

const PUBLIC_PATHS = ['/login'];

const guard: Handle = async ({ event, resolve }) => {
	const path = event.url.pathname;
	if (!event.locals.user && !PUBLIC_PATHS.some((p) => path.startsWith(p))) {
		redirect(303, `/login?next=${encodeURIComponent(path + event.url.search)}`);
	}
	return resolve(event);
};

export const handle = sequence(i18n, supabase, guard);
