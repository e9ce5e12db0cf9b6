import { readdirSync, readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { polygonsOf, type Areal } from './areal';
import { geometryBbox } from './bbox';
import { distanceToBoundaryMeters } from './boundary-distance';
import { nodeCoverage } from './noding';
import { PolygonIndex, containsPoint, type PolygonIndexOptions } from './polygon-index';
import { mulberry32, type Rng } from './random';
import { roundGeometry } from './round';
import { spreadSeeds } from './seeds';
import { box, readDistrict } from './test-helpers';
import { tileBySeeds } from './tiling';

/**
 * Fixtures: FeatureCollections of polygons (role 'polygon', or 'tile' with one 'union' that the tiles
 * cover exactly, shared edges with the same vertices on both sides), described by their `description`.
 */
type Fixture = FeatureCollection<Areal, { role: 'polygon' | 'tile' | 'union'; name: string }> & {
	description: string;
	tiling: boolean;
};

const fixtureDir = new URL('./fixtures/polygon-index/', import.meta.url);
const fixtures = readdirSync(fixtureDir)
	.filter((f) => f.endsWith('.geojson'))
	.map((f) => [f, JSON.parse(readFileSync(new URL(f, fixtureDir), 'utf8')) as Fixture] as const);

const polygonsOfFixture = (fixture: Fixture) =>
	fixture.features.filter((f) => f.properties.role !== 'union').map((f) => f.geometry);
const unionOf = (fixture: Fixture) => fixture.features.find((f) => f.properties.role === 'union')?.geometry;

/** Index options that exercise every part of the structure: default, one coarse cell, deep nesting, a fine root. */
const OPTIONS: PolygonIndexOptions[] = [
	{},
	{ rootCellsPerEdge: 1e-6, maxLeafEdges: 1e9 },
	{ rootCellsPerEdge: 0.02, maxLeafEdges: 1 },
	{ rootCellsPerEdge: 50 }
];

/** The earliest polygon holding the point by the rule, testing every polygon: what the index must match. */
function bruteForce(polygons: Areal[], x: number, y: number): number {
	for (let i = 0; i < polygons.length; i++) if (containsPoint(polygons[i], x, y)) return i;
	return -1;
}

/**
 * Points that probe the boundary rule: random ones over the (padded) bbox, every vertex, every edge's
 * midpoint and points a hair to either side of it, points on the horizontal and vertical lines through
 * every vertex, and points on a lattice over the bbox (which hits the index's own cell borders).
 */
function adversarialPoints(polygons: Areal[], rng: Rng, random = 2000): [number, number][] {
	const boxes = polygons.map(geometryBbox);
	const minX = Math.min(...boxes.map((b) => b[0]));
	const minY = Math.min(...boxes.map((b) => b[1]));
	const maxX = Math.max(...boxes.map((b) => b[2]));
	const maxY = Math.max(...boxes.map((b) => b[3]));
	const w = maxX - minX;
	const h = maxY - minY;
	const points: [number, number][] = [];
	for (let i = 0; i < random; i++)
		points.push([minX - 0.1 * w + rng() * 1.2 * w, minY - 0.1 * h + rng() * 1.2 * h]);
	for (const g of polygons) {
		for (const rings of polygonsOf(g)) {
			for (const ring of rings) {
				for (let i = 0; i < ring.length; i++) {
					const [ax, ay] = ring[i];
					const [bx, by] = ring[(i + 1) % ring.length];
					points.push([ax, ay], [(ax + bx) / 2, (ay + by) / 2]);
					points.push([(ax + bx) / 2 + 1e-12, (ay + by) / 2], [(ax + bx) / 2 - 1e-12, (ay + by) / 2]);
					points.push([ax, minY + rng() * h], [minX + rng() * w, ay]);
				}
			}
		}
	}
	for (let i = 0; i <= 40; i++)
		for (let j = 0; j <= 40; j++) points.push([minX + (i * w) / 40, minY + (j * h) / 40]);
	return points;
}

/** Every position of a geometry's rings, without the closing repeat. */
function* verticesOf(g: Areal) {
	for (const rings of polygonsOf(g)) for (const ring of rings) yield* ring.slice(0, -1);
}

describe('containsPoint: the boundary rule', () => {
	const square = box(0, 0, 1, 1);

	it('treats a box as [x0, x1) × [y0, y1): west and south sides in, east and north sides out', () => {
		expect(containsPoint(square, 0.5, 0.5)).toBe(true);
		expect(containsPoint(square, 0, 0.5)).toBe(true);
		expect(containsPoint(square, 0.5, 0)).toBe(true);
		expect(containsPoint(square, 0, 0)).toBe(true);
		expect(containsPoint(square, 1, 0.5)).toBe(false);
		expect(containsPoint(square, 0.5, 1)).toBe(false);
		expect(containsPoint(square, 1, 0)).toBe(false);
		expect(containsPoint(square, 0, 1)).toBe(false);
		expect(containsPoint(square, 1, 1)).toBe(false);
		expect(containsPoint(square, -1e-12, 0.5)).toBe(false);
	});

	it('gives a point on a shared edge to the polygon east of it, or north of a horizontal one', () => {
		const west = box(0, 0, 1, 1);
		const east = box(1, 0, 2, 1);
		const north = box(0, 1, 1, 2);
		expect([west, east].map((g) => containsPoint(g, 1, 0.5))).toEqual([false, true]);
		expect([west, north].map((g) => containsPoint(g, 0.5, 1))).toEqual([false, true]);
		// a sloping shared edge, the point on it exactly (0.25 is exact in binary)
		const left: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[1, 1],
					[0, 1],
					[0, 0]
				]
			]
		};
		const right: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[1, 0],
					[1, 1],
					[0, 0]
				]
			]
		};
		expect([left, right].map((g) => containsPoint(g, 0.25, 0.25))).toEqual([false, true]);
	});

	it('gives the shared corner of four boxes to the north-east one', () => {
		const boxes = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2), box(1, 1, 2, 2)];
		expect(boxes.map((g) => containsPoint(g, 1, 1))).toEqual([false, false, false, true]);
	});

	it('counts holes and the parts of a MultiPolygon (even-odd), and closes open rings', () => {
		const withHole: Polygon = {
			type: 'Polygon',
			coordinates: [box(0, 0, 4, 4).coordinates[0], box(1, 1, 2, 2).coordinates[0]]
		};
		expect(containsPoint(withHole, 1.5, 1.5)).toBe(false);
		expect(containsPoint(withHole, 3, 3)).toBe(true);
		// the hole's edges belong to the hole the same way: its west side is in the hole
		expect(containsPoint(withHole, 1, 1.5)).toBe(false);
		expect(containsPoint(withHole, 2, 1.5)).toBe(true);
		const parts: Areal = {
			type: 'MultiPolygon',
			coordinates: [box(0, 0, 1, 1).coordinates, box(5, 5, 6, 6).coordinates]
		};
		expect(containsPoint(parts, 5.5, 5.5)).toBe(true);
		expect(containsPoint(parts, 3, 3)).toBe(false);
		const open: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[1, 0],
					[1, 1],
					[0, 1]
				]
			]
		};
		expect(containsPoint(open, 0.5, 0.5)).toBe(true);
	});

	it('rejects what is not a polygon', () => {
		expect(() => containsPoint({ type: 'Point', coordinates: [0, 0] } as unknown as Polygon, 0, 0)).toThrow(
			'geometry must be a Polygon or MultiPolygon'
		);
	});
});

