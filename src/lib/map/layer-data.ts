/**
 * Fetches of the map's layer data, started as early as the page knows which layers it shows (before MapLibre
 * has even loaded) and picked up by the layer components once the map is ready. A prefetch serves one reader:
 * the layer that takes it gets the response even if it arrived long before the map was ready, and the next
 * reader of that URL (a layer switched off and on again) fetches afresh. A prefetch nobody takes is dropped
 * after a while, so data is never much older than the view that asked for it.
 *
 *   prefetchLayer(url);                          // page: as soon as the URL is known
 *   const data = await layerFetch(url, signal);  // layer component: the prefetch, or a new request
 */
import type { FeatureCollection } from 'geojson';

/** How long an untaken prefetch is kept once it has settled. */
export const UNTAKEN_MS = 10_000;

const waiting = new Map<string, Promise<FeatureCollection>>();

function request(url: string): Promise<FeatureCollection> {
	// A plain GET, as the page's `<link rel="preload" as="fetch">` makes it, so the two are one request.
	return fetch(url).then(async (res) => {
		if (!res.ok) throw new Error(`${res.status}`);
		return (await res.json()) as FeatureCollection;
	});
}

export function prefetchLayer(url: string): void {
	if (waiting.has(url)) return;
	const promise = request(url);
	waiting.set(url, promise);
	const drop = () =>
		setTimeout(() => {
			if (waiting.get(url) === promise) waiting.delete(url);
		}, UNTAKEN_MS);
	promise.then(drop, drop);
}

/** The layer's data: the prefetch of this URL if one is waiting, or a new request. Rejects with AbortError on abort. */
export function layerFetch(url: string, signal: AbortSignal): Promise<FeatureCollection> {
	const promise = waiting.get(url) ?? request(url);
	waiting.delete(url);
	return new Promise((resolve, reject) => {
		const abort = () => reject(new DOMException('aborted', 'AbortError'));
		if (signal.aborted) return abort();
		signal.addEventListener('abort', abort, { once: true });
		promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
	});
}
