/** shpjs ships no types: the one call the boundary import makes (a zipped Shapefile's bytes in, GeoJSON out). */
declare module 'shpjs' {
	import type { FeatureCollection } from 'geojson';
	export default function shp(
		input: ArrayBuffer | Uint8Array
	): Promise<(FeatureCollection & { fileName?: string }) | (FeatureCollection & { fileName?: string })[]>;
}
