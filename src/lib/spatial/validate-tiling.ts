import { area } from '@turf/turf';
import { isAreal, type Areal } from './areal';
import { bboxesIntersect, geometryBbox } from './bbox';
import { differenceAreal, intersectAreal, unionAreal } from './clip';

/** Two children that overlap, by their index in the children array, and by how much (m²). */
export interface TilingOverlap {
	a: number;
	b: number;
	area: number;
}

/** What {@link validateTiling} found. Every area is in square metres (geodesic, as Turf's `area`). */
export interface TilingReport {
	parentArea: number;
	/** Sum of the children's areas: equals `parentArea` when there is neither gap nor overlap. */
	childrenArea: number;
	/** Area of the parent that no child covers. */
	gapArea: number;
	/** Area covered by children but outside the parent. */
	outsideArea: number;
	/** Sum of the pairwise intersection areas of the children. */
	overlapArea: number;
	/** Pairs whose intersection is larger than `minPairArea`, largest first. */
	overlaps: TilingOverlap[];
	/** Indexes of children with no area to speak of (under 1 cm²). */
	emptyChildren: number[];
}

/**
 * Measures how well `children` tile `parent`: the gap they leave, what sticks out, and which pairs
 * overlap. A perfect tiling reports zeros; clipping noise shows up as square centimetres.
 *
 * @param parent Polygon or MultiPolygon, degrees
 * @param children Polygons or MultiPolygons, degrees
 * @param options.minPairArea overlaps at or below this many m² are summed but not listed (default 0.01)
 * @example
 * const report = validateTiling(district, streets);
 * report.gapArea + report.overlapArea < 1; // m²
 */
export function validateTiling(
	parent: Areal,
	children: Areal[],
	options: { minPairArea?: number } = {}
): TilingReport {
	if (!isAreal(parent)) throw new Error('parent must be a Polygon or MultiPolygon');
	if (!Array.isArray(children) || children.length === 0)
		throw new Error('children must be a non-empty array');
	children.forEach((child, i) => {
		if (!isAreal(child)) throw new Error(`child ${i} must be a Polygon or MultiPolygon`);
	});
	const minPairArea = options.minPairArea ?? 0.01;

	const parentArea = area(parent);
	const childAreas = children.map((child) => area(child));
	const covered = unionAreal(children);
	const gap = covered ? differenceAreal(parent, covered) : parent;
	const outside = covered ? differenceAreal(covered, parent) : null;

	const boxes = children.map((child) => geometryBbox(child));
	const overlaps: TilingOverlap[] = [];
	let overlapArea = 0;
	for (let a = 0; a < children.length; a++) {
		for (let b = a + 1; b < children.length; b++) {
			if (!bboxesIntersect(boxes[a], boxes[b])) continue;
			const shared = intersectAreal(children[a], children[b]);
			const sharedArea = shared ? area(shared) : 0;
			overlapArea += sharedArea;
			if (sharedArea > minPairArea) overlaps.push({ a, b, area: sharedArea });
		}
	}
	overlaps.sort((x, y) => y.area - x.area);

	return {
		parentArea,
		childrenArea: childAreas.reduce((sum, x) => sum + x, 0),
		gapArea: gap ? area(gap) : 0,
		outsideArea: outside ? area(outside) : 0,
		overlapArea,
		overlaps,
		emptyChildren: childAreas.flatMap((x, i) => (x >= 1e-4 ? [] : [i]))
	};
}
