/*
 * The demo geometry generator (scripts/seed/geometry.ts) over real data: 江阳区 and its 15 streets,
 * 南城街道 and its communities, 白招牌社区 and its grids, buildings, markets and checkpoints.
 * It lives here because tests sit beside the spatial code they exercise.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { area, booleanPointInPolygon } from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	BAIZHAOPAI,
	generateDemoGeometry,
	isUrbanCommunity,
	isUrbanStreet,
	shortUnitName,
	TUNING,
	type AdminUnit,
	type DemoGeometry,
	type DemoUnit
} from '../../../scripts/seed/geometry';
import { geometryBbox } from './bbox';
import { distanceToBoundaryMeters } from './boundary-distance';
import { validateTiling } from './validate-tiling';

const JIANGYANG = '510502';
const NANCHENG = '510502001';
const adminUnits: AdminUnit[] = JSON.parse(
	readFileSync(new URL('../../../supabase/seed/luzhou/admin-units.json', import.meta.url), 'utf8')
);
const hash = (demo: DemoGeometry) => createHash('sha256').update(JSON.stringify(demo)).digest('hex');

/**
 * sha256 of `JSON.stringify(generateDemoGeometry({ districts: ['510502'] }))`, recorded by hand.
 *
 * REGEN: when this test fails, the demo data has changed. If you changed the generator (or its inputs)
 * on purpose, check the new output (`node --import tsx scripts/seed/geometry-check.ts`: zero gaps and
 * overlaps, centres inside) and paste the received hash here, in the same commit. If you did not (a
 * dependency update: Turf, polyclip-ts, a new Node), find out what moved before updating it: the seeded
 * database and its screenshots are built from this output.
 */
const GOLDEN_JIANGYANG_SHA256 = '032316115984e52c11c49011420a24951b1378357c2ffd281c10d467926161c4';

let demo: DemoGeometry;
let byCode: Map<string, DemoUnit>;
const childrenOf = (code: string) => demo.units.filter((u) => u.parent === code);

beforeAll(() => {
	demo = generateDemoGeometry({ districts: [JIANGYANG] });
	byCode = new Map(demo.units.map((u) => [u.code, u]));
});

describe('units', () => {
	it('has the city, all 7 districts, and every unit of 江阳区 from admin-units.json', () => {
		const expected = adminUnits.filter(
			(u) => u.level === 'city' || u.level === 'district' || u.code.startsWith(JIANGYANG)
		);
		for (const u of expected) {
			expect(byCode.get(u.code), u.code).toMatchObject({ name: u.name, level: u.level, parent: u.parent });
		}
		expect(demo.units.filter((u) => u.level === 'street')).toHaveLength(15);
		expect(demo.units.filter((u) => u.level === 'community')).toHaveLength(
			adminUnits.filter((u) => u.level === 'community' && u.code.startsWith(JIANGYANG)).length
		);
	});

	it('gives every community its grids: 6 for 白招牌社区, 3-4 for city communities, 2 for villages', () => {
		for (const community of demo.units.filter((u) => u.level === 'community')) {
			const grids = childrenOf(community.code);
			const street = byCode.get(community.parent!)!;
			grids.forEach((g, i) => {
				expect(g.code).toBe(`${community.code}${String(i + 1).padStart(3, '0')}`);
				expect(g.name).toBe(`第${i + 1}网格`);
				expect(g.level).toBe('grid');
			});
			if (community.code === BAIZHAOPAI) expect(grids).toHaveLength(6);
			else if (!isUrbanCommunity(community.name)) expect(grids).toHaveLength(2);
			else if (isUrbanStreet(street.name)) expect([3, 4]).toContain(grids.length);
			else expect([2, 3]).toContain(grids.length);
		}
	});

	it('stores a bbox that matches the geometry and a centre well inside (0.5 m, as rounded)', () => {
		for (const u of demo.units) {
			expect(u.bbox).toEqual(geometryBbox(u.geometry));
			expect(booleanPointInPolygon(u.center, u.geometry, { ignoreBoundary: true }), u.code).toBe(true);
			expect(distanceToBoundaryMeters(u.center, u.geometry), u.code).toBeGreaterThanOrEqual(
				TUNING.centerMargin
			);
		}
	});

	it('rounds every coordinate to 6 decimals', () => {
		const text = JSON.stringify(byCode.get(NANCHENG)!.geometry);
		expect(text).not.toMatch(/\d\.\d{7,}/);
	});
});

