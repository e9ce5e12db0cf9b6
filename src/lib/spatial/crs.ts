/**
 * Coordinates from Chinese web maps into the app's WGS-84 / CGCS2000. Data copied from Amap (高德), Tencent or
 * Baidu maps is offset by the GCJ-02 "Mars" transform (Baidu adds its own BD-09 on top), a few hundred metres
 * in Luzhou: imports convert it here, with gcoord, before anything is validated or saved. Tianditu and GPS
 * devices already give WGS-84 / CGCS2000 (the two agree to centimetres), which passes through unchanged.
 *
 *   toWgs84(featureCollection, 'GCJ02')   // a new object; the input is left as it was
 */
import gcoord from 'gcoord';
import type { GeoJSON, Position } from 'geojson';

export const SOURCE_CRS = ['WGS84', 'GCJ02', 'BD09'] as const;
export type SourceCrs = (typeof SOURCE_CRS)[number];

const GCOORD = { WGS84: gcoord.WGS84, GCJ02: gcoord.GCJ02, BD09: gcoord.BD09 } as const;

/** A position converted to WGS-84 (extra ordinates such as height are kept). */
export function positionToWgs84(position: Position, from: SourceCrs): Position {
	if (from === 'WGS84') return [...position];
	const [lon, lat] = gcoord.transform([position[0], position[1]], GCOORD[from], gcoord.WGS84) as [
		number,
		number
	];
	return [lon, lat, ...position.slice(2)];
}

function mapPositions(value: unknown, f: (p: Position) => Position): unknown {
	if (Array.isArray(value)) {
		if (typeof value[0] === 'number') return f(value as Position);
		return value.map((v) => mapPositions(v, f));
	}
	return value;
}

/** Any GeoJSON object with every coordinate converted to WGS-84; bounding boxes are dropped (recompute them). */
export function toWgs84<T extends GeoJSON>(geojson: T, from: SourceCrs): T {
	const convert = (node: unknown): unknown => {
		if (node === null || typeof node !== 'object') return node;
		if (Array.isArray(node)) return node.map(convert);
		const out: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(node)) {
			if (key === 'bbox') continue;
			if (key === 'coordinates') out[key] = mapPositions(value, (p) => positionToWgs84(p, from));
			else if (key === 'properties') out[key] = value;
			else out[key] = convert(value);
		}
		return out;
	};
	return convert(geojson) as T;
}
