/**
 * The Content-Security-Policy's run-time part. svelte.config.js sets the policy (`kit.csp`: this site only, a
 * nonce per page for SvelteKit's own inline script). An online basemap is configured when the app starts, not
 * when it is built (PUBLIC_BASEMAP_STYLE_URL or PUBLIC_TIANDITU_KEY, read through $env/dynamic), so its origins
 * are added to the page's policy here, to the directives MapLibre's requests fall under: the style, tiles,
 * glyphs and sprites are fetched (connect-src) and raster tiles and sprites drawn as images (img-src).
 *
 *   withOrigins(policy, basemapOrigins(env))   // the header with the basemap's origins, or as it was
 */

export interface BasemapCspEnv {
	PUBLIC_BASEMAP_STYLE_URL?: string;
	PUBLIC_TIANDITU_KEY?: string;
	/** Further origins a custom style's tiles, glyphs or sprites come from, separated by spaces. */
	BASEMAP_ORIGINS?: string;
}

/** The directives an online basemap's requests fall under. */
const BASEMAP_DIRECTIVES = ['connect-src', 'img-src'] as const;

/** Tianditu serves its tiles from t0 to t7 (src/lib/map/style.ts). */
const TIANDITU = 'https://*.tianditu.gov.cn';

/** A host wildcard as CSP writes it (https://*.example.cn), nothing more. */
const WILDCARD = /^https:\/\/\*\.[a-z0-9-]+(\.[a-z0-9-]+)+(:\d{1,5})?$/i;

/** What an origin may look like in the header: scheme, host and port, nothing a policy would read as syntax. */
const ORIGIN = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*)(:\d{1,5})?$/i;

/** An origin as a CSP source, or null for anything that is not a plain http(s) URL. */
function origin(url: string): string | null {
	try {
		const o = new URL(url).origin;
		return ORIGIN.test(o) ? o : null;
	} catch {
		return null;
	}
}

/** The origins the configured online basemap loads from; empty when there is none (the default). */
export function basemapOrigins(env: BasemapCspEnv): string[] {
	const origins: string[] = [];
	if (env.PUBLIC_BASEMAP_STYLE_URL) {
		const o = origin(env.PUBLIC_BASEMAP_STYLE_URL);
		if (o) origins.push(o);
		for (const extra of (env.BASEMAP_ORIGINS ?? '').split(/\s+/)) {
			const e = WILDCARD.test(extra) ? extra : origin(extra);
			if (e) origins.push(e);
		}
	} else if (env.PUBLIC_TIANDITU_KEY) {
		origins.push(TIANDITU);
	}
	return [...new Set(origins)];
}

/** `policy` with `origins` added to the basemap's directives (a directive it lacks is left to default-src). */
export function withOrigins(policy: string, origins: readonly string[]): string {
	if (origins.length === 0) return policy;
	return policy
		.split(';')
		.map((part) => {
			const directive = part.trim();
			const name = directive.split(/\s+/)[0];
			return (BASEMAP_DIRECTIVES as readonly string[]).includes(name)
				? `${directive} ${origins.join(' ')}`
				: directive;
		})
		.filter((d) => d !== '')
		.join('; ');
}
