import { booleanPointInPolygon } from '@turf/turf';
import type { Position } from 'geojson';
import { isAreal, type Areal } from './areal';
import { geometryBbox } from './bbox';
import { distanceToBoundaryMeters } from './boundary-distance';
import { METRES_PER_DEGREE, metresPerDegreeLon } from './metres';

/** A source of uniform numbers in [0, 1), like `Math.random` but reproducible. */
export type Rng = () => number;

/**
 * A seeded PRNG (mulberry32): 32 bits of state, fast, good enough for demo data (not for secrets).
 *
 * @param seed any integer; only its low 32 bits are used
 * @returns a function returning uniform numbers in [0, 1)
 * @example
 * const rng = mulberry32(42);
 * rng(); // 0.6011037519201636, every time
 */
export function mulberry32(seed: number): Rng {
	if (!Number.isInteger(seed)) throw new Error('seed must be an integer');
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * A 32-bit seed derived from a base seed and a key (FNV-1a over the key's UTF-16 code units).
 * Gives every unit its own random stream, so generating one district yields the same result
 * whether or not the others are generated too.
 *
 * @example
 * const rng = mulberry32(deriveSeed(20200128, '510502001006'));
 */
export function deriveSeed(seed: number, key: string): number {
	if (!Number.isInteger(seed)) throw new Error('seed must be an integer');
	if (typeof key !== 'string') throw new Error('key must be a string');
	let hash = 0x811c9dc5 ^ (seed >>> 0);
	for (let i = 0; i < key.length; i++) {
		hash ^= key.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	// One extra avalanche round so keys differing only in their last character are far apart.
	hash ^= hash >>> 16;
	hash = Math.imul(hash, 0x85ebca6b);
	hash ^= hash >>> 13;
	return hash >>> 0;
}

/**
 * A uniform integer in [min, max], both ends included.
 *
 * @example
 * randomInt(rng, 3, 4); // 3 or 4
 */
export function randomInt(rng: Rng, min: number, max: number): number {
	if (!Number.isInteger(min) || !Number.isInteger(max)) throw new Error('min and max must be integers');
	if (max < min) throw new Error('max must be >= min');
	return min + Math.floor(rng() * (max - min + 1));
}

/** A uniform element of a non-empty array. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
	if (items.length === 0) throw new Error('items must not be empty');
	return items[Math.floor(rng() * items.length)];
}

/** Options for {@link randomPointInPolygon}. */
export interface RandomPointOptions {
	/** Give up after this many rejected candidates (default 10,000). */
	maxTries?: number;
	/** Only accept points at least this far from every edge of the polygon, in metres (default 0: strictly inside). */
	marginMeters?: number;
}

/**
 * A uniform random point strictly inside a polygon, by rejection sampling within its bbox.
 *
 * @param polygon Polygon or MultiPolygon, lon/lat degrees
 * @param rng the random stream to draw from
 * @returns [lon, lat] strictly inside `polygon` (never on an edge), at least `marginMeters` from its edges
 * @throws when no point is accepted within `maxTries` candidates (polygon too thin for the margin)
 * @example
 * randomPointInPolygon(street, rng, { marginMeters: 10 }); // [105.43, 28.87]
 */
export function randomPointInPolygon(polygon: Areal, rng: Rng, options: RandomPointOptions = {}): Position {
	if (!isAreal(polygon)) throw new Error('polygon must be a Polygon or MultiPolygon geometry');
	const maxTries = options.maxTries ?? 10_000;
	const margin = options.marginMeters ?? 0;
	if (!(maxTries >= 1)) throw new Error('maxTries must be >= 1');
	if (!(margin >= 0)) throw new Error('marginMeters must be >= 0');
	const [minX, minY, maxX, maxY] = geometryBbox(polygon);
	for (let i = 0; i < maxTries; i++) {
		const point = [minX + rng() * (maxX - minX), minY + rng() * (maxY - minY)];
		if (!booleanPointInPolygon(point, polygon, { ignoreBoundary: true })) continue;
		if (margin > 0 && distanceToBoundaryMeters(point, polygon) < margin) continue;
		return point;
	}
	throw new Error(`randomPointInPolygon: no point found in ${maxTries} tries (margin ${margin} m)`);
}

/** A standard normal deviate (Box-Muller). */
function randomNormal(rng: Rng): number {
	const u = 1 - rng(); // (0, 1]: log(0) is never taken
	const v = rng();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A random point strictly inside a polygon, drawn from a normal distribution around `center`: a town's
 * urban streets cluster around its seat this way.
 *
 * @param polygon Polygon or MultiPolygon, degrees
 * @param center [lon, lat] the points cluster around (need not be inside)
 * @param sigmaMeters standard deviation of the distance from `center`, in metres (> 0)
 * @throws when no point falls inside within `maxTries` draws
 * @example
 * randomPointNear(district, district.center, 3000, rng);
 */
export function randomPointNear(
	polygon: Areal,
	center: Position,
	sigmaMeters: number,
	rng: Rng,
	options: RandomPointOptions = {}
): Position {
	if (!isAreal(polygon)) throw new Error('polygon must be a Polygon or MultiPolygon geometry');
	if (!Array.isArray(center) || center.length < 2) throw new Error('center must be [lon, lat]');
	if (!(sigmaMeters > 0)) throw new Error('sigmaMeters must be > 0');
	const maxTries = options.maxTries ?? 10_000;
	const margin = options.marginMeters ?? 0;
	const sigmaX = sigmaMeters / metresPerDegreeLon(center[1]);
	const sigmaY = sigmaMeters / METRES_PER_DEGREE;
	for (let i = 0; i < maxTries; i++) {
		const point = [center[0] + randomNormal(rng) * sigmaX, center[1] + randomNormal(rng) * sigmaY];
		if (!booleanPointInPolygon(point, polygon, { ignoreBoundary: true })) continue;
		if (margin > 0 && distanceToBoundaryMeters(point, polygon) < margin) continue;
		return point;
	}
	throw new Error(`randomPointNear: no point found in ${maxTries} tries`);
}
