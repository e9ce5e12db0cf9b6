/**
 * The basemap. Offline by default: a plain background, with everything else drawn from the app's own data, and
 * no `glyphs` URL, so MapLibre draws labels (Chinese included) from the fonts on the device. An online basemap
 * is opt-in: PUBLIC_BASEMAP_STYLE_URL names a MapLibre style.
 */
import type { StyleSpecification } from 'maplibre-gl';

export const OFFLINE_STYLE: StyleSpecification = {
	version: 8,
	name: 'wanggetong-offline',
	sources: {},
	layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef2f5' } }]
};

export function basemapStyle(onlineStyleUrl: string | undefined): StyleSpecification | string {
	return onlineStyleUrl ? onlineStyleUrl : OFFLINE_STYLE;
}

/** Fonts MapLibre asks the browser for when a style has no glyphs URL: CJK families first. */
export const LOCAL_FONT_FAMILY =
	"'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', 'PingFang SC', 'Microsoft YaHei', sans-serif";
