import { booleanPointInPolygon } from '@turf/turf';
import type { Position } from 'geojson';
import { isAreal, type Areal } from './areal';
import { geometryBbox } from './bbox';
import { randomPointInPolygon, type Rng } from './random';

/** Options for {@link spreadSeeds}. */
export interface SpreadSeedsOptions {
	/** Candidates drawn per seed; the one farthest from the seeds so far wins (default 10). More = more even. */
	candidates?: number;
	/** Seeds already placed: new seeds keep away from them too, and are not returned. */
	existing?: Position[];
	/** Draws one candidate strictly inside the parent (default: uniform, at least `marginMeters` from its edges). */
	sample?: (rng: Rng) => Position;
	/** For the default sampler: keep candidates this far from the parent's edges, in metres (default 0). */
	marginMeters?: number;
}

/**
 * `n` distinct points strictly inside `parent`, spread evenly by Mitchell's best-candidate sampling: each
 * new seed is the candidate farthest from all seeds so far. Voronoi cells of such seeds have sensible,
 * comparable sizes without the cost of Lloyd relaxation (which would clip every cell once per round).
 *
 * @param parent Polygon or MultiPolygon in degrees
 * @param n number of seeds wanted (>= 1)
 * @param rng random stream
 * @returns `n` [lon, lat] positions, in the order they were chosen
 * @example
 * spreadSeeds(street, 12, mulberry32(1), { candidates: 12 });
 */
export function spreadSeeds(
	parent: Areal,
	n: number,
	rng: Rng,
	options: SpreadSeedsOptions = {}
): Position[] {
	if (!isAreal(parent)) throw new Error('parent must be a Polygon or MultiPolygon');
	if (!Number.isInteger(n) || n < 1) throw new Error('n must be a positive integer');
	const candidates = options.candidates ?? 10;
	if (!Number.isInteger(candidates) || candidates < 1)
		throw new Error('candidates must be a positive integer');
	const sample =
		options.sample ??
		((r: Rng) => randomPointInPolygon(parent, r, { marginMeters: options.marginMeters ?? 0 }));

	// measure in a local plane where a degree of longitude is shortened by cos(latitude)
	const [, minY, , maxY] = geometryBbox(parent);
	const kx = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
	const placed: Position[] = [...(options.existing ?? [])];
	const seeds: Position[] = [];
	for (let s = 0; s < n; s++) {
		let best: Position | null = null;
		let bestScore = -1;
		for (let c = 0; c < candidates; c++) {
			const candidate = sample(rng);
			let nearest = Infinity;
			for (const p of placed) {
				const dx = (candidate[0] - p[0]) * kx;
				const dy = candidate[1] - p[1];
				const d = dx * dx + dy * dy;
				if (d < nearest) nearest = d;
			}
			if (nearest > bestScore) {
				best = candidate;
				bestScore = nearest;
			}
		}
		if (!best || bestScore === 0) throw new Error('spreadSeeds: could not find a distinct seed');
		if (!booleanPointInPolygon(best, parent, { ignoreBoundary: true })) {
			throw new Error('spreadSeeds: the sampler returned a point outside the parent');
		}
		placed.push(best);
		seeds.push(best);
	}
	return seeds;
}