/**
 * Within this distance of an edge (0.1 mm) a point counts as on the boundary: there Turf's arithmetic
 * and the rule's may take different sides of an edge the point is not exactly on (an edge's midpoint is
 * rarely representable), and either answer is right.
 */
const ON_EDGE_M = 1e-4;

describe('containsPoint agrees with Turf off the boundary and picks one of its holders on it', () => {
	it.each(fixtures)('%s', (_, fixture) => {
		const polygons = polygonsOfFixture(fixture);
		let onBoundary = 0;
		for (const [x, y] of adversarialPoints(polygons, mulberry32(1), 500)) {
			for (const g of polygons) {
				const rule = containsPoint(g, x, y);
				if (distanceToBoundaryMeters([x, y], g) > ON_EDGE_M) {
					expect(rule, `${x},${y}`).toBe(booleanPointInPolygon([x, y], g));
					continue;
				}
				onBoundary++;
				// on the boundary Turf says both (or either); the rule decides, and says yes only where the
				// point is on this polygon's boundary or inside it by Turf
				if (rule)
					expect(booleanPointInPolygon([x, y], g) || distanceToBoundaryMeters([x, y], g) < ON_EDGE_M).toBe(
						true
					);
			}
		}
		expect(onBoundary).toBeGreaterThan(0); // the points do probe the boundary
	});
});

