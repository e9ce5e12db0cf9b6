/** The map a layer component belongs to, handed down by MapView through a typed context. */
import { getContext, setContext } from 'svelte';
import type { Map as MapLibreMap } from 'maplibre-gl';

const KEY = Symbol('wanggetong.map');

export interface MapContext {
	/** The MapLibre map; layers are mounted only once it exists and its style is loaded. */
	readonly map: MapLibreMap;
}

export function setMapContext(ctx: MapContext): void {
	setContext(KEY, ctx);
}

export function getMapContext(): MapContext {
	const ctx = getContext<MapContext | undefined>(KEY);
	if (!ctx) throw new Error('map layers must be placed inside <MapView>');
	return ctx;
}
