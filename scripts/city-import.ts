/**
 * Loads a city's units and boundaries (issue #16):
 *
 *   npm run city:import -- --units units.csv --boundaries districts.geojson --boundaries streets.kml
 *   npm run city:import -- --units 统计用区划代码.xlsx --boundaries 社区.zip --crs GCJ02 --dry-run
 *
 * --units      the hierarchy: .json (as supabase/seed/luzhou/admin-units.json), .csv or .xlsx with 代码, 名称
 *              (上级代码 optional); 12-digit statistical codes, 6-digit administrative codes or the product's codes
 * --boundaries GeoJSON, KML or a zipped Shapefile, matched by code, else by exact name; list them top down
 *              (districts before streets), repeat for several
 * --crs        WGS84 (default), GCJ02 or BD09: what the boundary files were traced on
 * --code-key / --name-key   the feature properties holding the code / the name, when not the usual ones
 * --dry-run    check and report only
 * --json       print the report as JSON
 *
 * Always checks first: a row error, an unmatched boundary or a broken ring writes nothing (exit 1). Running the
 * same files again changes nothing. Talks to PUBLIC_SUPABASE_URL with the service-role key (operator-client.ts).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { Window } from 'happy-dom';
import { importCity, readUnitsFile, type CityImportReport } from '../src/lib/server/city-import';
import { readBoundaryFile, type XmlParser } from '../src/lib/spatial/boundary-import';
import { SOURCE_CRS, toWgs84, type SourceCrs } from '../src/lib/spatial/crs';
import { operatorClient } from './operator-client';

const FIELD = { code: '代码', name: '名称', parent: '上级代码' } as const;
const RING = {
	not_areal: '不是面',
	bad_position: '坐标无效',
	unclosed: '环未闭合',
	too_few_positions: '点太少',
	zero_area: '面积为零',
	self_intersection: '自相交',
	rings_cross: '内外环相交',
	hole_outside: '洞在外环之外'
} as const;
const TILING = { gap: '空隙', overlap: '重叠', outside: '超出上级' } as const;

/** The report as an operator reads it, in Chinese. */
function describe(r: CityImportReport): string {
	const lines: string[] = [];
	const w = r.write;
	if (w)
		lines.push(
			`${r.dryRun ? '试运行（未写入）' : '已写入'}：新增 ${w.inserted.length}，改名 ${w.renamed.length}，` +
				`重绘边界 ${w.redrawn.length}，未变 ${w.unchanged}，删除 ${w.deleted.length}，保留 ${w.kept.length}`
		);
	else lines.push('未写入任何数据：请先改正下列问题');
	for (const e of r.rowErrors) lines.push(`  第 ${e.row} 行 ${FIELD[e.field] ?? e.field}：${e.message}`);
	if (r.skippedRows.length) lines.push(`  跳过省级行：第 ${r.skippedRows.join('、')} 行`);
	for (const x of w?.renamed ?? []) lines.push(`  改名 ${x.code}：${x.from} → ${x.to}`);
	for (const x of w?.deleted ?? []) lines.push(`  删除 ${x.code} ${x.name}（新文件中没有，也无数据引用）`);
	for (const x of w?.kept ?? []) lines.push(`  保留 ${x.code} ${x.name}：新文件中没有，但仍有数据引用`);
	for (const f of r.files) {
		lines.push(`边界文件 ${f.name}：${f.features} 个要素，匹配 ${f.matched} 个单位`);
		for (const u of f.unmatched) {
			const what = u.reason === 'ambiguous' ? '同名单位不止一个' : '在区划中找不到';
			const near = u.candidates.map((c) => `${c.name}（${c.code}）`).join('、');
			lines.push(
				`  要素 ${u.feature + 1}「${u.name || u.code || '无名'}」${what}` +
					(near ? `；${u.reason === 'ambiguous' ? '可能是' : '相近的有'}：${near}` : '')
			);
		}
		for (const b of f.badRings)
			lines.push(
				`  要素 ${b.feature + 1}「${b.name}」边界有问题：${b.problems.map((p) => RING[p]).join('、')}`
			);
		if (f.skipped.length) lines.push(`  跳过不是面的要素：${f.skipped.map((i) => i + 1).join('、')}`);
	}
	if (r.withoutBoundary.length)
		lines.push(`没有边界的单位：${r.withoutBoundary.map((c) => `${c.name}（${c.code}）`).join('、')}`);
	for (const t of r.tiling)
		lines.push(
			`  ${t.parent} 内${TILING[t.kind]} ${t.area.toLocaleString('zh-CN')} 平方米` +
				(t.children.length ? `（${t.children.join('、')}）` : '')
		);
	return lines.join('\n');
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			units: { type: 'string' },
			boundaries: { type: 'string', multiple: true },
			crs: { type: 'string', default: 'WGS84' },
			'code-key': { type: 'string' },
			'name-key': { type: 'string' },
			'dry-run': { type: 'boolean', default: false },
			json: { type: 'boolean', default: false }
		}
	});
	if (!values.units) throw new Error('请用 --units 给出区划文件（.json、.csv 或 .xlsx）');
	if (!SOURCE_CRS.includes(values.crs as SourceCrs))
		throw new Error(`--crs 只能是 ${SOURCE_CRS.join('、')}：${values.crs}`);
	const crs = values.crs as SourceCrs;
	const step = (text: string) => {
		if (!values.json) console.error(text);
	};

	step(`读取区划 ${values.units}`);
	const units = await readUnitsFile(basename(values.units), readFileSync(values.units));
	const xml = new new Window().DOMParser() as unknown as XmlParser;
	const boundaries = [];
	for (const path of values.boundaries ?? []) {
		step(`读取边界 ${path}`);
		const bytes = readFileSync(path);
		const collection = await readBoundaryFile(
			basename(path),
			bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
			xml
		).catch((error: unknown) => {
			throw new Error(`${basename(path)}：${error instanceof Error ? error.message : error}`);
		});
		boundaries.push({
			name: basename(path),
			collection: crs === 'WGS84' ? collection : toWgs84(collection, crs)
		});
	}
	const match = { codeKey: values['code-key'], nameKey: values['name-key'] };
	const supabase = operatorClient();

	step('检查（试运行）');
	let report = await importCity(supabase, { units, boundaries, match }, { dryRun: true });
	if (report.ok && !values['dry-run']) {
		step('写入');
		report = await importCity(supabase, { units, boundaries, match }, { dryRun: false });
	}
	console.log(values.json ? JSON.stringify(report, null, 1) : describe(report));
	if (!report.ok) process.exitCode = 1;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
