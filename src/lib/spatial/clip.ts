import { difference, feature, featureCollection, intersect, union } from '@turf/turf';
import { isAreal, type Areal } from './areal';

/*
 * Thin wrappers over Turf's polygon clipping (polyclip-ts) that take and return bare geometries,
 * so the tiling code does not wrap and unwrap Features at every step.
 */

function check(geometries: Areal[]) {
	for (const g of geometries)
		if (!isAreal(g)) throw new Error('every geometry must be a Polygon or MultiPolygon');
}

/** The intersection of two areal geometries, or null when they share no area. */
export function intersectAreal(a: Areal, b: Areal): Areal | null {
	check([a, b]);
	return intersect(featureCollection([feature(a), feature(b)]))?.geometry ?? null;
}

/** The union of one or more areal geometries, or null for an empty list. */
export function unionAreal(geometries: Areal[]): Areal | null {
	check(geometries);
	if (geometries.length === 0) return null;
	if (geometries.length === 1) return geometries[0];
	return union(featureCollection(geometries.map((g) => feature(g))))?.geometry ?? null;
}

/** `a` minus `b`, or null when nothing is left. */
export function differenceAreal(a: Areal, b: Areal): Areal | null {
	check([a, b]);
	return difference(featureCollection([feature(a), feature(b)]))?.geometry ?? null;
}
