import { booleanPointInPolygon } from '@turf/turf';
import { isAreal, type Areal } from './areal';
import { geometryBbox } from './bbox';
import { fromPlane, toPlane } from './local-plane';
import type { PlaceId, ReachModel } from './reach';

/*
 * "Suggest k checkpoints": where new checkpoints would bring the most households within reach. Choosing
 * k sites to cover the most is the maximum coverage problem (NP-hard); the greedy choice, each time the
 * site adding the most newly covered households, is guaranteed at least 1 - 1/e (63 %) of the best.
 * Gains only shrink as sites are chosen (submodularity), so a gain computed earlier bounds the current
 * one: the lazy greedy keeps candidates in a priority queue by their possibly stale gain and recomputes
 * only the top until a fresh gain stays on top. Same picks as the plain greedy, a few recomputations
 * per pick instead of one per candidate.
 */

export interface Candidate {
	lon: number;
	lat: number;
	/** a building's location, a node of the regular grid over the street, or given by the caller */
	source: 'building' | 'grid' | 'given';
	/** the building, for source 'building' */
	building?: PlaceId;
}

export interface CandidateOptions {
	/** distance between grid nodes in metres (default: half the model's radius) */
	spacingMeters?: number;
	/** the spacing widens until the grid has at most this many nodes in the street's bbox (default 10,000) */
	maxGridNodes?: number;
}

/** A proposed checkpoint site with its marginal gain (counted after the earlier suggestions). */
export interface Suggestion extends Candidate {
	/** households newly brought within reach */
	households: number;
	/** buildings newly brought within reach */
	buildings: number;
	/** ids of those buildings */
	covers: PlaceId[];
}

export interface SuggestOptions extends CandidateOptions {
	/** candidate sites (default: {@link streetCandidates}); those not strictly inside the street are dropped */
	candidates?: readonly Candidate[];
}

/**
 * The default candidate sites of a street: every building of the model that is strictly inside the
 * street (a checkpoint at a block's door), then the nodes of a regular square grid over the street's
 * bbox that are strictly inside it (open ground between buildings). Half a radius between nodes puts every
 * point of the street within 0.36 radius of a node (farther near its edges, where nodes outside are dropped).
 *
 * @example
 * streetCandidates(street, model); // [{ lon, lat, source: 'building', building: 7001 }, ..., { source: 'grid' }]
 */
export function streetCandidates(
	street: Areal,
	model: ReachModel,
	options: CandidateOptions = {}
): Candidate[] {
	if (!isAreal(street)) throw new Error('street must be a Polygon or MultiPolygon');
	const view = model.view();
	let spacing = options.spacingMeters ?? view.radiusMeters / 2;
	const maxNodes = options.maxGridNodes ?? 10_000;
	if (!(spacing > 0) || !Number.isFinite(spacing)) throw new Error('spacingMeters must be a positive number');
	if (!(maxNodes >= 0)) throw new Error('maxGridNodes must be >= 0');

	const out: Candidate[] = [];
	view.buildingIds.forEach((id, i) => {
		const p = [view.lon[i], view.lat[i]];
		if (booleanPointInPolygon(p, street, { ignoreBoundary: true })) {
			out.push({ lon: p[0], lat: p[1], source: 'building', building: id });
		}
	});

	const [minLon, minLat, maxLon, maxLat] = geometryBbox(street);
	const [x0, y0] = toPlane(view.plane, minLon, minLat);
	const [x1, y1] = toPlane(view.plane, maxLon, maxLat);
	const nodes = (Math.floor((x1 - x0) / spacing) + 1) * (Math.floor((y1 - y0) / spacing) + 1);
	if (maxNodes === 0) return out;
	if (nodes > maxNodes) spacing *= Math.sqrt(nodes / maxNodes) * 1.001;
	for (let y = y0 + spacing / 2; y < y1; y += spacing) {
		for (let x = x0 + spacing / 2; x < x1; x += spacing) {
			const [lon, lat] = fromPlane(view.plane, x, y);
			if (booleanPointInPolygon([lon, lat], street, { ignoreBoundary: true })) {
				out.push({ lon, lat, source: 'grid' });
			}
		}
	}
	return out;
}

