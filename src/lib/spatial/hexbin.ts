import type { Feature, FeatureCollection, Polygon, Position } from 'geojson';
import { METRES_PER_DEGREE, metresPerDegreeLon } from './metres';

/*
 * Hexagonal binning of points for heatmaps, straight from coordinates: each point's hexagon comes from
 * arithmetic (no polygons, no point-in-polygon test), and hexagon polygons are made afterwards only for
 * the bins that hold points.
 *
 * Hexagons are regular in metres: points are projected to a local plane around `origin` (equirectangular,
 * like metres.ts: within 1 % over the ±100 km of a city), and binned on a pointy-top hexagon lattice
 * whose hexagon (0, 0) is centred on the origin. Bins are named by axial coordinates (q, r): the centre
 * of (q, r) lies sqrt(3) * size * (q + r / 2) m east and 1.5 * size * r m north of the origin. A point
 * belongs to the hexagon whose centre is nearest; one exactly between two goes to one of them, always
 * the same (rounding of the cube coordinates).
 */

const SQRT3 = Math.sqrt(3);

/** Points farther than this many hexagons from the origin are skipped (keys stay exact integers). */
const LIMIT = 1e7;

/** Options for {@link hexbin}. */
export interface HexbinOptions {
	/**
	 * [lon, lat] of the projection's centre and of hexagon (0, 0) (default: the centre of the points'
	 * bbox). Pass a fixed one (the city's centre) so that bins stay put when the points change.
	 */
	origin?: [number, number];
	/**
	 * Leave out bins holding fewer points than this (default 1: none left out). Maps for leaders use 3:
	 * like the coverage roll-up, they show no count of 1 or 2.
	 */
	minCount?: number;
	/**
	 * How much each point counts (non-negative integers, one per point; default 1 each): a building with 12
	 * screenings is one point of weight 12, so the cost follows the points, not what they stand for.
	 */
	weights?: ArrayLike<number>;
}

/** Bins that hold points, in order of r, then q; one entry per bin in each array. */
export interface HexBins {
	/** circumradius (= side) of the hexagons, metres */
	sizeMetres: number;
	origin: [number, number];
	q: Int32Array;
	r: Int32Array;
	counts: Int32Array;
	/** bin centres, degrees */
	lon: Float64Array;
	lat: Float64Array;
	/** points left out with bins under `minCount` */
	suppressed: number;
	/** points skipped: a coordinate not a finite number, or more than 10 million hexagons from the origin */
	skipped: number;
}

/** The local plane of a set of bins: metres per degree and the origin. */
function plane(origin: [number, number]) {
	return { lon0: origin[0], lat0: origin[1], kx: metresPerDegreeLon(origin[1]), ky: METRES_PER_DEGREE };
}

/**
 * Counts points per hexagon of `sizeMetres`, for every hexagon that holds at least `minCount` points.
 *
 * @param coords interleaved [lon0, lat0, lon1, lat1, ...] in degrees
 * @param sizeMetres the hexagons' circumradius (= side length), > 0
 * @returns the bins that hold points; make their polygons with {@link hexagonPolygons}
 * @throws when coords is not pairs, sizeMetres is not positive, or the origin is not [lon, lat]
 * @example
 * const bins = hexbin(households, 250, { origin: [105.44, 28.87], minCount: 3 });
 * map.setData(hexagonPolygons(bins));
 */
