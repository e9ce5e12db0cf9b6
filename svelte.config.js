import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * The Content-Security-Policy of every page: everything from this site, nothing from anywhere else (an online
 * basemap's origins are added when one is configured: src/lib/server/csp.ts, applied in hooks.server.ts).
 * - script-src: the app's modules, MapLibre's (preloaded by the page head) and SvelteKit's one inline start-up
 *   script, which gets this response's nonce ('auto' mode: a nonce on rendered pages, a hash on prerendered).
 *   No 'unsafe-inline', no 'unsafe-eval': neither Svelte, MapLibre, Chart.js nor Terra Draw needs them.
 * - style-src: 'unsafe-inline' for the style attributes Svelte renders (style:prop, the map's and charts' sized
 *   boxes) and the ones MapLibre and Chart.js set; styles cannot run code.
 * - worker-src: MapLibre's worker is its own module file from this site; blob: is where MapLibre builds a worker
 *   when the file lies on another origin (assets served from a CDN).
 * - img-src: data: and blob: for MapLibre's control icons and the images it decodes from fetched bytes.
 * - connect-src: the layer data, the board's outbox and the roster's candidates, including the layer data the
 *   document's Link header preloads (as=fetch).
 * - frame-ancestors 'none', form-action 'self', base-uri 'self', object-src 'none': no framing, forms post here
 *   only. The PDF printer (src/lib/server/pdf.ts) loads this same page from this same site, so it needs nothing
 *   more.
 */
/** @type {import('@sveltejs/kit').KitConfig['csp']} */
const csp = {
	mode: 'auto',
	directives: {
		'default-src': ['self'],
		'script-src': ['self'],
		'style-src': ['self', 'unsafe-inline'],
		'img-src': ['self', 'data:', 'blob:'],
		'font-src': ['self', 'data:'],
		'connect-src': ['self'],
		'worker-src': ['self', 'blob:'],
		'manifest-src': ['self'],
		'object-src': ['none'],
		'base-uri': ['self'],
		'form-action': ['self'],
		'frame-ancestors': ['none']
	}
};

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: { adapter: adapter(), csp }
};

export default config;
