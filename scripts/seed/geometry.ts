/**
 * Deterministic demo geometry for the whole of Luzhou: the 7 real district boundaries, and generated
 * streets, communities and grids that tile them with no gap and no overlap; then buildings, farmers'
 * markets and checkpoints inside the communities. No street, community or grid boundary is published
 * anywhere, so these are made up, reproducibly: the same seed gives byte-identical output.
 *
 * Plain data only, no database access: the seeding step decides how to store it.
 *
 * Usage: `import { generateDemoGeometry } from './geometry'` (run TypeScript with `node --import tsx`).
 */
import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { isAreal, planarArea, polygonsOf, type Areal } from '../../src/lib/spatial/areal';
import { geometryBbox, type BBox } from '../../src/lib/spatial/bbox';
import { isWellInside } from '../../src/lib/spatial/boundary-distance';
import { unionAreal } from '../../src/lib/spatial/clip';
import { dropSmallParts, fillSmallGaps, normalizeAreal } from '../../src/lib/spatial/coverage';
import { labelPoint } from '../../src/lib/spatial/label-point';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../../src/lib/spatial/metres';
import { nodeCoverage } from '../../src/lib/spatial/noding';
import { PolygonIndex } from '../../src/lib/spatial/polygon-index';
import {
	deriveSeed,
	mulberry32,
	pick,
	randomInt,
	randomPointInPolygon,
	randomPointNear,
	type Rng
} from '../../src/lib/spatial/random';
import { roundGeometry, roundPosition } from '../../src/lib/spatial/round';
import { spreadSeeds } from '../../src/lib/spatial/seeds';
import { simplifySharedBorders } from '../../src/lib/spatial/simplify-shared';
import { tileBySeeds } from '../../src/lib/spatial/tiling';

/** The seed used when none is given (the day Luzhou's community screening began, 2020-01-28). */
export const DEFAULT_SEED = 20200128;

/** Where the project keeps its seed inputs (copies of /work/shared/data/luzhou). */
export const LUZHOU_DATA_DIR = new URL('../../supabase/seed/luzhou/', import.meta.url);

export type UnitLevel = 'city' | 'district' | 'street' | 'community' | 'grid';

/** An administrative unit (or grid) with its boundary. Coordinates are [lon, lat], 6 decimals. */
export interface DemoUnit {
	code: string;
	name: string;
	level: UnitLevel;
	parent: string | null;
	geometry: Polygon | MultiPolygon;
	/** [minLon, minLat, maxLon, maxLat] of `geometry` */
	bbox: BBox;
	/** a point at least {@link TUNING.centerMargin} m inside the unit (as rounded), for labels and zooming */
	center: [number, number];
}

export interface DemoBuilding {
	/**
	 * `ordinal * 1000 + n`, where `ordinal` is the community's 1-based position among all communities of
	 * admin-units.json and `n` counts its buildings from 1: stable whichever districts are generated
	 */
	id: number;
	community: string;
	/** code of the grid containing the point (by point-in-polygon) */
	grid: string;
	/** `12栋` / `12号楼` in urban communities, `2组7号` (villager group 2, house 7) in villages */
	name: string;
	lon: number;
	lat: number;
	has_property_management: boolean;
	kind: 'residential' | 'rural_house';
}

export interface DemoMarket {
	/** `ordinal * 10 + n` (see {@link DemoBuilding.id}) */
	id: number;
	community: string;
	grid: string;
	name: string;
	lon: number;
	lat: number;
	/** 2-3 entrances on a small ring around the market, all inside the market's grid */
	entrances: [number, number][];
}

export type CheckpointKind = 'community_gate' | 'road_checkpoint' | 'persuasion_point' | 'market_entrance';

export interface DemoCheckpoint {
	/** `ordinal * 10 + n` (see {@link DemoBuilding.id}) */
	id: number;
	street: string;
	community: string;
	name: string;
	kind: CheckpointKind;
	lon: number;
	lat: number;
	/** volunteers needed per shift */
	staff_required: number;
}

export interface DemoGeometry {
	seed: number;
	/** city, districts, streets, communities, grids in that order; by code within a level */
	units: DemoUnit[];
	buildings: DemoBuilding[];
	markets: DemoMarket[];
	checkpoints: DemoCheckpoint[];
}