describe('urban or village', () => {
	it('goes by the committee: residents (居民委员会, 居委会, 社区) or villagers (村民委员会, 村委会)', () => {
		for (const name of ['白招牌社区居民委员会', '上坝街居民委员会', '百梯社区居委会', '白招牌社区'])
			expect(isUrbanCommunity(name), name).toBe(true);
		for (const name of ['王河村村民委员会', '高洞村民委员会', '团结村委会', '金榜村'])
			expect(isUrbanCommunity(name), name).toBe(false);
		const communities = adminUnits.filter((u) => u.level === 'community');
		for (const u of communities)
			expect(isUrbanCommunity(u.name), u.name).toBe(!/(村民委员会|村委会)$/.test(u.name));
	});

	it('treats 上坝街居民委员会 (纳溪区, no 社区 in its name) as urban: grids, buildings, gates', () => {
		const naxi = generateDemoGeometry({ districts: ['510503'] });
		const code = '510503001001';
		const unit = naxi.units.find((u) => u.code === code)!;
		expect(unit.name).toBe('上坝街居民委员会');
		expect(isUrbanStreet(naxi.units.find((u) => u.code === unit.parent)!.name)).toBe(true);
		expect([3, 4]).toContain(naxi.units.filter((u) => u.parent === code).length);
		const buildings = naxi.buildings.filter((b) => b.community === code);
		expect(buildings.length).toBeGreaterThanOrEqual(8);
		for (const b of buildings)
			expect(b).toMatchObject({ kind: 'residential', name: expect.stringMatching(/^\d+(栋|号楼)$/) });
		const own = naxi.checkpoints.filter((p) => p.community === code && p.kind !== 'market_entrance');
		for (const p of own) expect(p.kind).toBe('community_gate');
		expect(own[0].name.startsWith('上坝街')).toBe(true);
	});
});

describe('tiling', () => {
	const expectExact = (code: string) => {
		const parent = byCode.get(code)!;
		const report = validateTiling(
			parent.geometry,
			childrenOf(code).map((c) => c.geometry)
		);
		const limit = 1e-6 * report.parentArea;
		expect(report.gapArea, `gap under ${code}`).toBeLessThan(limit);
		expect(report.overlapArea, `overlap under ${code}`).toBeLessThan(limit);
		expect(report.outsideArea, `outside ${code}`).toBeLessThan(limit);
		expect(report.overlaps).toEqual([]);
		expect(Math.abs(report.childrenArea - report.parentArea) / report.parentArea).toBeLessThan(1e-6);
		return report;
	};

	it('tiles the city with its 7 districts', () => {
		expectExact('5105');
		expect(byCode.get('5105')!.geometry.type).toBe('Polygon');
	});
	it('tiles 江阳区 with its 15 streets', () => expectExact(JIANGYANG));
	it('tiles 南城街道 with its 6 communities', () => expectExact(NANCHENG));
	it('tiles 白招牌社区 with its 6 grids', () => expectExact(BAIZHAOPAI));
	it('tiles every community of 江阳区 with its grids', () => {
		for (const c of demo.units.filter((u) => u.level === 'community')) {
			const report = validateTiling(
				c.geometry,
				childrenOf(c.code).map((g) => g.geometry)
			);
			expect(report.gapArea + report.overlapArea + report.outsideArea, c.code).toBeLessThan(
				1e-6 * report.parentArea
			);
		}
	});

	it('keeps urban streets near the district seat and towns farther out', () => {
		const seat = byCode.get(JIANGYANG)!.center;
		const distance = (u: DemoUnit) => Math.hypot(u.center[0] - seat[0], u.center[1] - seat[1]);
		const streets = demo.units.filter((u) => u.level === 'street');
		const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
		const urban = mean(streets.filter((s) => isUrbanStreet(s.name)).map(distance));
		const towns = mean(streets.filter((s) => !isUrbanStreet(s.name)).map(distance));
		expect(urban).toBeLessThan(towns / 2);
		const meanArea = (xs: DemoUnit[]) => mean(xs.map((x) => area(x.geometry)));
		expect(meanArea(streets.filter((s) => isUrbanStreet(s.name)))).toBeLessThan(
			meanArea(streets.filter((s) => !isUrbanStreet(s.name)))
		);
	});
});