export function hexbin(
	coords: Float64Array | readonly number[],
	sizeMetres: number,
	options: HexbinOptions = {}
): HexBins {
	if (coords.length % 2 !== 0) throw new Error('coords must hold [lon, lat] pairs');
	if (!(sizeMetres > 0) || !Number.isFinite(sizeMetres))
		throw new Error('sizeMetres must be a positive number');
	const minCount = options.minCount ?? 1;
	if (!Number.isInteger(minCount) || minCount < 1) throw new Error('minCount must be a positive integer');
	const n = coords.length / 2;
	const weights = options.weights;
	if (weights && weights.length !== n) throw new Error('weights must hold one number per point');

	// the bbox of the points: the origin by default, and the range of their hexagons
	let minX = Infinity;
	let minY = Infinity;
	let maxX = -Infinity;
	let maxY = -Infinity;
	for (let i = 0; i < n; i++) {
		const x = coords[2 * i];
		const y = coords[2 * i + 1];
		if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
		if (x < minX) minX = x;
		if (x > maxX) maxX = x;
		if (y < minY) minY = y;
		if (y > maxY) maxY = y;
	}
	const origin = options.origin ?? (minX <= maxX ? [(minX + maxX) / 2, (minY + maxY) / 2] : [0, 0]);
	if (!Array.isArray(origin) || !Number.isFinite(origin[0]) || !Number.isFinite(origin[1]))
		throw new Error('origin must be [lon, lat]');
	const { lon0, lat0, kx, ky } = plane(origin);

	// fractional axial coordinates are linear in lon and lat: q = a (lon - lon0) - b (lat - lat0), r = c (lat - lat0)
	const a = (kx * SQRT3) / 3 / sizeMetres;
	const b = ky / 3 / sizeMetres;
	const c = (2 * ky) / 3 / sizeMetres;
	// the hexagons of the bbox's corners bound every point's (one more for rounding), within ±LIMIT
	const clamp = (v: number) => Math.max(-LIMIT, Math.min(LIMIT, v));
	const dx0 = minX - lon0;
	const dx1 = maxX - lon0;
	const dy0 = minY - lat0;
	const dy1 = maxY - lat0;
	const minQ = clamp(Math.floor(Math.min(a * dx0 - b * dy1, a * dx0 - b * dy0)) - 1);
	const maxQ = clamp(Math.ceil(Math.max(a * dx1 - b * dy0, a * dx1 - b * dy1)) + 1);
	const minR = clamp(Math.floor(c * dy0) - 1);
	const maxR = clamp(Math.ceil(c * dy1) + 1);
	const width = maxQ - minQ + 1;
	const height = maxR - minR + 1;

	// 1. each point's hexagon by rounding its cube coordinates, counted under the key (r - minR) * width
	// + (q - minQ): in a dense array when the range is small, else in a map
	const dense =
		minX <= maxX && width * height <= Math.max(1 << 20, 4 * n) ? new Int32Array(width * height) : null;
	const sparse = new Map<number, number>();
	let skipped = 0;
	for (let i = 0; i < n; i++) {
		const dx = coords[2 * i] - lon0;
		const dy = coords[2 * i + 1] - lat0;
		const fq = a * dx - b * dy;
		const fr = c * dy;
		if (!(Math.abs(fq) <= LIMIT && Math.abs(fr) <= LIMIT)) {
			skipped++; // not a number, or too far out
			continue;
		}
		const fs = -fq - fr;
		let q = Math.round(fq);
		let r = Math.round(fr);
		const s = Math.round(fs);
		const eq = Math.abs(q - fq);
		const er = Math.abs(r - fr);
		const es = Math.abs(s - fs);
		if (eq > er && eq > es) q = -r - s;
		else if (er > es) r = -q - s;
		const key = (r - minR) * width + (q - minQ);
		const w = weights ? weights[i] : 1;
		if (!(w >= 0) || !Number.isInteger(w)) throw new Error('weights must be non-negative integers');
		if (dense) dense[key] += w;
		else sparse.set(key, (sparse.get(key) ?? 0) + w);
	}

	// 2. the keys in use, in order (r, then q), with their counts
	let keys: Float64Array;
	let tally: Int32Array;
	if (dense) {
		let used = 0;
		for (let k = 0; k < dense.length; k++) if (dense[k] > 0) used++;
		// (a hexagon whose points all weigh 0 holds nothing and is left out, as an empty one)
		keys = new Float64Array(used);
		tally = new Int32Array(used);
		for (let k = 0, j = 0; k < dense.length; k++) {
			if (dense[k] === 0) continue;
			keys[j] = k;
			tally[j++] = dense[k];
		}
	} else {
		keys = Float64Array.from(sparse.keys()).sort();
		tally = Int32Array.from(keys, (key) => sparse.get(key)!);
	}
	let kept = 0;
	let suppressed = 0;
	for (const count of tally) {
		if (count >= minCount) kept++;
		else suppressed += count;
	}
	const bins: HexBins = {
		sizeMetres,
		origin: [origin[0], origin[1]],
		q: new Int32Array(kept),
		r: new Int32Array(kept),
		counts: new Int32Array(kept),
		lon: new Float64Array(kept),
		lat: new Float64Array(kept),
		suppressed,
		skipped
	};
	for (let k = 0, j = 0; k < keys.length; k++) {
		if (tally[k] < minCount) continue;
		const q = minQ + (keys[k] % width);
		const r = minR + Math.floor(keys[k] / width);
		bins.q[j] = q;
		bins.r[j] = r;
		bins.counts[j] = tally[k];
		bins.lon[j] = lon0 + (sizeMetres * SQRT3 * (q + r / 2)) / kx;
		bins.lat[j++] = lat0 + (sizeMetres * 1.5 * r) / ky;
	}
	return bins;
}

/**
 * The hexagon of every bin (or of the bins at `which`), as GeoJSON polygons with the bin's q, r and
 * count: what a map layer draws. Corners are counter-clockwise from the east-north-east one.
 *
 * @example
 * hexagonPolygons(bins, [0, 5]); // two features
 */
export function hexagonPolygons(
	bins: HexBins,
	which?: readonly number[]
): FeatureCollection<Polygon, { q: number; r: number; count: number }> {
	const { lon0, lat0, kx, ky } = plane(bins.origin);
	const size = bins.sizeMetres;
	const corners = Array.from({ length: 6 }, (_, k) => {
		const angle = ((30 + 60 * k) * Math.PI) / 180;
		return [size * Math.cos(angle), size * Math.sin(angle)];
	});
	const indices = which ?? Array.from(bins.q, (_, k) => k);
	const features = indices.map((k): Feature<Polygon, { q: number; r: number; count: number }> => {
		if (!(k >= 0 && k < bins.q.length)) throw new Error(`no bin ${k}`);
		const q = bins.q[k];
		const r = bins.r[k];
		const x = size * SQRT3 * (q + r / 2);
		const y = size * 1.5 * r;
		const ring: Position[] = corners.map(([cx, cy]) => [lon0 + (x + cx) / kx, lat0 + (y + cy) / ky]);
		ring.push(ring[0]);
		return {
			type: 'Feature',
			geometry: { type: 'Polygon', coordinates: [ring] },
			properties: { q, r, count: bins.counts[k] }
		};
	});
	return { type: 'FeatureCollection', features };
}