describe('PolygonIndex on fixtures', () => {
	describe.each(fixtures)('%s', (_, fixture) => {
		const polygons = polygonsOfFixture(fixture);
		const points = adversarialPoints(polygons, mulberry32(2));
		const expected = points.map(([x, y]) => bruteForce(polygons, x, y));

		it.each(OPTIONS.map((o) => [JSON.stringify(o), o] as const))(
			'answers exactly as testing every polygon does, with options %s',
			(_, options) => {
				const index = PolygonIndex.from(polygons, options);
				const coords = new Float64Array(points.flat());
				expect(Array.from(index.locateAll(coords))).toEqual(expected);
				points.forEach(([x, y], i) => expect(index.locate(x, y), `${x},${y}`).toBe(expected[i]));
			}
		);

		if (fixture.tiling) {
			it('puts every point of the union (shared edges and vertices too) in exactly one tile', () => {
				const union = unionOf(fixture)!;
				let shared = 0;
				for (const [x, y] of points) {
					const holders = polygons.filter((g) => containsPoint(g, x, y)).length;
					const inUnion = booleanPointInPolygon([x, y], union);
					if (inUnion && distanceToBoundaryMeters([x, y], union) > ON_EDGE_M) {
						expect(holders, `${x},${y}`).toBe(1);
						if (polygons.filter((g) => booleanPointInPolygon([x, y], g)).length > 1) shared++;
					} else expect(holders, `${x},${y}`).toBeLessThanOrEqual(1);
				}
				expect(shared).toBeGreaterThan(0); // points on shared edges were tested
			});

			it('puts every vertex of the tiling inside the union in exactly one tile', () => {
				const union = unionOf(fixture)!;
				const index = PolygonIndex.from(polygons);
				for (const g of polygons) {
					for (const [x, y] of verticesOf(g)) {
						if (!booleanPointInPolygon([x, y], union, { ignoreBoundary: true })) continue;
						if (distanceToBoundaryMeters([x, y], union) <= ON_EDGE_M) continue;
						expect(polygons.filter((t) => containsPoint(t, x, y)).length, `${x},${y}`).toBe(1);
						expect(index.locate(x, y), `${x},${y}`).toBeGreaterThanOrEqual(0);
					}
				}
			});
		}
	});

	it('holes-and-islands: a hole is outside its polygon, its island holds it, the empty hole is outside all', () => {
		const fixture = fixtures.find(([f]) => f === 'holes-and-islands.geojson')![1];
		const index = PolygonIndex.from(polygonsOfFixture(fixture));
		expect(index.locate(105.43, 28.88)).toBe(0); // in the polygon, outside its holes
		expect(index.locate(105.415, 28.865)).toBe(1); // in the first hole: the island
		expect(index.locate(105.428, 28.878)).toBe(-1); // in the second hole: nothing
		expect(index.locate(105.465, 28.852)).toBe(2); // in the MultiPolygon's second part
		expect(index.locate(105.455, 28.87)).toBe(-1); // between everything
	});

	it('overlap: the earliest polygon holding a point wins', () => {
		const fixture = fixtures.find(([f]) => f === 'overlap.geojson')![1];
		const [square, diamond, small] = polygonsOfFixture(fixture);
		expect(PolygonIndex.from([square, diamond, small]).locate(105.416, 28.861)).toBe(0);
		expect(PolygonIndex.from([small, diamond, square]).locate(105.416, 28.861)).toBe(0);
		expect(PolygonIndex.from([diamond, square]).locate(105.416, 28.861)).toBe(0);
		expect(PolygonIndex.from([diamond, square]).locate(105.402, 28.851)).toBe(1);
	});
});

