import { booleanPointInPolygon, featureCollection, point, voronoi } from '@turf/turf';
import type { Polygon, Position } from 'geojson';
import { fromPolygons, isAreal, largestPartIndex, polygonsOf, type Areal } from './areal';
import { bboxesIntersect, geometryBbox, type BBox } from './bbox';
import { intersectAreal, unionAreal } from './clip';
import { positionKey } from './planar';

/**
 * Splits `parent` into one piece per seed: the Voronoi cell of each seed, clipped to the parent.
 * The cells cover the parent's (padded) bbox without overlap, so the clipped pieces cover the parent
 * exactly, up to floating-point noise that {@link validateTiling} measures in square metres.
 *
 * Clipping a convex cell to a concave parent can leave a piece in several parts. The part holding the
 * seed stays; every other (detached) part goes to the neighbour it shares an edge with, so pieces stay
 * in one part wherever the parent allows it. A detached part with no neighbour to take it (an island of
 * a MultiPolygon parent) stays where it is: nothing is ever dropped, so no gap can appear.
 *
 * @param parent Polygon or MultiPolygon, degrees
 * @param seeds distinct [lon, lat] positions strictly inside `parent`
 * @returns one Polygon or MultiPolygon per seed, in the seeds' order, each holding its seed
 * @throws when a seed is outside the parent or repeated, or a cell clips to nothing
 * @example
 * tileBySeeds(street, spreadSeeds(street, 12, rng));
 */
export function tileBySeeds(parent: Areal, seeds: Position[]): Areal[] {
	if (!isAreal(parent)) throw new Error('parent must be a Polygon or MultiPolygon');
	if (!Array.isArray(seeds) || seeds.length === 0) throw new Error('seeds must be a non-empty array');
	const keys = new Set<string>();
	for (const seed of seeds) {
		if (!booleanPointInPolygon(seed, parent, { ignoreBoundary: true })) {
			throw new Error(`seed ${positionKey(seed)} is not strictly inside the parent`);
		}
		const key = positionKey(seed);
		if (keys.has(key)) throw new Error(`seed ${key} is repeated`);
		keys.add(key);
	}
	if (seeds.length === 1) return [parent];

	const [minX, minY, maxX, maxY] = geometryBbox(parent);
	const pad = Math.max(maxX - minX, maxY - minY) * 0.05 + 1e-6;
	const cells = voronoi(featureCollection(seeds.map((s) => point(s))), {
		bbox: [minX - pad, minY - pad, maxX + pad, maxY + pad]
	}).features;
	const pieces = seeds.map((seed, i) => {
		const cell = cells[i];
		if (!cell) throw new Error(`seed ${positionKey(seed)} has no Voronoi cell`);
		const piece = intersectAreal(cell.geometry, parent);
		if (!piece) throw new Error(`the cell of seed ${positionKey(seed)} does not meet the parent`);
		return piece;
	});
	return reassignDetachedParts(pieces, seeds);
}

/** Coordinates as a string key at about 1 cm, so a vertex two clips computed a hair apart still matches. */
function vertexKey(p: Position): string {
	return `${Math.round(p[0] * 1e7)},${Math.round(p[1] * 1e7)}`;
}

function vertexKeys(geometry: Areal): Set<string> {
	const keys = new Set<string>();
	for (const rings of polygonsOf(geometry))
		for (const ring of rings) for (const p of ring) keys.add(vertexKey(p));
	return keys;
}

/**
 * Moves every part of a piece that does not hold its seed to the neighbour it shares the most vertices
 * with, if merging it there actually joins it to that neighbour (the union has no more parts than the
 * neighbour had). Parts that cannot move stay, so the pieces still cover exactly what they covered.
 */
function reassignDetachedParts(pieces: Areal[], seeds: Position[]): Areal[] {
	const result = pieces.slice();
	const detached: { from: number; rings: Position[][] }[] = [];
	pieces.forEach((piece, i) => {
		const parts = polygonsOf(piece);
		if (parts.length === 1) return;
		let home = parts.findIndex((rings) =>
			booleanPointInPolygon(seeds[i], { type: 'Polygon', coordinates: rings } as Polygon)
		);
		// the seed sits on a part's edge by rounding: keep the largest part instead
		if (home < 0) home = largestPartIndex(parts);
		result[i] = fromPolygons([parts[home]]);
		parts.forEach((rings, k) => {
			if (k !== home) detached.push({ from: i, rings });
		});
	});

	// each piece's bbox and vertex keys: computed when first needed, again only after the piece changes
	const boxes: (BBox | undefined)[] = [];
	const keys: (Set<string> | undefined)[] = [];
	const update = (j: number, geometry: Areal) => {
		result[j] = geometry;
		boxes[j] = undefined;
		keys[j] = undefined;
	};
	for (const { from, rings } of detached) {
		const part: Polygon = { type: 'Polygon', coordinates: rings };
		const partBox = geometryBbox(part);
		const partKeys = vertexKeys(part);
		let target = -1;
		let shared = 1; // need at least two shared vertices: one touching corner is not an edge
		for (let j = 0; j < result.length; j++) {
			if (j === from || !bboxesIntersect(partBox, (boxes[j] ??= geometryBbox(result[j])))) continue;
			const otherKeys = (keys[j] ??= vertexKeys(result[j]));
			let count = 0;
			for (const key of partKeys) if (otherKeys.has(key)) count++;
			if (count > shared) {
				shared = count;
				target = j;
			}
		}
		if (target >= 0) {
			const merged = unionAreal([result[target], part]);
			if (merged && polygonsOf(merged).length <= polygonsOf(result[target]).length) {
				update(target, merged);
				continue;
			}
		}
		update(from, fromPolygons([...polygonsOf(result[from]), rings]));
	}
	return result;
}