describe('buildings', () => {
	it('puts exactly 113 buildings in 白招牌社区, exactly 1 with property management', () => {
		const bzp = demo.buildings.filter((b) => b.community === BAIZHAOPAI);
		expect(bzp).toHaveLength(113);
		expect(bzp.filter((b) => b.has_property_management)).toHaveLength(1);
	});

	it('gives every grid a building, and each building lies strictly inside its grid and no other', () => {
		const grids = demo.units.filter((u) => u.level === 'grid');
		const counts = new Map(grids.map((g) => [g.code, 0]));
		for (const b of demo.buildings) {
			counts.set(b.grid, counts.get(b.grid)! + 1);
			const holders = childrenOf(b.community).filter((g) =>
				booleanPointInPolygon([b.lon, b.lat], g.geometry, { ignoreBoundary: true })
			);
			expect(holders.map((g) => g.code)).toEqual([b.grid]);
		}
		for (const [code, n] of counts) expect(n, code).toBeGreaterThan(0);
	});

	it('sizes and names them by kind of community', () => {
		const ids = new Set(demo.buildings.map((b) => b.id));
		expect(ids.size).toBe(demo.buildings.length);
		for (const c of demo.units.filter((u) => u.level === 'community' && u.code !== BAIZHAOPAI)) {
			const list = demo.buildings.filter((b) => b.community === c.code);
			if (isUrbanCommunity(c.name)) {
				expect(list.length).toBeGreaterThanOrEqual(8);
				expect(list.length).toBeLessThanOrEqual(20);
				for (const b of list) expect(b.name).toMatch(/^\d+(栋|号楼)$/);
				for (const b of list) expect(b.kind).toBe('residential');
			} else {
				expect(list.length).toBeGreaterThanOrEqual(5);
				expect(list.length).toBeLessThanOrEqual(10);
				for (const b of list) expect(b.name).toMatch(/^\d+组\d+号$/);
				for (const b of list)
					expect(b).toMatchObject({ kind: 'rural_house', has_property_management: false });
			}
		}
	});
});

