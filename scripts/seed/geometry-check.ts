/**
 * Generates the demo geometry for the whole city and prints what came out: counts per level, timing,
 * and how well each level tiles its parent (gap and overlap areas in m²).
 *
 * Run: node --import tsx scripts/seed/geometry-check.ts [seed]
 */
import { booleanPointInPolygon } from '@turf/turf';
import { validateTiling, type TilingReport } from '../../src/lib/spatial/validate-tiling';
import { isWellInside, distanceToBoundaryMeters } from '../../src/lib/spatial/boundary-distance';
import { BAIZHAOPAI, generateDemoGeometry, TUNING, type DemoUnit } from './geometry';

const seed = process.argv[2] ? Number(process.argv[2]) : undefined;
const started = performance.now();
const demo = generateDemoGeometry({ seed });
const seconds = (performance.now() - started) / 1000;

const perLevel: Record<string, number> = {};
for (const u of demo.units) perLevel[u.level] = (perLevel[u.level] ?? 0) + 1;
const children = new Map<string, DemoUnit[]>();
for (const u of demo.units) {
	if (!u.parent) continue;
	const list = children.get(u.parent);
	if (list) list.push(u);
	else children.set(u.parent, [u]);
}
const byCode = new Map(demo.units.map((u) => [u.code, u]));

console.log(`seed ${demo.seed}: generated in ${seconds.toFixed(2)} s`);
console.log('units per level', perLevel);
console.log(
	`grids ${perLevel.grid}, buildings ${demo.buildings.length}, markets ${demo.markets.length}, checkpoints ${demo.checkpoints.length}`
);
console.log(`JSON size ${(JSON.stringify(demo).length / 1e6).toFixed(1)} MB`);

function summarise(label: string, parent: DemoUnit, report: TilingReport) {
	const relative = (report.gapArea + report.overlapArea + report.outsideArea) / report.parentArea;
	console.log(
		`${label.padEnd(34)} parent ${(report.parentArea / 1e6).toFixed(2).padStart(8)} km²  gap ${report.gapArea.toFixed(3).padStart(8)} m²  overlap ${report.overlapArea.toFixed(3).padStart(8)} m²  outside ${report.outsideArea.toFixed(3).padStart(8)} m²  rel ${relative.toExponential(1)}  pairs ${report.overlaps.length}`
	);
	return relative;
}

let worst = 0;
const check = (label: string, parent: DemoUnit) => {
	const kids = children.get(parent.code) ?? [];
	const t = performance.now();
	const report = validateTiling(
		parent.geometry,
		kids.map((k) => k.geometry)
	);
	worst = Math.max(
		worst,
		summarise(`${label} (${kids.length}, ${Math.round(performance.now() - t)} ms)`, parent, report)
	);
};

console.log('\ncity → districts');
check(`${byCode.get('5105')!.name}`, byCode.get('5105')!);
console.log('\ndistricts → streets (all)');
for (const d of children.get('5105')!) check(`${d.code} ${d.name}`, d);
console.log('\nstreets → communities (every 10th street, and 南城街道)');
const streets = demo.units.filter((u) => u.level === 'street');
for (const s of streets.filter((s, i) => i % 10 === 0 || s.code === '510502001'))
	check(`${s.code} ${s.name}`, s);
console.log('\ncommunities → grids (every 100th community, and 白招牌社区)');
const communities = demo.units.filter((u) => u.level === 'community');
for (const c of communities.filter((c, i) => i % 100 === 0 || c.code === BAIZHAOPAI)) {
	check(`${c.code} ${c.name.slice(0, 8)}`, c);
}

console.log('\nwhole levels against the city (catches overlaps between children of different parents)');
const city = byCode.get('5105')!;
for (const level of ['street', 'community', 'grid'] as const) {
	const t = performance.now();
	const report = validateTiling(
		city.geometry,
		demo.units.filter((u) => u.level === level).map((u) => u.geometry)
	);
	worst = Math.max(
		worst,
		summarise(`${level} level (${Math.round(performance.now() - t)} ms)`, city, report)
	);
}

// every building inside its grid, strictly
let outside = 0;
for (const b of demo.buildings) {
	if (!booleanPointInPolygon([b.lon, b.lat], byCode.get(b.grid)!.geometry, { ignoreBoundary: true }))
		outside++;
}
const gridsWithoutBuildings = demo.units.filter(
	(u) => u.level === 'grid' && !demo.buildings.some((b) => b.grid === u.code)
).length;
const bzp = demo.buildings.filter((b) => b.community === BAIZHAOPAI);
console.log(
	`\nbuildings outside their grid: ${outside}; grids without a building: ${gridsWithoutBuildings}; 白招牌社区: ${bzp.length} buildings, ${bzp.filter((b) => b.has_property_management).length} with property management, ${demo.markets.filter((m) => m.community === BAIZHAOPAI).length} markets, ${demo.checkpoints.filter((c) => c.community === BAIZHAOPAI).length} checkpoints`
);
console.log(`worst relative (gap + overlap + outside) / parent area: ${worst.toExponential(2)}`);

// every unit's stored centre strictly inside it and centerMargin from its edges: an assertion
const badCentres = demo.units.filter((u) => !isWellInside(u.center, u.geometry, TUNING.centerMargin));
const nearest = Math.min(...demo.units.map((u) => distanceToBoundaryMeters(u.center, u.geometry)));
console.log(
	`centres less than ${TUNING.centerMargin} m inside their unit: ${badCentres.length} of ${demo.units.length} (nearest to an edge: ${nearest.toFixed(2)} m)`
);
if (badCentres.length > 0) {
	console.error(`centres too close to an edge or outside: ${badCentres.map((u) => u.code).join(', ')}`);
	process.exitCode = 1;
}
