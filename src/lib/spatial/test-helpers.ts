/*
 * Shared fixtures for the spatial unit tests (not used by the app).
 */
import { readFileSync } from 'node:fs';
import type { FeatureCollection, Polygon } from 'geojson';
import type { Areal } from './areal';

/**
 * An axis-aligned rectangle from (x0, y0) to (x1, y1), counter-clockwise from the south-west corner.
 *
 * @example
 * box(105.4, 28.85, 105.41, 28.86); // a 0.01° square near Luzhou, about 1 km
 */
export function box(x0: number, y0: number, x1: number, y1: number): Polygon {
	return {
		type: 'Polygon',
		coordinates: [
			[
				[x0, y0],
				[x1, y0],
				[x1, y1],
				[x0, y1],
				[x0, y0]
			]
		]
	};
}

/** A 0.02° square (about 2 km) near Luzhou: the parent most tests cut up. */
export const SQUARE: Polygon = box(105.4, 28.85, 105.42, 28.87);

let districts: FeatureCollection<Areal, { code: string }> | undefined;

/**
 * The real boundary of one of Luzhou's districts, as published (supabase/seed/luzhou/districts.geojson).
 *
 * @param code a district code, e.g. '510502' (江阳区)
 * @throws when there is no such district
 */
export function readDistrict(code: string): Areal {
	districts ??= JSON.parse(
		readFileSync(new URL('../../../supabase/seed/luzhou/districts.geojson', import.meta.url), 'utf8')
	) as FeatureCollection<Areal, { code: string }>;
	const feature = districts.features.find((f) => f.properties.code === code);
	if (!feature) throw new Error(`no district ${code} in districts.geojson`);
	return feature.geometry;
}
