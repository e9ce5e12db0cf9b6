import { area, bboxPolygon } from '@turf/turf';
import type { Polygon } from 'geojson';
import { fromPolygons, isAreal, largestPartIndex, polygonsOf, type Areal } from './areal';
import { geometryBbox } from './bbox';
import { intersectAreal, unionAreal } from './clip';
import { positionKey } from './planar';

/*
 * Repairs for a coverage: a set of polygons meant to cover a region edge to edge (the districts of a
 * city). Published boundaries quantised to a coarse grid come with specks (parts of a few hectares),
 * self-touching rings, and slivers of no-man's-land between neighbours; these functions remove them
 * without opening new gaps.
 */

/**
 * Rebuilds a polygon through the clipping engine: self-intersecting and self-touching rings come back
 * as valid, separate rings; repeated vertices are gone.
 *
 * @returns the valid geometry, or null when it has no area
 * @example
 * normalizeAreal(rawDistrict); // same area, valid rings
 */
export function normalizeAreal(geometry: Areal): Areal | null {
	if (!isAreal(geometry)) throw new Error('geometry must be a Polygon or MultiPolygon');
	const box = bboxPolygon(geometryBbox(geometry)).geometry;
	return intersectAreal(geometry, box);
}

/**
 * Drops the parts of a (Multi)Polygon smaller than `minAreaM2` square metres.
 *
 * @returns the remaining parts, or the single largest part if all of them are small
 * @example
 * dropSmallParts(district, 100_000); // without parts under 0.1 km²
 */
export function dropSmallParts(geometry: Areal, minAreaM2: number): Areal {
	if (!isAreal(geometry)) throw new Error('geometry must be a Polygon or MultiPolygon');
	if (!(minAreaM2 >= 0)) throw new Error('minAreaM2 must be >= 0');
	const parts = polygonsOf(geometry);
	const areas = parts.map((rings) => area({ type: 'Polygon', coordinates: rings } as Polygon));
	const kept = parts.filter((_, i) => areas[i] >= minAreaM2);
	if (kept.length > 0) return fromPolygons(kept);
	return fromPolygons([parts[largestPartIndex(parts, areas)]]);
}

/**
 * Closes the holes of a coverage smaller than `maxAreaM2`: each hole in the union of `geometries` that no
 * geometry covers is merged into the geometry sharing the most vertices with it (its longest neighbour,
 * near enough). Holes of one geometry that another geometry fills (an enclave) are not gaps and stay.
 *
 * @param geometries the coverage, in degrees, sharing borders vertex for vertex
 * @param maxAreaM2 larger holes are real (a lake, a neighbouring city) and are kept
 * @returns the repaired geometries in input order
 * @example
 * const repaired = fillSmallGaps(districts, 100_000);
 */
export function fillSmallGaps(geometries: Areal[], maxAreaM2: number): Areal[] {
	if (!Array.isArray(geometries) || geometries.length === 0) {
		throw new Error('geometries must be a non-empty array');
	}
	geometries.forEach((g, i) => {
		if (!isAreal(g)) throw new Error(`geometry ${i} must be a Polygon or MultiPolygon`);
	});
	if (!(maxAreaM2 >= 0)) throw new Error('maxAreaM2 must be >= 0');
	const result = geometries.slice();
	const union = unionAreal(result);
	if (!union) return result;
	for (const rings of polygonsOf(union)) {
		for (const hole of rings.slice(1)) {
			const gap: Polygon = { type: 'Polygon', coordinates: [hole] };
			if (area(gap) >= maxAreaM2) continue;
			const holeKeys = new Set(hole.map(positionKey));
			let into = -1;
			let shared = 0;
			result.forEach((g, i) => {
				let count = 0;
				for (const rs of polygonsOf(g))
					for (const ring of rs) for (const p of ring) if (holeKeys.has(positionKey(p))) count++;
				if (count > shared) {
					shared = count;
					into = i;
				}
			});
			if (into < 0) continue;
			const merged = unionAreal([result[into], gap]);
			if (!merged) continue;
			result[into] = merged;
		}
	}
	return result;
}