/**
 * Proposes up to `k` new checkpoint sites that bring the most households within reach, given the
 * checkpoints already in the model (greedy maximum coverage, lazily evaluated). Pure: the model is read,
 * never changed; accepting a suggestion is `model.addCheckpoint`.
 *
 * Fewer than `k` come back when no candidate would cover another household. Ties go to the candidate
 * listed first (buildings before grid nodes in the default list).
 *
 * @param street the street; every suggestion lies strictly inside it
 * @param k how many sites (a non-negative integer)
 * @returns the sites in the order chosen, each with its marginal gain
 * @example
 * suggestCheckpoints(model, street, 5); // [{ lon, lat, households: 412, buildings: 9, covers: [...] }, ...]
 */
export function suggestCheckpoints(
	model: ReachModel,
	street: Areal,
	k: number,
	options: SuggestOptions = {}
): Suggestion[] {
	if (!isAreal(street)) throw new Error('street must be a Polygon or MultiPolygon');
	if (!Number.isInteger(k) || k < 0) throw new Error('k must be a non-negative integer');
	if (k === 0) return [];
	const view = model.view();
	const candidates = options.candidates
		? options.candidates.filter(
				(c) =>
					Number.isFinite(c?.lon) &&
					Number.isFinite(c?.lat) &&
					booleanPointInPolygon([c.lon, c.lat], street, { ignoreBoundary: true })
			)
		: streetCandidates(street, model, options);
	const m = candidates.length;
	const cx = new Float64Array(m);
	const cy = new Float64Array(m);
	candidates.forEach((c, i) => {
		[cx[i], cy[i]] = toPlane(view.plane, c.lon, c.lat);
	});

	const covered = new Uint8Array(view.coverCount.length);
	for (let i = 0; i < covered.length; i++) covered[i] = view.coverCount[i] > 0 ? 1 : 0;
	const gainOf = (c: number) =>
		view.buildingGrid.sumWithin(cx[c], cy[c], view.radiusMeters, view.households, covered);

	// max-heap of candidate indices by (bound desc, index asc); bound = the gain when last computed
	const bound = new Float64Array(m);
	const fresh = new Int32Array(m).fill(-1); // the round in which bound was computed
	for (let c = 0; c < m; c++) {
		bound[c] = gainOf(c);
		fresh[c] = 0;
	}
	const heap = new MaxHeap(m, (a, b) => bound[a] > bound[b] || (bound[a] === bound[b] && a < b));
	for (let c = 0; c < m; c++) if (bound[c] > 0) heap.push(c);

	const out: Suggestion[] = [];
	let round = 0;
	while (out.length < k && heap.size > 0) {
		const c = heap.pop();
		if (fresh[c] !== round) {
			bound[c] = gainOf(c);
			fresh[c] = round;
			if (bound[c] > 0) heap.push(c);
			continue;
		}
		// fresh and on top: no other candidate can beat it
		const covers: PlaceId[] = [];
		view.buildingGrid.forEachWithin(cx[c], cy[c], view.radiusMeters, (i) => {
			if (covered[i]) return;
			covered[i] = 1;
			covers.push(view.buildingIds[i]);
		});
		out.push({ ...candidates[c], households: bound[c], buildings: covers.length, covers });
		round++;
	}
	return out;
}

/** A binary max-heap of integers under a caller's order (`before(a, b)`: a comes out first). */
class MaxHeap {
	private readonly items: Int32Array;
	size = 0;

	constructor(
		capacity: number,
		private readonly before: (a: number, b: number) => boolean
	) {
		this.items = new Int32Array(Math.max(1, capacity));
	}

	push(value: number): void {
		const { items, before } = this;
		let i = this.size++;
		items[i] = value;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (!before(items[i], items[parent])) break;
			[items[i], items[parent]] = [items[parent], items[i]];
			i = parent;
		}
	}

	pop(): number {
		const { items, before } = this;
		const top = items[0];
		const last = items[--this.size];
		let i = 0;
		items[0] = last;
		for (;;) {
			const l = 2 * i + 1;
			const r = l + 1;
			let best = i;
			if (l < this.size && before(items[l], items[best])) best = l;
			if (r < this.size && before(items[r], items[best])) best = r;
			if (best === i) break;
			[items[i], items[best]] = [items[best], items[i]];
			i = best;
		}
		return top;
	}
}
