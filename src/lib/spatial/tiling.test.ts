import { readdirSync, readFileSync } from 'node:fs';
import { area, booleanPointInPolygon } from '@turf/turf';
import type { Feature, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { polygonsOf, type Areal } from './areal';
import { intersectAreal } from './clip';
import { mulberry32 } from './random';
import { tileBySeeds, tilePolygon, tilePolygonWithSeeds } from './tiling';
import { validateTiling } from './validate-tiling';

/** Fixture inputs carry their options in `properties`: either `seeds`, or `n` and `seed`. */
type TilingFixture = Feature<Areal, { description: string; n?: number; seed?: number; seeds?: Position[] }>;

const fixtureDir = new URL('./fixtures/tiling/', import.meta.url);
const fixtures = readdirSync(fixtureDir)
	.filter((f) => f.endsWith('.geojson'))
	.map((f) => [f, JSON.parse(readFileSync(new URL(f, fixtureDir), 'utf8')) as TilingFixture] as const);

function tileFixture(fixture: TilingFixture): Areal[] {
	const { seeds, n, seed } = fixture.properties;
	return seeds ? tileBySeeds(fixture.geometry, seeds) : tilePolygon(fixture.geometry, n!, mulberry32(seed!));
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

describe('tilePolygon / tileBySeeds on fixtures', () => {
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

describe('tilePolygon on a real district', () => {
	it('tiles 江阳区 into its 15 streets', () => {
		const districts = JSON.parse(
			readFileSync(new URL('../../../supabase/seed/luzhou/districts.geojson', import.meta.url), 'utf8')
		);
		const jiangyang = districts.features.find((f: Feature) => f.properties!.code === '510502').geometry;
		expectTiles(jiangyang, tilePolygon(jiangyang, 15, mulberry32(20200128)), 15);
	});
});

describe('tilePolygonWithSeeds', () => {
	const square = fixtures.find(([f]) => f === 'square.geojson')![1].geometry;

	it('returns each seed inside its own piece', () => {
		const { pieces, seeds } = tilePolygonWithSeeds(square, 6, mulberry32(5));
		seeds.forEach((seed, i) => expect(booleanPointInPolygon(seed, pieces[i])).toBe(true));
	});

	it('is a pure function of the random stream', () => {
		expect(tilePolygon(square, 6, mulberry32(9))).toEqual(tilePolygon(square, 6, mulberry32(9)));
		expect(tilePolygon(square, 6, mulberry32(9))).not.toEqual(tilePolygon(square, 6, mulberry32(10)));
	});

	it('evens out piece sizes with Lloyd relaxation', () => {
		const spread = (pieces: Areal[]) => {
			const areas = pieces.map((p) => area(p));
			return Math.max(...areas) / Math.min(...areas);
		};
		const plain = tilePolygonWithSeeds(square, 8, mulberry32(2), { candidates: 1 });
		const relaxed = tilePolygonWithSeeds(square, 8, mulberry32(2), { candidates: 1, lloydRounds: 4 });
		expectTiles(square, relaxed.pieces, 8);
		expect(spread(relaxed.pieces)).toBeLessThan(spread(plain.pieces));
	});

	it('returns the parent itself for one piece', () => {
		expect(tilePolygon(square, 1, mulberry32(1))).toEqual([square]);
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
	it('rejects a missing parent and a bad count', () => {
		expect(() => tilePolygon(null as unknown as Areal, 3, mulberry32(1))).toThrow('parent must be');
		expect(() => tilePolygon(square, 0, mulberry32(1))).toThrow('n must be a positive integer');
		expect(() => tileBySeeds(square, [])).toThrow('seeds must be a non-empty array');
	});
});
