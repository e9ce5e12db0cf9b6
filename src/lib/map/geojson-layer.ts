/**
 * One GeoJSON source and its style layers on a MapLibre map, owned by a layer component: added on creation,
 * re-added after a basemap (style) switch, data replaced in place, removed on destroy. Layers are stacked by
 * a z order kept in their metadata, so a layer switched on later still lands at its place (areas under
 * lines under points under labels) whatever the order of switching.
 *
 *   const handle = attachGeoJson(map, { id: 'buildings', z: 30, layers: [...], onclick: (f) => ... });
 *   handle.setData(featureCollection);
 *   handle.destroy();
 */
import type { FeatureCollection } from 'geojson';
import type {
	AddLayerObject,
	GeoJSONSource,
	Map as MapLibreMap,
	MapGeoJSONFeature,
	MapLayerMouseEvent
} from 'maplibre-gl';

export const Z_KEY = 'wanggetong:z';
export const INTERACTIVE_KEY = 'wanggetong:interactive';

type WithoutSource<T> = T extends unknown ? Omit<T, 'source'> : never;
/** A style layer without its source (the helper sets it); `interactive` layers open details on click. */
export type LayerSpec = WithoutSource<Exclude<AddLayerObject, { type: 'background' }>> & {
	interactive?: boolean;
};

export interface GeoJsonLayerOptions {
	/** Source id; layer ids should start with it. */
	id: string;
	/** Stacking: higher draws above. 10 areas, 20 lines, 30 points, 40 labels, 50 heatmaps of points. */
	z: number;
	layers: LayerSpec[];
	data?: FeatureCollection;
	promoteId?: string;
	/** Called with the topmost feature of an interactive layer under a click. */
	onclick?: (feature: MapGeoJSONFeature, event: MapLayerMouseEvent) => void;
}

export interface GeoJsonLayerHandle {
	setData(data: FeatureCollection): void;
	destroy(): void;
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

function zOf(layer: { metadata?: unknown }): number {
	const z = (layer.metadata as Record<string, unknown> | undefined)?.[Z_KEY];
	return typeof z === 'number' ? z : -1;
}

/** True when an interactive layer (a point, a building) has a feature at the event's point. */
export function interactiveFeatureAt(map: MapLibreMap, e: MapLayerMouseEvent): boolean {
	const ids = map
		.getStyle()
		.layers.filter((l) => (l.metadata as Record<string, unknown> | undefined)?.[INTERACTIVE_KEY])
		.map((l) => l.id);
	return ids.length > 0 && map.queryRenderedFeatures(e.point, { layers: ids }).length > 0;
}

export function attachGeoJson(map: MapLibreMap, options: GeoJsonLayerOptions): GeoJsonLayerHandle {
	let data: FeatureCollection = options.data ?? EMPTY;
	const interactive = options.layers.filter((l) => l.interactive).map((l) => l.id);

	function add() {
		if (!map.getSource(options.id))
			map.addSource(options.id, {
				type: 'geojson',
				data,
				...(options.promoteId ? { promoteId: options.promoteId } : {})
			});
		for (const spec of options.layers) {
			if (map.getLayer(spec.id)) continue;
			const { interactive: isInteractive, ...rest } = spec;
			const metadata = { [Z_KEY]: options.z, [INTERACTIVE_KEY]: Boolean(isInteractive) };
			const before = map.getStyle().layers.find((l) => zOf(l) > options.z)?.id;
			map.addLayer({ ...rest, source: options.id, metadata } as AddLayerObject, before);
		}
	}

	function remove() {
		for (const spec of [...options.layers].reverse()) if (map.getLayer(spec.id)) map.removeLayer(spec.id);
		if (map.getSource(options.id)) map.removeSource(options.id);
	}

	function onClick(e: MapLayerMouseEvent) {
		const feature = e.features?.[0];
		if (feature) options.onclick?.(feature, e);
	}
	function onEnter() {
		map.getCanvas().style.cursor = 'pointer';
	}
	function onLeave() {
		map.getCanvas().style.cursor = '';
	}

	add();
	map.on('style.load', add);
	for (const id of interactive) {
		map.on('click', id, onClick);
		map.on('mouseenter', id, onEnter);
		map.on('mouseleave', id, onLeave);
	}

	return {
		setData(next) {
			data = next;
			(map.getSource(options.id) as GeoJSONSource | undefined)?.setData(next);
		},
		destroy() {
			map.off('style.load', add);
			for (const id of interactive) {
				map.off('click', id, onClick);
				map.off('mouseenter', id, onEnter);
				map.off('mouseleave', id, onLeave);
			}
			// The map may already be gone when the whole view unmounts.
			if (map.style) remove();
		}
	};
}
