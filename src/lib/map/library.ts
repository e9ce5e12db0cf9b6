/**
 * The map library, loaded once per page as MapLibre ships it (a self-contained ES module) rather than as a chunk
 * of the app's bundle: its address is then known when the page is rendered on the server, so the page's head
 * names it (`<link rel="modulepreload">`, see MapView) and the browser fetches and compiles it while the HTML is
 * still arriving, instead of after the page's own code has run. The worker is started as soon as the library
 * is in (prewarm), so it boots while the page hydrates, and it is kept for the next map: drilling down from one
 * unit to another does not boot another.
 *
 *   const { Map } = await loadMapLibre();
 */
import libraryUrl from 'maplibre-gl/dist/maplibre-gl.mjs?url';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

export const MAPLIBRE_URL: string = libraryUrl;

type MapLibre = typeof import('maplibre-gl');
let loading: Promise<MapLibre> | undefined;

export function loadMapLibre(): Promise<MapLibre> {
	loading ??= (import(/* @vite-ignore */ libraryUrl) as Promise<MapLibre>).then((maplibre) => {
		maplibre.setWorkerUrl(workerUrl);
		maplibre.prewarm();
		return maplibre;
	});
	return loading;
}