export interface GenerateDemoGeometryOptions {
	/** any integer (default {@link DEFAULT_SEED}) */
	seed?: number;
	/**
	 * Generate streets and below only for these district codes (default: all 7). The city and all
	 * districts are always included. Every unit draws from its own random stream, so a district's units
	 * and points come out the same whether it is generated alone or with the others (tests use this to stay
	 * fast); only where its borders meet a generated neighbour's do they gain the neighbour's junction
	 * vertices, which moves them by centimetres.
	 */
	districts?: string[];
}

/** One row of admin-units.json. */
export interface AdminUnit {
	code: string;
	name: string;
	level: 'city' | 'district' | 'street' | 'community';
	parent: string | null;
}

/** The community the source article centres on; it gets hand-set numbers. */
export const BAIZHAOPAI = '510502001006';

/** Tuning, in one place. Areas in m², distances in metres, tolerances in degrees. */
export const TUNING = {
	/** Douglas-Peucker tolerance for the district borders (topology-preserving). */
	simplifyTolerance: 0.001,
	/** District parts and inter-district gaps smaller than this are quantisation specks. */
	speckArea: 100_000,
	/** How far the seeds that streets, communities and grids grow from keep from their parent's edges. */
	seedMargin: 5,
	/** How far every unit's stored centre (rounded) lies inside the unit, at least. */
	centerMargin: 0.5,
	/** How far generated points keep from their grid's edges. */
	buildingMargin: 8,
	marketMargin: 60,
	checkpointMargin: 10,
	decimals: 6
} as const;

// ---------------------------------------------------------------------------------------------------
// inputs

/** Reads and checks admin-units.json and districts.geojson from {@link LUZHOU_DATA_DIR}. */
export function loadLuzhouInputs(): {
	adminUnits: AdminUnit[];
	districts: FeatureCollection<
		Polygon | MultiPolygon,
		{ code: string; name: string; center: [number, number] }
	>;
} {
	const adminUnits = JSON.parse(
		readFileSync(new URL('admin-units.json', LUZHOU_DATA_DIR), 'utf8')
	) as AdminUnit[];
	const districts = JSON.parse(readFileSync(new URL('districts.geojson', LUZHOU_DATA_DIR), 'utf8'));
	if (!Array.isArray(adminUnits) || adminUnits.length === 0)
		throw new Error('admin-units.json must be a non-empty array');
	if (districts?.type !== 'FeatureCollection' || !Array.isArray(districts.features)) {
		throw new Error('districts.geojson must be a FeatureCollection');
	}
	for (const f of districts.features) {
		if (!isAreal(f.geometry)) throw new Error(`district ${f.properties?.code} has no polygon geometry`);
	}
	return { adminUnits, districts };
}

/** A unit's name without the committee suffix: 白招牌社区居民委员会 → 白招牌社区, 金榜村民委员会 → 金榜村. */
export function shortUnitName(name: string): string {
	return (
		name
			.replace(/社区(居民委员会|居委会)$/, '社区')
			// A residents' committee without 社区 in its name (上坝街居民委员会) is still a community, not a street.
			.replace(/(居民委员会|居委会)$/, '社区')
			.replace(/(村民委员会|村委会)$/, '村')
			.replace(/村村$/, '村')
	);
}

/**
 * Whether a community is urban (a residents' committee, with apartment buildings) rather than a village
 * (a villagers' committee, 村民委员会 / 村委会). Decided on the full name: besides the 社区居民委员会 there are
 * town-centre residents' committees without 社区 in their name (上坝街居民委员会 of 纳溪区).
 */
export function isUrbanCommunity(name: string): boolean {
	return /(居民委员会|居委会|社区)$/.test(name);
}

/** Whether a street-level unit is an urban street (街道) rather than a town (镇) or township (乡). */
export function isUrbanStreet(name: string): boolean {
	return name.endsWith('街道');
}

// ---------------------------------------------------------------------------------------------------
// helpers

const rngFor = (seed: number, key: string): Rng => mulberry32(deriveSeed(seed, key));

/** Splits `total` into parts proportional to `weights`, each at least `min` (largest remainder). */
function allocate(total: number, weights: number[], min: number): number[] {
	const spare = total - min * weights.length;
	if (spare < 0) throw new Error(`cannot give ${weights.length} parts at least ${min} from ${total}`);
	const sum = weights.reduce((a, b) => a + b, 0);
	const exact = weights.map((w) => (sum > 0 ? (spare * w) / sum : spare / weights.length));
	const counts = exact.map((x) => min + Math.floor(x));
	let left = total - counts.reduce((a, b) => a + b, 0);
	const order = exact.map((x, i) => ({ r: x - Math.floor(x), i })).sort((a, b) => b.r - a.r || a.i - b.i);
	for (let k = 0; left > 0; k++, left--) counts[order[k % order.length].i]++;
	return counts;
}