describe('PolygonIndex on a city-like tiling', () => {
	// 江阳区 tiled into 150 pieces, noded and rounded like the demo grids
	const district = readDistrict('510502');
	const pieces = tileBySeeds(district, spreadSeeds(district, 150, mulberry32(5), { candidates: 4 }));
	const tiles = nodeCoverage(pieces).map((g) => roundGeometry(g, 6)!);
	const index = PolygonIndex.from(tiles);

	it('agrees with Turf on random points and puts each in the tile Turf finds', () => {
		const rng = mulberry32(6);
		const [minX, minY, maxX, maxY] = geometryBbox(district);
		let inside = 0;
		for (let i = 0; i < 3000; i++) {
			const p: [number, number] = [minX + rng() * (maxX - minX), minY + rng() * (maxY - minY)];
			const turf = tiles.findIndex((t) => booleanPointInPolygon(p, t));
			expect(index.locate(p[0], p[1]), p.join(',')).toBe(turf);
			if (turf >= 0) inside++;
		}
		expect(inside).toBeGreaterThan(1000);
	});

	it('agrees with testing every tile on vertices, edges and lattice points', () => {
		const points = adversarialPoints(tiles, mulberry32(7), 0);
		const got = index.locateAll(new Float64Array(points.flat()));
		points.forEach(([x, y], i) => {
			if (got[i] !== bruteForce(tiles, x, y)) expect(got[i], `${x},${y}`).toBe(bruteForce(tiles, x, y));
		});
	});
});

describe('PolygonIndex edge cases', () => {
	it('answers -1 outside the bbox, for NaN and with no polygons', () => {
		const index = PolygonIndex.from([box(0, 0, 1, 1)]);
		expect(index.locate(0.5, 0.5)).toBe(0);
		expect(index.locate(-5, 0.5)).toBe(-1);
		expect(index.locate(0.5, 7)).toBe(-1);
		expect(index.locate(Number.NaN, 0.5)).toBe(-1);
		expect(PolygonIndex.from([]).locate(0, 0)).toBe(-1);
		expect(PolygonIndex.from([]).size).toBe(0);
		// no area: a ring along a line
		const flat: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[1, 0],
					[2, 0],
					[0, 0]
				]
			]
		};
		expect(PolygonIndex.from([flat]).locate(0.5, 0)).toBe(-1);
	});

	it('writes into a given array and checks its input', () => {
		const index = PolygonIndex.from([box(0, 0, 1, 1), box(1, 0, 2, 1)]);
		const out = new Int32Array(3).fill(9);
		expect(index.locateAll([0.5, 0.5, 1.5, 0.5], out)).toBe(out);
		expect(Array.from(out)).toEqual([0, 1, 9]);
		expect(() => index.locateAll([0.5])).toThrow('coords must hold [lon, lat] pairs');
		expect(() => index.locateAll([0.5, 0.5, 1, 1], new Int32Array(1))).toThrow('out must hold 2 answers');
		expect(() => PolygonIndex.from([{ type: 'Point', coordinates: [0, 0] } as unknown as Polygon])).toThrow(
			'polygon 0 must be a Polygon or MultiPolygon'
		);
		expect(() =>
			PolygonIndex.from([
				{
					type: 'Polygon',
					coordinates: [
						[
							[0, 0],
							[1, Number.NaN],
							[1, 1]
						]
					]
				}
			])
		).toThrow('polygon 0 has a coordinate that is not a finite number');
		expect(() => PolygonIndex.from([], { maxLeafEdges: 0 })).toThrow('maxLeafEdges must be >= 1');
	});

	it('reports its size', () => {
		const features: Feature<Polygon>[] = [];
		for (let i = 0; i < 10; i++)
			for (let j = 0; j < 10; j++)
				features.push({ type: 'Feature', properties: {}, geometry: box(i, j, i + 1, j + 1) });
		const index = PolygonIndex.from(features.map((f) => f.geometry));
		const stats = index.stats();
		expect(stats).toMatchObject({ polygons: 100, edges: 400 });
		expect(stats.cells).toBeGreaterThan(0);
		expect(stats.bytes).toBeGreaterThan(0);
		expect(index.size).toBe(100);
	});
});
