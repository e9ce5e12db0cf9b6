import { readdirSync, readFileSync } from 'node:fs';
import { area, booleanPointInPolygon } from '@turf/turf';
import type { Feature, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { polygonsOf, type Areal } from './areal';
import { intersectAreal } from './clip';
import { mulberry32 } from './random';
import { spreadSeeds } from './seeds';
import { tileBySeeds } from './tiling';
import { validateTiling } from './validate-tiling';

/** Fixture inputs carry their options in `properties`: either `seeds`, or `n` and `seed`. */
type TilingFixture = Feature<Areal, { description: string; n?: number; seed?: number; seeds?: Position[] }>;

const fixtureDir = new URL('./fixtures/tiling/', import.meta.url);
const fixtures = readdirSync(fixtureDir)
	.filter((f) => f.endsWith('.geojson'))
	.map((f) => [f, JSON.parse(readFileSync(new URL(f, fixtureDir), 'utf8')) as TilingFixture] as const);

function tileFixture(fixture: TilingFixture): Areal[] {
	const { seeds, n, seed } = fixture.properties;
	const g = fixture.geometry;
	return tileBySeeds(g, seeds ?? spreadSeeds(g, n!, mulberry32(seed!)));
}

/** Asserts the tiling invariants; returns the pieces for further checks. */
function expectTiles(parent: Areal, pieces: Areal[], count: number) {
	expect(pieces).toHaveLength(count);
	const parentArea = area(parent);
	const areas = pieces.map((p) => area(p));
	for (const a of areas) expect(a).toBeGreaterThan(0);
	const sum = areas.reduce((s, a) => s + a, 0);
	expect(Math.abs(sum - parentArea) / parentArea).toBeLessThan(1e-6);
	for (let i = 0; i < pieces.length; i++) {
		for (let j = i + 1; j < pieces.length; j++) {
			const shared = intersectAreal(pieces[i], pieces[j]);
			expect(shared ? area(shared) : 0, `pieces ${i} and ${j} overlap`).toBeLessThan(1e-6 * parentArea);
		}
	}
	const report = validateTiling(parent, pieces);
	expect(report.gapArea).toBeLessThan(1e-6 * parentArea);
	expect(report.outsideArea).toBeLessThan(1e-6 * parentArea);
}

describe('tileBySeeds on fixtures', () => {
	it.each(fixtures)('%s tiles its parent with no gap and no overlap', (_, fixture) => {
		const pieces = tileFixture(fixture);
		expectTiles(fixture.geometry, pieces, fixture.properties.seeds?.length ?? fixture.properties.n!);
	});

	it('moves the detached top of the right arm of the U to the right arm piece', () => {
		const fixture = fixtures.find(([f]) => f === 'u-shape.geojson')![1];
		const pieces = tileFixture(fixture);
		// every piece ends up in one part
		for (const p of pieces) expect(polygonsOf(p)).toHaveLength(1);
		// the top of the right arm is nearest to the left arm's seed, yet belongs to the right arm's piece
		const rightArmTop = [105.425, 28.878];
		expect(booleanPointInPolygon(rightArmTop, pieces[0])).toBe(false);
		expect(booleanPointInPolygon(rightArmTop, pieces[2])).toBe(true);
	});

	it('keeps an island that no neighbour touches inside some piece (nothing dropped)', () => {
		const fixture = fixtures.find(([f]) => f === 'island.geojson')![1];
		const pieces = tileFixture(fixture);
		const inIsland = [105.4415, 28.8915];
		expect(pieces.filter((p) => booleanPointInPolygon(inIsland, p))).toHaveLength(1);
	});

	it('keeps the hole of the parent a hole in the pieces', () => {
		const fixture = fixtures.find(([f]) => f === 'with-hole.geojson')![1];
		const lake = [105.415, 28.865];
		for (const p of tileFixture(fixture)) expect(booleanPointInPolygon(lake, p)).toBe(false);
	});
});

describe('tileBySeeds', () => {
	const square = fixtures.find(([f]) => f === 'square.geojson')![1].geometry;

	it('returns each seed inside its own piece', () => {
		const seeds = spreadSeeds(square, 6, mulberry32(5));
		const pieces = tileBySeeds(square, seeds);
		seeds.forEach((seed, i) => expect(booleanPointInPolygon(seed, pieces[i])).toBe(true));
	});

	it('is a pure function of the seeds', () => {
		const seeds = spreadSeeds(square, 6, mulberry32(9));
		expect(tileBySeeds(square, seeds)).toEqual(
			tileBySeeds(
				square,
				seeds.map((s) => s.slice())
			)
		);
	});

	it('returns the parent itself for one seed', () => {
		expect(tileBySeeds(square, [[105.41, 28.86]])).toEqual([square]);
	});
});

describe('bad input', () => {
	const square = fixtures.find(([f]) => f === 'square.geojson')![1].geometry;

	it('rejects a seed outside the parent', () => {
		expect(() =>
			tileBySeeds(square, [
				[105.41, 28.86],
				[106, 29]
			])
		).toThrow('is not strictly inside the parent');
	});
	it('rejects repeated seeds', () => {
		expect(() =>
			tileBySeeds(square, [
				[105.41, 28.86],
				[105.41, 28.86]
			])
		).toThrow('is repeated');
	});
	it('rejects a missing parent and an empty seed list', () => {
		expect(() => tileBySeeds(null as unknown as Areal, [[105.41, 28.86]])).toThrow('parent must be');
		expect(() => tileBySeeds(square, [])).toThrow('seeds must be a non-empty array');
	});
});