/** A point inside `geometry` at least `margin` m from its edges, relaxing the margin if it is too thin. */
function pointWithMargin(geometry: Areal, rng: Rng, margin: number): Position {
	for (let m = margin; m >= 0.5; m /= 2) {
		try {
			return randomPointInPolygon(geometry, rng, { marginMeters: m, maxTries: 2_000 });
		} catch {
			// too thin for this margin: halve it
		}
	}
	return randomPointInPolygon(geometry, rng, { marginMeters: 0.2 });
}

/**
 * The stored centre of a unit: its label point (the centroid, else the seed it grew from), rounded and
 * checked to lie {@link TUNING.centerMargin} inside the rounded geometry; failing both, a point drawn
 * from the unit's own random stream.
 */
function unitCenter(code: string, geometry: Areal, fallback: Position, seed: number): [number, number] {
	const [lon, lat] = labelPoint(geometry, fallback, {
		marginMeters: TUNING.centerMargin,
		snap: (p) => roundPosition(p, TUNING.decimals),
		rng: rngFor(seed, `${code}:center`)
	});
	return [lon, lat];
}

/**
 * Tiles `parent` into one piece per seed. Clipping can in rare degenerate cases fail (a seed on a
 * vertex, a cell meeting nothing); then new seeds are drawn from a second stream, deterministically.
 */
function tileWithRetry(
	parent: Areal,
	key: string,
	seed: number,
	makeSeeds: (rng: Rng) => Position[]
): { pieces: Areal[]; seeds: Position[] } {
	let lastError: unknown;
	for (let attempt = 0; attempt < 5; attempt++) {
		const seeds = makeSeeds(rngFor(seed, attempt === 0 ? key : `${key}#${attempt}`));
		try {
			return { pieces: tileBySeeds(parent, seeds), seeds };
		} catch (error) {
			lastError = error;
		}
	}
	throw new Error(`could not tile ${key}: ${(lastError as Error).message}`);
}

// ---------------------------------------------------------------------------------------------------
// boundaries

/**
 * The 7 district boundaries made into a clean coverage: simplified with their shared borders kept
 * shared, made valid, quantisation specks (< 0.1 km²) dropped and the slivers of no-man's-land between
 * neighbours given to a neighbour. Full precision (not yet rounded).
 */
export function prepareDistricts(
	districts: FeatureCollection<
		Polygon | MultiPolygon,
		{ code: string; name: string; center: [number, number] }
	>
): { code: string; name: string; center: Position; geometry: Areal }[] {
	const raw = districts.features.map(
		(f) => ({ type: f.geometry.type, coordinates: f.geometry.coordinates }) as Areal
	);
	const simplified = simplifySharedBorders(raw, TUNING.simplifyTolerance);
	const valid = simplified.map((g, i) => {
		const normal = normalizeAreal(g);
		if (!normal) throw new Error(`district ${districts.features[i].properties.code} has no area`);
		return dropSmallParts(normal, TUNING.speckArea);
	});
	const geometries = fillSmallGaps(valid, TUNING.speckArea);
	return districts.features.map((f, i) => ({
		code: f.properties.code,
		name: f.properties.name,
		center: f.properties.center,
		geometry: geometries[i]
	}));
}

/** How many grids a community gets. */
function gridCount(community: AdminUnit, street: AdminUnit, rng: Rng): number {
	if (community.code === BAIZHAOPAI) return 6;
	if (!isUrbanCommunity(community.name)) return 2;
	return isUrbanStreet(street.name) ? randomInt(rng, 3, 4) : randomInt(rng, 2, 3);
}

/**
 * Seeds for the children of `parent`: the `clustered` ones (urban streets of a district, urban
 * communities of a mixed street) gather around `center`; the rest spread over the whole parent.
 */
