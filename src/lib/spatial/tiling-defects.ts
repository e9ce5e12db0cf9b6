import { area } from '@turf/turf';
import type { Polygon } from 'geojson';
import { isAreal, polygonsOf, type Areal } from './areal';
import { bboxesIntersect, geometryBbox } from './bbox';
import { differenceAreal, intersectAreal, unionAreal } from './clip';

/*
 * Where a set of children fails to tile its parent, as shapes to highlight on a map and areas to read out:
 * the gaps (parent no child covers), the overlaps (by pair of children) and what sticks out of the parent (by
 * child). validate-tiling.ts measures the same three totals for the seed's nested tilings; this module keeps
 * the pieces, for the grid editor (issue #5), which must say where as well as how much.
 */

export type TilingDefectKind = 'gap' | 'overlap' | 'outside';

/** One connected piece of a defect. */
export interface TilingDefect {
	kind: TilingDefectKind;
	geometry: Polygon;
	/** m², geodesic (Turf's `area`) */
	area: number;
	/** The children involved, by index: the overlapping pair, the child that sticks out, none for a gap. */
	children: number[];
}

/** Options for {@link tilingDefects}. */
export interface TilingDefectOptions {
	/**
	 * Pieces at or under this many m² are taken for rounding noise and left out (default 1): coordinates kept to
	 * 6 decimals (about 0.1 m) leave slivers of square centimetres where clipped edges meet.
	 */
	minArea?: number;
}

function pieces(geometry: Areal | null, kind: TilingDefectKind, children: number[], minArea: number) {
	if (!geometry) return [];
	return polygonsOf(geometry).flatMap((rings): TilingDefect[] => {
		const piece: Polygon = { type: 'Polygon', coordinates: rings };
		const a = area(piece);
		return a > minArea ? [{ kind, geometry: piece, area: a, children }] : [];
	});
}

/**
 * The gaps, overlaps and overhangs of `children` as a tiling of `parent`, largest first within each kind. An
 * empty list means the children tile the parent (up to `minArea`).
 *
 * @param parent Polygon or MultiPolygon, degrees
 * @param children Polygons or MultiPolygons, degrees
 * @example
 * tilingDefects(community, grids); // [{ kind: 'gap', area: 812.4, children: [], geometry: {...} }]
 */
export function tilingDefects(
	parent: Areal,
	children: Areal[],
	options: TilingDefectOptions = {}
): TilingDefect[] {
	if (!isAreal(parent)) throw new Error('parent must be a Polygon or MultiPolygon');
	if (!Array.isArray(children) || children.length === 0)
		throw new Error('children must be a non-empty array');
	children.forEach((child, i) => {
		if (!isAreal(child)) throw new Error(`child ${i} must be a Polygon or MultiPolygon`);
	});
	const minArea = options.minArea ?? 1;
	if (!(minArea >= 0)) throw new Error('minArea must be >= 0');

	const covered = unionAreal(children);
	const gaps = pieces(covered ? differenceAreal(parent, covered) : parent, 'gap', [], minArea);

	const boxes = children.map((child) => geometryBbox(child));
	const overlaps: TilingDefect[] = [];
	const outside: TilingDefect[] = [];
	children.forEach((child, a) => {
		for (let b = a + 1; b < children.length; b++) {
			if (!bboxesIntersect(boxes[a], boxes[b])) continue;
			overlaps.push(...pieces(intersectAreal(child, children[b]), 'overlap', [a, b], minArea));
		}
		outside.push(...pieces(differenceAreal(child, parent), 'outside', [a], minArea));
	});
	const bySize = (x: TilingDefect, y: TilingDefect) => y.area - x.area;
	return [...gaps.sort(bySize), ...overlaps.sort(bySize), ...outside.sort(bySize)];
}
