/**
 * Fetches of the map's layer data, started as early as the page knows which layers it shows (before MapLibre
 * has even loaded) and picked up by the layer components once the map is ready. One fetch per URL at a time;
 * a settled fetch is dropped, so data is never older than the view that asked for it.
 *
 *   prefetchLayer(url);                       // page: as soon as the URL is known
 *   const data = await layerFetch(url, signal);  // layer component: the same request if still in flight
 */
import type { FeatureCollection } from 'geojson';

const inFlight = new Map<string, Promise<FeatureCollection>>();

function start(url: string): Promise<FeatureCollection> {
	const promise = fetch(url, { headers: { accept: 'application/json' } })
		.then(async (res) => {
			if (!res.ok) throw new Error(`${res.status}`);
			return (await res.json()) as FeatureCollection;
		})
		.finally(() => {
			// Kept only while pending: a later view of the same URL fetches afresh.
			queueMicrotask(() => {
				if (inFlight.get(url) === promise) inFlight.delete(url);
			});
		});
	inFlight.set(url, promise);
	return promise;
}

export function prefetchLayer(url: string): void {
	if (!inFlight.has(url)) start(url).catch(() => {});
}

/** The layer's data: the prefetch in flight for this URL, or a new request. Rejects with AbortError on abort. */
export function layerFetch(url: string, signal: AbortSignal): Promise<FeatureCollection> {
	const promise = inFlight.get(url) ?? start(url);
	return new Promise((resolve, reject) => {
		const abort = () => reject(new DOMException('aborted', 'AbortError'));
		if (signal.aborted) return abort();
		signal.addEventListener('abort', abort, { once: true });
		promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
	});
}