function clusteredSeeds(parent: Areal, center: Position, clustered: boolean[], rng: Rng): Position[] {
	const count = clustered.filter(Boolean).length;
	const seeds: Position[] = new Array(clustered.length);
	let urban: Position[] = [];
	if (count > 0 && count < clustered.length) {
		// sigma grows with the parent's size and the number of clustered units
		const [minX, minY, maxX, maxY] = geometryBbox(parent);
		const spanMeters = Math.min(
			(maxX - minX) * metresPerDegreeLon((minY + maxY) / 2),
			(maxY - minY) * METRES_PER_DEGREE
		);
		const sigma = Math.max(300, spanMeters * Math.min(0.3, 0.06 * Math.sqrt(count)));
		const inside = booleanPointInPolygon(center, parent, { ignoreBoundary: true });
		const marginMeters = TUNING.seedMargin;
		urban = spreadSeeds(parent, count, rng, {
			candidates: 4,
			sample: (r) =>
				inside
					? randomPointNear(parent, center, sigma, r, { marginMeters })
					: randomPointInPolygon(parent, r, { marginMeters })
		});
	}
	const rest = spreadSeeds(parent, clustered.length - urban.length, rng, {
		candidates: 10,
		existing: urban,
		marginMeters: TUNING.seedMargin
	});
	let u = 0;
	let r = 0;
	clustered.forEach((isClustered, i) => {
		seeds[i] = isClustered && urban.length > 0 ? urban[u++] : rest[r++];
	});
	return seeds;
}

// ---------------------------------------------------------------------------------------------------
// the generator

/**
 * Generates the demo geometry of Luzhou: every admin unit with a boundary, grids inside every community,
 * buildings, farmers' markets and checkpoints. Deterministic for a given seed.
 *
 * @example
 * const { units, buildings, markets, checkpoints } = generateDemoGeometry({ seed: 1 });
 */
