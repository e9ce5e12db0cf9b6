import type { Position } from 'geojson';
import { isAreal, largestPartIndex, polygonsOf, ringCentroid, type Areal } from './areal';
import { isWellInside } from './boundary-distance';
import { randomPointInPolygon, type Rng } from './random';

/** Options for {@link labelPoint}. */
export interface LabelPointOptions {
	/** How far inside every candidate must lie, in metres, after `snap` (default 0: strictly inside). */
	marginMeters?: number;
	/** Applied to each candidate before it is checked: rounding to the stored precision, typically. */
	snap?: (p: Position) => Position;
	/** Draws further candidates when neither the centroid nor the fallback will do; without it, that throws. */
	rng?: Rng;
}

/**
 * A point to label or centre a unit on, at least `marginMeters` inside it once snapped: the centroid of
 * its largest part; failing that `fallback` (for a generated unit, the seed it grew from); failing that
 * a random point drawn from `rng`. A concave unit (a crescent along a river) has its centroid outside,
 * where a label or a "fly to" would mislead; and a point just inside can land outside when rounded.
 *
 * @param geometry Polygon or MultiPolygon, degrees
 * @param fallback [lon, lat], normally inside the geometry
 * @returns [lon, lat] (snapped), deterministic for a given geometry, fallback and random stream
 * @throws when no candidate is far enough inside (and after 100 random draws, with `rng`)
 * @example
 * labelPoint(street, streetSeed, { marginMeters: 0.5, snap: (p) => roundPosition(p), rng }); // [105.44, 28.88]
 */
export function labelPoint(geometry: Areal, fallback: Position, options: LabelPointOptions = {}): Position {
	if (!isAreal(geometry)) throw new Error('geometry must be a Polygon or MultiPolygon');
	if (!Array.isArray(fallback) || fallback.length < 2) throw new Error('fallback must be [lon, lat]');
	const margin = options.marginMeters ?? 0;
	if (!(margin >= 0)) throw new Error('marginMeters must be >= 0');
	const snap = options.snap ?? ((p: Position) => p);
	const parts = polygonsOf(geometry);
	const candidates = [ringCentroid(parts[largestPartIndex(parts)][0]), fallback];
	for (const candidate of candidates) {
		const p = snap(candidate);
		if (isWellInside(p, geometry, margin)) return p;
	}
	if (options.rng) {
		// draw well clear of the margin, so that snapping cannot undo it
		const drawMargin = margin + 1;
		for (let attempt = 0; attempt < 100; attempt++) {
			const p = snap(randomPointInPolygon(geometry, options.rng, { marginMeters: drawMargin }));
			if (isWellInside(p, geometry, margin)) return p;
		}
	}
	throw new Error(`no label point found at least ${margin} m inside`);
}