describe('markets and checkpoints', () => {
	it('gives 白招牌社区 its two markets, each with 2-3 entrances inside its grid', () => {
		const bzp = demo.markets.filter((m) => m.community === BAIZHAOPAI);
		expect(bzp.map((m) => m.name)).toEqual(['白招牌农贸市场', '南城农贸市场']);
		for (const m of demo.markets) {
			const grid = byCode.get(m.grid)!;
			expect(booleanPointInPolygon([m.lon, m.lat], grid.geometry, { ignoreBoundary: true })).toBe(true);
			expect(m.entrances.length).toBeGreaterThanOrEqual(2);
			expect(m.entrances.length).toBeLessThanOrEqual(3);
			for (const e of m.entrances)
				expect(booleanPointInPolygon(e, grid.geometry, { ignoreBoundary: true })).toBe(true);
		}
		for (const m of demo.markets.filter((m) => m.community !== BAIZHAOPAI)) {
			expect(demo.markets.filter((x) => x.community === m.community)).toHaveLength(1);
		}
	});

	it('gives every community 1-2 checkpoints of its kind, plus one per market entrance; 白招牌社区 4-6', () => {
		for (const c of demo.units.filter((u) => u.level === 'community')) {
			const list = demo.checkpoints.filter((p) => p.community === c.code);
			const own = list.filter((p) => p.kind !== 'market_entrance');
			const markets = demo.markets.filter((m) => m.community === c.code);
			expect(list.filter((p) => p.kind === 'market_entrance')).toHaveLength(markets.length);
			for (const p of list) {
				expect(p.street).toBe(c.parent);
				expect(booleanPointInPolygon([p.lon, p.lat], c.geometry, { ignoreBoundary: true })).toBe(true);
				expect(p.staff_required).toBeGreaterThanOrEqual(2);
				expect(p.name.startsWith(shortUnitName(c.name)) || p.kind === 'market_entrance').toBe(true);
			}
			if (c.code === BAIZHAOPAI) {
				expect(list.length).toBeGreaterThanOrEqual(4);
				expect(list.length).toBeLessThanOrEqual(6);
				continue;
			}
			expect([1, 2]).toContain(own.length);
			const kinds = isUrbanCommunity(c.name) ? ['community_gate'] : ['road_checkpoint', 'persuasion_point'];
			for (const p of own) expect(kinds).toContain(p.kind);
		}
		expect(new Set(demo.checkpoints.map((p) => p.id)).size).toBe(demo.checkpoints.length);
	});
});

describe('determinism', () => {
	it('gives the same output for the same seed, and another for another seed', () => {
		const again = generateDemoGeometry({ districts: [JIANGYANG] });
		expect(hash(again)).toBe(hash(demo));
		const other = generateDemoGeometry({ districts: [JIANGYANG], seed: 7 });
		expect(hash(other)).not.toBe(hash(demo));
	});

	it('matches the recorded hash of 江阳区 (see GOLDEN_JIANGYANG_SHA256 to update it)', () => {
		expect(hash(demo), 'the demo geometry changed: see REGEN above GOLDEN_JIANGYANG_SHA256').toBe(
			GOLDEN_JIANGYANG_SHA256
		);
	});

	it('gives a district the same units and points whether or not its neighbours are generated too', () => {
		const both = generateDemoGeometry({ districts: [JIANGYANG, '510504'] });
		expect(both.units.some((u) => u.code.startsWith('510504') && u.level === 'grid')).toBe(true);
		// borders shared with the neighbour's units gain their junction vertices (each moved < 5 cm by
		// rounding), so areas agree closely rather than exactly; the points agree exactly
		const mine = (d: DemoGeometry) => d.units.filter((u) => u.code.startsWith(JIANGYANG));
		const alone = mine(demo);
		const withNeighbour = mine(both);
		expect(withNeighbour.map((u) => [u.code, u.name, u.parent])).toEqual(
			alone.map((u) => [u.code, u.name, u.parent])
		);
		withNeighbour.forEach((u, i) => {
			expect(
				Math.abs(area(u.geometry) - area(alone[i].geometry)) / area(alone[i].geometry),
				u.code
			).toBeLessThan(1e-3);
		});
		const points = (d: DemoGeometry) => ({
			buildings: d.buildings.filter((b) => b.community.startsWith(JIANGYANG)),
			markets: d.markets.filter((m) => m.community.startsWith(JIANGYANG)),
			checkpoints: d.checkpoints.filter((c) => c.community.startsWith(JIANGYANG))
		});
		expect(points(both)).toEqual(points(demo));
	});

	it('rejects a code that is not a district', () => {
		expect(() => generateDemoGeometry({ districts: [NANCHENG] })).toThrow('510502001 is not a district code');
	});
});

describe('short unit names', () => {
	it('names committees the way people do', () => {
		expect(shortUnitName('白招牌社区居民委员会')).toBe('白招牌社区');
		expect(shortUnitName('上坝街居民委员会')).toBe('上坝街社区');
		expect(shortUnitName('金榜村民委员会')).toBe('金榜村');
		expect(shortUnitName('某某村委会')).toBe('某某村');
	});
});