export function generateDemoGeometry(options: GenerateDemoGeometryOptions = {}): DemoGeometry {
	const seed = options.seed ?? DEFAULT_SEED;
	if (!Number.isInteger(seed)) throw new Error('seed must be an integer');
	const { adminUnits, districts } = loadLuzhouInputs();
	const byCode = new Map(adminUnits.map((u) => [u.code, u]));
	const childrenOf = new Map<string, AdminUnit[]>();
	for (const u of adminUnits) {
		if (!u.parent) continue;
		const list = childrenOf.get(u.parent);
		if (list) list.push(u);
		else childrenOf.set(u.parent, [u]);
	}
	const city = adminUnits.find((u) => u.level === 'city');
	if (!city) throw new Error('admin-units.json has no city');
	const wanted = options.districts ? new Set(options.districts) : null;
	if (wanted) {
		for (const code of wanted) {
			if (byCode.get(code)?.level !== 'district') throw new Error(`${code} is not a district code`);
		}
	}

	// 1. boundaries, at full precision; every piece remembers the seed it grew from
	interface Piece {
		unit: AdminUnit | { code: string; name: string; level: 'grid'; parent: string };
		geometry: Areal;
		seed: Position;
	}
	const pieces: Piece[] = [];
	const districtPieces = prepareDistricts(districts).map((d) => {
		const unit = byCode.get(d.code);
		if (!unit) throw new Error(`district ${d.code} of districts.geojson is not in admin-units.json`);
		return { unit, geometry: d.geometry, seed: d.center };
	});
	pieces.push(...districtPieces);

	for (const district of districtPieces) {
		if (wanted && !wanted.has(district.unit.code)) continue;
		const streets = childrenOf.get(district.unit.code) ?? [];
		const streetTiles = tileWithRetry(district.geometry, district.unit.code, seed, (rng) =>
			clusteredSeeds(
				district.geometry,
				district.seed,
				streets.map((s) => isUrbanStreet(s.name)),
				rng
			)
		);
		streets.forEach((street, i) => {
			const streetPiece = { unit: street, geometry: streetTiles.pieces[i], seed: streetTiles.seeds[i] };
			pieces.push(streetPiece);
			const communities = childrenOf.get(street.code) ?? [];
			if (communities.length === 0) return;
			const communityTiles = tileWithRetry(streetPiece.geometry, street.code, seed, (rng) =>
				clusteredSeeds(
					streetPiece.geometry,
					streetPiece.seed,
					communities.map((c) => isUrbanCommunity(c.name)),
					rng
				)
			);
			communities.forEach((community, k) => {
				const communityPiece = {
					unit: community,
					geometry: communityTiles.pieces[k],
					seed: communityTiles.seeds[k]
				};
				pieces.push(communityPiece);
				const n = gridCount(community, street, rngFor(seed, `${community.code}:grids`));
				const gridTiles = tileWithRetry(communityPiece.geometry, community.code, seed, (rng) =>
					spreadSeeds(communityPiece.geometry, n, rng, { candidates: 10, marginMeters: TUNING.seedMargin })
				);
				gridTiles.pieces.forEach((geometry, g) => {
					pieces.push({
						unit: {
							code: `${community.code}${String(g + 1).padStart(3, '0')}`,
							name: `第${g + 1}网格`,
							level: 'grid',
							parent: community.code
						},
						geometry,
						seed: gridTiles.seeds[g]
					});
				});
			});
		});
	}

	// 2. give shared borders the same vertices on both sides, then round: no gap or overlap appears
	const noded = nodeCoverage(pieces.map((p) => p.geometry));
	const rounded = noded.map((g, i) => {
		const r = roundGeometry(g, TUNING.decimals);
		if (!r) throw new Error(`${pieces[i].unit.code} vanished when rounded`);
		return r;
	});
	const cityGeometry = unionAreal(rounded.slice(0, districtPieces.length));
	if (!cityGeometry) throw new Error('the districts have no union');
	const cityRounded = roundGeometry(cityGeometry, TUNING.decimals)!;

	const levelOrder: Record<UnitLevel, number> = { city: 0, district: 1, street: 2, community: 3, grid: 4 };
	const cityUnit: DemoUnit = {
		code: city.code,
		name: city.name,
		level: 'city',
		parent: null,
		geometry: cityRounded,
		bbox: geometryBbox(cityRounded),
		center: unitCenter(city.code, cityRounded, districtPieces[0].seed, seed)
	};
	const units: DemoUnit[] = [
		cityUnit,
		...pieces.map((p, i): DemoUnit => ({
			code: p.unit.code,
			name: p.unit.name,
			level: p.unit.level as UnitLevel,
			parent: p.unit.parent,
			geometry: rounded[i],
			bbox: geometryBbox(rounded[i]),
			center: unitCenter(p.unit.code, rounded[i], p.seed, seed)
		}))
	].sort(
		(a, b) => levelOrder[a.level] - levelOrder[b.level] || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
	);

	// 3. points inside the communities, each assigned to its grid by one index over all grids
	const unitByCode = new Map(units.map((u) => [u.code, u]));
	const gridsOf = new Map<string, DemoUnit[]>();
	for (const u of units) {
		if (u.level !== 'grid') continue;
		const list = gridsOf.get(u.parent!);
		if (list) list.push(u);
		else gridsOf.set(u.parent!, [u]);
	}
	const allGrids = units.filter((u) => u.level === 'grid');
	const gridIndex = PolygonIndex.from(allGrids.map((g) => g.geometry));
	const gridAt = (p: Position): DemoUnit | undefined => allGrids[gridIndex.locate(p[0], p[1])];
	const buildings: DemoBuilding[] = [];
	const markets: DemoMarket[] = [];
	const checkpoints: DemoCheckpoint[] = [];
	let ordinal = 0;
	for (const unit of adminUnits) {
		if (unit.level !== 'community') continue;
		ordinal++;
		const community = unitByCode.get(unit.code);
		if (!community) continue; // its district was not generated
		const street = byCode.get(unit.parent!)!;
		const grids = gridsOf.get(unit.code)!;
		const context: CommunityContext = { seed, ordinal, unit, street, community, grids, gridAt };
		buildings.push(...communityBuildings(context));
		const communityMarkets = communityMarketsOf(context);
		markets.push(...communityMarkets);
		checkpoints.push(...communityCheckpoints(context, communityMarkets));
	}

	return { seed, units, buildings, markets, checkpoints };
}

interface CommunityContext {
	seed: number;
	/** 1-based position among all communities: ids derive from it */
	ordinal: number;
	unit: AdminUnit;
	street: AdminUnit;
	community: DemoUnit;
	grids: DemoUnit[];
	/** the grid holding a point, by the {@link PolygonIndex} over all grids (one grid even on a shared edge) */
	gridAt: (p: Position) => DemoUnit | undefined;
}

