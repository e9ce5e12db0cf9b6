/**
 * Basemaps. Offline by default: a plain background (light for desks and phones, dark for a command centre's wall
 * screen) with everything else drawn from the app's own data, and no `glyphs` URL, so MapLibre draws labels
 * (Chinese included) from the fonts on the device. An online basemap is opt-in by env var:
 * PUBLIC_BASEMAP_STYLE_URL names a MapLibre style, or PUBLIC_TIANDITU_KEY uses Tianditu (天地图) vector tiles
 * with Chinese annotation. Both are in WGS-84 / CGCS2000 like the app's data, so nothing is shifted.
 */
import type { StyleSpecification } from 'maplibre-gl';
import type { BasemapId } from '$lib/domain/view';

export interface BasemapEnv {
	PUBLIC_BASEMAP_STYLE_URL?: string;
	PUBLIC_TIANDITU_KEY?: string;
}

function plain(name: string, color: string): StyleSpecification {
	return {
		version: 8,
		name,
		sources: {},
		layers: [{ id: 'background', type: 'background', paint: { 'background-color': color } }]
	};
}

export const OFFLINE_STYLES: Record<'light' | 'dark', StyleSpecification> = {
	light: plain('wanggetong-light', '#eef2f5'),
	dark: plain('wanggetong-dark', '#1c2530')
};

/**
 * Tianditu's web-Mercator vector map and Chinese annotation as raster tiles (servers t0–t7). Its coordinates
 * are CGCS2000, which agrees with WGS-84 to centimetres: no GCJ-02 offset to undo.
 */
export function tiandituStyle(key: string): StyleSpecification {
	const tiles = (layer: 'vec' | 'cva') =>
		Array.from(
			{ length: 8 },
			(_, i) =>
				`https://t${i}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}` +
				`&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`
		);
	return {
		version: 8,
		name: 'tianditu',
		sources: {
			vec: { type: 'raster', tiles: tiles('vec'), tileSize: 256, maxzoom: 18, attribution: '天地图' },
			cva: { type: 'raster', tiles: tiles('cva'), tileSize: 256, maxzoom: 18 }
		},
		layers: [
			{ id: 'tianditu-vec', type: 'raster', source: 'vec' },
			{ id: 'tianditu-cva', type: 'raster', source: 'cva' }
		]
	};
}

/** The online basemap configured for this deployment, or null (the default: nothing leaves the machine). */
export function onlineStyle(env: BasemapEnv): StyleSpecification | string | null {
	if (env.PUBLIC_BASEMAP_STYLE_URL) return env.PUBLIC_BASEMAP_STYLE_URL;
	if (env.PUBLIC_TIANDITU_KEY) return tiandituStyle(env.PUBLIC_TIANDITU_KEY);
	return null;
}

/** Basemaps a user may pick here: the offline ones always, the online one when configured. */
export function basemapsOffered(env: BasemapEnv): BasemapId[] {
	return onlineStyle(env) ? ['light', 'dark', 'online'] : ['light', 'dark'];
}

/** The style for a basemap choice; an online choice without configuration falls back to light. */
export function basemapStyle(id: BasemapId, env: BasemapEnv): StyleSpecification | string {
	if (id === 'online') return onlineStyle(env) ?? OFFLINE_STYLES.light;
	return OFFLINE_STYLES[id];
}

/** Fonts MapLibre asks the browser for when a style has no glyphs URL: CJK families first. */
export const LOCAL_FONT_FAMILY =
	"'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/**
 * The paper under a map: a style whose only layer is a background colour (the offline basemaps) is split into
 * that colour, which the map's element takes in CSS, and the style without the layer, so MapLibre draws only
 * the data on a transparent canvas. The page paints the colour from its first frame, and every frame of the map
 * is a shader program and a full-screen fill lighter (software WebGL and weak phone GPUs feel both). Any other
 * style (an online basemap) is left whole, with no paper.
 */
export function paperOf(style: StyleSpecification | string): {
	style: StyleSpecification | string;
	paper: string | null;
} {
	if (typeof style === 'string' || style.layers.length !== 1) return { style, paper: null };
	const [only] = style.layers;
	if (only.type !== 'background' || only.layout?.visibility === 'none') return { style, paper: null };
	const color = only.paint?.['background-color'];
	const opacity = only.paint?.['background-opacity'];
	if (typeof color !== 'string' || (opacity !== undefined && opacity !== 1)) return { style, paper: null };
	return { style: { ...style, layers: [] }, paper: color };
}
