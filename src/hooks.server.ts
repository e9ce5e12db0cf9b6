import { createServerClient } from '@supabase/ssr';
import { redirect, type Handle, type HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { env as privateEnv } from '$env/dynamic/private';
import { env as publicEnv } from '$env/dynamic/public';
import { errorPageMessage } from '$lib/components/labels';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { isWithin, levelOfCode } from '$lib/domain/units';
import { basemapOrigins, withOrigins } from '$lib/server/csp';
import { supabaseAnonKey, supabaseUrl } from '$lib/server/env';
import * as members from '$lib/server/members';
import * as units from '$lib/server/units';

/** Locale per request (AsyncLocalStorage inside the middleware), never a module-level singleton. */
const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

/**
 * A Supabase client bound to this request's cookies, and the user verified with the auth server. The session
 * cookies are HttpOnly: @supabase/ssr sets `httpOnly: false` so that a browser client can read the session, but
 * this app has none (the browser talks only to the app, which talks to Supabase), so no script on a page ever
 * needs the tokens, and an injected one cannot take them. SameSite=Lax (the library's default) keeps them off
 * other sites' POSTs; Secure is SvelteKit's default (except on http://localhost).
 */
const supabase: Handle = async ({ event, resolve }) => {
	event.locals.supabase = createServerClient(supabaseUrl(), supabaseAnonKey(), {
		cookies: {
			getAll: () => event.cookies.getAll(),
			setAll: (cookies) =>
				cookies.forEach(({ name, value, options }) =>
					event.cookies.set(name, value, { ...options, path: '/', httpOnly: true, sameSite: 'lax' })
				)
		}
	});
	// getUser() asks the auth server; getSession() alone would trust whatever the cookie says.
	const { data } = await event.locals.supabase.auth.getUser();
	event.locals.user = data.user ?? null;
	event.locals.membership = event.locals.user
		? await members.readOwn(event.locals.supabase, event.locals.user.id)
		: null;
	// A unit outside the member's own cannot be read by them, so whether it exists at all is asked here, and
	// only then: the screens answer "not found" for a code that names no unit, "forbidden" for one that does.
	const unit = event.params.unit;
	const scope = event.locals.membership?.unit_code;
	if (unit && scope && levelOfCode(unit) !== null && !isWithin(unit, scope))
		event.locals.unitMissing = !(await units.exists(event.locals.supabase, unit));
	return resolve(event, {
		filterSerializedResponseHeaders: (name) => name === 'content-range' || name === 'x-supabase-api-version'
	});
};

// The language switch is a form on every page, the sign-in page included.
const PUBLIC_PATHS = ['/login', '/language'];
// What someone who must first choose a password may still open.
const CHANGE_PATHS = ['/account/password', '/logout', '/language'];

const guard: Handle = async ({ event, resolve }) => {
	const path = event.url.pathname;
	if (!event.locals.user && !PUBLIC_PATHS.some((p) => path.startsWith(p))) {
		redirect(303, `/login?next=${encodeURIComponent(path + event.url.search)}`);
	}
	// Signed in with a one-time password (a new account, or a reset): their own password comes first.
	if (
		event.locals.user?.app_metadata?.must_change_password === true &&
		!CHANGE_PATHS.some((p) => path.startsWith(p))
	)
		redirect(303, '/account/password');
	return resolve(event);
};

/**
 * Gzip for dynamic responses (pages with their data, layer JSON) when the client accepts it; the built app's
 * static files are precompressed by adapter-node. A city view's boundaries shrink about fourfold.
 */
const compress: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const accepts = event.request.headers.get('accept-encoding') ?? '';
	const type = response.headers.get('content-type') ?? '';
	if (
		!response.body ||
		response.headers.has('content-encoding') ||
		!/\bgzip\b/.test(accepts) ||
		!/^(text\/html|application\/json)/.test(type)
	)
		return response;
	const headers = new Headers(response.headers);
	headers.set('content-encoding', 'gzip');
	headers.delete('content-length');
	headers.append('vary', 'accept-encoding');
	return new Response(response.body.pipeThrough(new CompressionStream('gzip')), {
		status: response.status,
		statusText: response.statusText,
		headers
	});
};

/**
 * What a page's load named in `locals.preload` (its map layers' data) goes into the document's Link header: the
 * browser starts those requests with the response's first bytes, before the HTML is parsed, and the page's own
 * fetch of the same URL takes the response over. Documents only: on a client-side navigation the page fetches
 * its data itself, and a preload there would be a second request.
 */
const preloads: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const urls = event.locals.preload;
	if (!urls?.length || !(response.headers.get('content-type') ?? '').startsWith('text/html')) return response;
	for (const url of urls)
		response.headers.append('link', `<${encodeURI(url)}>; rel=preload; as=fetch; crossorigin=anonymous`);
	return response;
};

/**
 * The page's Content-Security-Policy (kit.csp in svelte.config.js) with the configured online basemap's origins,
 * which are known only when the app starts ($lib/server/csp).
 */
const csp: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const policy = response.headers.get('content-security-policy');
	const origins = basemapOrigins({ ...publicEnv, BASEMAP_ORIGINS: privateEnv.BASEMAP_ORIGINS });
	if (policy && origins.length > 0)
		response.headers.set('content-security-policy', withOrigins(policy, origins));
	return response;
};

export const handle = sequence(compress, preloads, csp, i18n, supabase, guard);

/**
 * Errors the app did not word itself (an address no route serves, a failure) reach the error page in the
 * user's language: the framework's own messages are English ("Not Found", "Internal Error"). Runs inside the
 * request's locale (the i18n handle).
 */
export const handleError: HandleServerError = ({ error, status }) => {
	if (status >= 500) console.error(error);
	return { message: errorPageMessage(status) };
};