/** A rounded point strictly inside `grid`, `margin` m from its edges where the grid allows. */
function pointInGrid(grid: DemoUnit, rng: Rng, margin: number, near?: { center: Position; sigma: number }) {
	for (let attempt = 0; attempt < 100; attempt++) {
		const raw = near
			? randomPointNear(grid.geometry, near.center, near.sigma, rng, { marginMeters: 2 })
			: pointWithMargin(grid.geometry, rng, margin);
		const p = roundPosition(raw, TUNING.decimals);
		if (isWellInside(p, grid.geometry, near ? 2 : Math.min(margin, 0.5))) return p;
	}
	throw new Error(`no point found inside grid ${grid.code}`);
}

function communityBuildings({
	seed,
	ordinal,
	unit,
	street,
	grids,
	gridAt
}: CommunityContext): DemoBuilding[] {
	const rng = rngFor(seed, `${unit.code}:buildings`);
	const urban = isUrbanCommunity(unit.name);
	const total = unit.code === BAIZHAOPAI ? 113 : urban ? randomInt(rng, 8, 20) : randomInt(rng, 5, 10);
	const perGrid = allocate(
		total,
		grids.map((g) => polygonsOf(g.geometry).reduce((sum, rings) => sum + planarArea(rings), 0)),
		1
	);
	const numbering = pick(rng, ['栋', '号楼'] as const);
	const managed = unit.code === BAIZHAOPAI ? randomInt(rng, 0, total - 1) : -1; // the one building of 白招牌 with management
	// estates with a property-management company are common in city streets, rare in town seats
	const managedShare = isUrbanStreet(street.name) ? 0.35 : 0.15;
	const out: DemoBuilding[] = [];
	grids.forEach((grid, g) => {
		// villages: houses in a cluster around a hamlet centre; urban: spread over the grid
		const hamlet = urban ? undefined : { center: pointWithMargin(grid.geometry, rng, 100), sigma: 150 };
		for (let h = 0; h < perGrid[g]; h++) {
			const [lon, lat] = pointInGrid(grid, rng, TUNING.buildingMargin, hamlet);
			const holder = gridAt([lon, lat]);
			if (holder?.code !== grid.code)
				throw new Error(`building placed in ${grid.code} lands in ${holder?.code ?? 'no grid'}`);
			const n = out.length;
			out.push({
				id: ordinal * 1000 + n + 1,
				community: unit.code,
				grid: holder.code,
				name: urban ? `${n + 1}${numbering}` : `${g + 1}组${h + 1}号`,
				lon,
				lat,
				has_property_management: unit.code === BAIZHAOPAI ? n === managed : urban && rng() < managedShare,
				kind: urban ? 'residential' : 'rural_house'
			});
		}
	});
	return out;
}

function communityMarketsOf({ seed, ordinal, unit, street, grids, gridAt }: CommunityContext): DemoMarket[] {
	const rng = rngFor(seed, `${unit.code}:markets`);
	let names: string[] = [];
	if (unit.code === BAIZHAOPAI) names = ['白招牌农贸市场', '南城农贸市场'];
	else if (isUrbanCommunity(unit.name) && isUrbanStreet(street.name) && rng() < 0.25) {
		names = [`${shortUnitName(unit.name).replace(/社区$/, '')}农贸市场`];
	}
	// markets in different grids where there are enough
	const firstGrid = randomInt(rng, 0, grids.length - 1);
	return names.map((name, m) => {
		const grid = grids[(firstGrid + m) % grids.length];
		for (let attempt = 0; attempt < 50; attempt++) {
			const center = pointInGrid(grid, rng, TUNING.marketMargin);
			const count = randomInt(rng, 2, 3);
			const start = rng() * 2 * Math.PI;
			const entrances: [number, number][] = [];
			for (let e = 0; e < count; e++) {
				const angle = start + (e * 2 * Math.PI) / count + (rng() - 0.5) * 0.6;
				for (let radius = 40; radius >= 5; radius *= 0.7) {
					const p = roundPosition(
						[
							center[0] + (radius * Math.cos(angle)) / metresPerDegreeLon(center[1]),
							center[1] + (radius * Math.sin(angle)) / METRES_PER_DEGREE
						],
						TUNING.decimals
					);
					if (isWellInside(p, grid.geometry, 2)) {
						entrances.push(p);
						break;
					}
				}
			}
			if (entrances.length !== count) continue;
			const holder = gridAt(center);
			if (holder?.code !== grid.code)
				throw new Error(`market placed in ${grid.code} lands in ${holder?.code ?? 'no grid'}`);
			return {
				id: ordinal * 10 + m + 1,
				community: unit.code,
				grid: holder.code,
				name,
				lon: center[0],
				lat: center[1],
				entrances
			};
		}
		throw new Error(`no room for a market in ${grid.code}`);
	});
}

/** The four sides a gate can face, as a name and a unit vector in a local east-north plane. */
const SIDES = [
	{ name: '东', dx: 1, dy: 0 },
	{ name: '南', dx: 0, dy: -1 },
	{ name: '西', dx: -1, dy: 0 },
	{ name: '北', dx: 0, dy: 1 }
] as const;

/**
 * A rounded point near the edge of the community on one side: the candidate (of 16, each well inside
 * its grid) that lies farthest in direction (dx, dy). Gates and road checkpoints sit where roads enter.
 */
function pointTowards(
	community: DemoUnit,
	gridAt: (p: Position) => DemoUnit | undefined,
	rng: Rng,
	dx: number,
	dy: number
): [number, number] {
	const kx = Math.cos((community.center[1] * Math.PI) / 180);
	let best: [number, number] | null = null;
	let bestScore = -Infinity;
	for (let c = 0; c < 16; c++) {
		const p = roundPosition(
			pointWithMargin(community.geometry, rng, TUNING.checkpointMargin),
			TUNING.decimals
		);
		const grid = gridAt(p);
		if (grid?.parent !== community.code || !isWellInside(p, grid.geometry, 1)) continue;
		const score = (p[0] - community.center[0]) * kx * dx + (p[1] - community.center[1]) * dy;
		if (score > bestScore) {
			best = p;
			bestScore = score;
		}
	}
	if (!best) throw new Error(`no checkpoint site found in ${community.code}`);
	return best;
}

function communityCheckpoints(
	{ seed, ordinal, unit, street, community, grids, gridAt }: CommunityContext,
	markets: DemoMarket[]
): DemoCheckpoint[] {
	const rng = rngFor(seed, `${unit.code}:checkpoints`);
	const short = shortUnitName(unit.name);
	const urban = isUrbanCommunity(unit.name);
	const planned: { kind: CheckpointKind; staff: number }[] = [];
	if (unit.code === BAIZHAOPAI) {
		planned.push(
			{ kind: 'community_gate', staff: 3 },
			{ kind: 'community_gate', staff: 2 },
			{ kind: 'community_gate', staff: 2 },
			{ kind: 'persuasion_point', staff: 2 }
		);
	} else if (urban) {
		planned.push({ kind: 'community_gate', staff: randomInt(rng, 2, 3) });
		if (rng() < 0.5) planned.push({ kind: 'community_gate', staff: randomInt(rng, 2, 3) });
	} else {
		planned.push({ kind: 'road_checkpoint', staff: randomInt(rng, 3, 4) });
		if (rng() < 0.5) planned.push({ kind: 'persuasion_point', staff: 2 });
	}

	// gates on distinct sides, starting from a random one
	const firstSide = randomInt(rng, 0, SIDES.length - 1);
	let gates = 0;
	const out: DemoCheckpoint[] = [];
	for (const { kind, staff } of planned) {
		let name: string;
		let site: [number, number];
		if (kind === 'community_gate') {
			const side = SIDES[(firstSide + gates++) % SIDES.length];
			site = pointTowards(community, gridAt, rng, side.dx, side.dy);
			name = `${short}${side.name}门`;
		} else if (kind === 'road_checkpoint') {
			const angle = rng() * 2 * Math.PI;
			site = pointTowards(community, gridAt, rng, Math.cos(angle), Math.sin(angle));
			name = `${short}卡口`;
		} else {
			site = pointInGrid(pick(rng, grids), rng, TUNING.checkpointMargin);
			name = `${short}劝阻点`;
		}
		out.push({
			id: ordinal * 10 + out.length + 1,
			street: street.code,
			community: unit.code,
			name,
			kind,
			lon: site[0],
			lat: site[1],
			staff_required: staff
		});
	}
	for (const market of markets) {
		const [lon, lat] = market.entrances[0];
		out.push({
			id: ordinal * 10 + out.length + 1,
			street: street.code,
			community: unit.code,
			name: `${market.name}入口`,
			kind: 'market_entrance',
			lon,
			lat,
			staff_required: 2
		});
	}
	return out;
}
