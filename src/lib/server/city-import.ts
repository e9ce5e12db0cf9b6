/**
 * Loading a city (issue #16): units from a JSON list or a sheet, boundaries from GeoJSON, KML or zipped
 * Shapefiles, matched and checked here, then written all or nothing by public.import_units
 * (…1208000500_city_import.sql). `npm run city:import` runs it; an administrator's screen will too.
 *
 *   const input = { units: await readUnitsFile('units.csv', bytes), boundaries: [{ name, collection }] };
 *   const report = await importCity(serviceClient, input, { dryRun: true });
 *   report.ok; // false: report.rowErrors, report.files[i].unmatched ... say why; nothing was written
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { FeatureCollection } from 'geojson';
import {
	fromJson,
	fromSheet,
	readUnitRows,
	type ImportLevel,
	type RawUnitRow,
	type UnitRowError
} from '$lib/domain/city-import';
import type { Areal } from '$lib/spatial/areal';
import {
	matchBoundaries,
	placement,
	tilingFindings,
	type BadRings,
	type Candidate,
	type HierarchyUnit,
	type MatchOptions,
	type TilingFinding,
	type UnmatchedFeature
} from '$lib/spatial/unit-boundaries';
import { readTable } from './workbook';

export interface BoundaryInput {
	/** the file's name, for the report */
	name: string;
	/** features in WGS-84 (converted from GCJ-02/BD-09 before, when the file was traced on a Chinese map) */
	collection: FeatureCollection;
}

export interface CityImportInput {
	units: RawUnitRow[];
	boundaries: BoundaryInput[];
	match?: MatchOptions;
}

export interface FileReport {
	name: string;
	features: number;
	matched: number;
	unmatched: UnmatchedFeature[];
	badRings: BadRings[];
	/** features without an area, by index */
	skipped: number[];
}

/** What public.import_units did, or would do on a dry run. */
export interface WriteReport {
	inserted: Candidate[];
	renamed: { code: string; from: string; to: string }[];
	redrawn: Candidate[];
	unchanged: number;
	deleted: Candidate[];
	/** units the file no longer lists that data still refers to */
	kept: Candidate[];
}

export interface CityImportReport {
	/** true when nothing stands in the way (and, unless a dry run, everything was written) */
	ok: boolean;
	dryRun: boolean;
	rowErrors: UnitRowError[];
	/** rows above the city level (provinces), left out */
	skippedRows: number[];
	files: FileReport[];
	withoutBoundary: Candidate[];
	tiling: TilingFinding[];
	/** the database's answer, when the rows got that far */
	write: WriteReport | null;
}

/** A units file's rows: .json, or the first sheet of .xlsx / a .csv. */
export async function readUnitsFile(name: string, bytes: Uint8Array): Promise<RawUnitRow[]> {
	if (name.toLowerCase().endsWith('.json')) {
		let value: unknown;
		try {
			value = JSON.parse(new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''));
		} catch {
			throw new Error(`${name}：不是有效的 JSON`);
		}
		const rows = fromJson(value);
		if ('error' in rows) throw new Error(`${name}：${rows.error}`);
		return rows;
	}
	const read = await readTable(new File([new Uint8Array(bytes)], name));
	if ('error' in read) {
		const why = {
			empty: '文件是空的',
			too_large: '文件超过 5 MB',
			unreadable: '读不出表格',
			unsupported: '请用 .json、.csv 或 .xlsx'
		}[read.error];
		throw new Error(`${name}：${why}`);
	}
	const rows = fromSheet(read.table);
	if ('error' in rows) throw new Error(`${name}：${rows.error}`);
	return rows;
}

/** The units the database has (grids aside), with their boundaries, a page at a time. */
export async function existingUnits(supabase: SupabaseClient): Promise<HierarchyUnit[]> {
	const out: HierarchyUnit[] = [];
	const page = 1000;
	for (let from = 0; ; from += page) {
		const { data, error } = await supabase
			.from('units')
			.select('code, name, level, parent_code, geometry')
			.neq('level', 'grid')
			.order('code')
			.range(from, from + page - 1);
		if (error) throw new Error(`读取现有单位失败：${error.message}`);
		for (const u of data)
			out.push({
				code: u.code,
				name: u.name,
				level: u.level as ImportLevel,
				parent: u.parent_code,
				geometry: u.geometry as Areal | null
			});
		if (data.length < page) return out;
	}
}

/** Reads, matches and checks, then asks the database to write (or, on a dry run, to say what it would write). */
export async function importCity(
	supabase: SupabaseClient,
	input: CityImportInput,
	{ dryRun }: { dryRun: boolean }
): Promise<CityImportReport> {
	const existing = await existingUnits(supabase);
	const { units, errors, skipped } = readUnitRows(input.units, new Set(existing.map((u) => u.code)));

	// The hierarchy after the import: the file's units (their names) over the database's.
	const merged = new Map<string, HierarchyUnit>(existing.map((u) => [u.code, u]));
	for (const u of units) merged.set(u.code, { ...u, geometry: merged.get(u.code)?.geometry ?? null });

	const drawn = new Map<string, Areal>();
	const files: FileReport[] = [];
	const uncovered = new Map<string, Candidate>();
	for (const file of input.boundaries) {
		const m = matchBoundaries(file.collection, [...merged.values()], input.match);
		// A later file (streets after districts) finds same-named units by the boundaries drawn before it.
		for (const b of m.matched) {
			drawn.set(b.code, b.geometry);
			merged.set(b.code, { ...merged.get(b.code)!, geometry: b.geometry });
		}
		for (const c of m.withoutBoundary) uncovered.set(c.code, c);
		files.push({
			name: file.name,
			features: file.collection.features.length,
			matched: m.matched.length,
			unmatched: m.unmatched,
			badRings: m.badRings,
			skipped: m.skipped
		});
	}
	const withoutBoundary = [...uncovered.values()].filter((c) => !drawn.has(c.code));
	// Tilings a file touched: a drawn unit among its siblings, or a drawn parent with its children.
	const touched = [...merged.values()].filter((u) => drawn.has(u.code) || (u.parent && drawn.has(u.parent)));
	const tiling = tilingFindings(touched, (code) => merged.get(code)?.geometry);

	const blocked = errors.length > 0 || files.some((f) => f.unmatched.length > 0 || f.badRings.length > 0);
	const report: CityImportReport = {
		ok: false,
		dryRun,
		rowErrors: errors,
		skippedRows: skipped,
		files,
		withoutBoundary,
		tiling,
		write: null
	};
	if (blocked) return report;

	// Units the file lists, and units it does not list but whose boundary a file brings.
	const listed = new Set(units.map((u) => u.code));
	const rows = [...units, ...[...drawn.keys()].filter((c) => !listed.has(c)).map((c) => merged.get(c)!)]
		.sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code))
		.map((u) => {
			const geometry = drawn.get(u.code) ?? null;
			const at = geometry ? placement(geometry) : null;
			return {
				code: u.code,
				name: u.name,
				level: u.level,
				parent_code: u.parent,
				geometry,
				min_lon: at?.bbox[0] ?? null,
				min_lat: at?.bbox[1] ?? null,
				max_lon: at?.bbox[2] ?? null,
				max_lat: at?.bbox[3] ?? null,
				center_lon: at?.center[0] ?? null,
				center_lat: at?.center[1] ?? null
			};
		});
	const { data, error } = await supabase.rpc('import_units', { p_rows: rows, p_dry_run: dryRun });
	if (error) throw new Error(`import_units：${error.message}`);
	const answer = data as
		{ ok: false; errors: { row: number; field: string; message: string }[] } | ({ ok: true } & WriteReport);
	if (!answer.ok) {
		// The database numbers rows as sent; the report names them by the file's rows.
		report.rowErrors = answer.errors.map((e) => ({
			row: units.find((u) => u.code === rows[e.row - 1]?.code)?.row ?? e.row,
			field: e.field as UnitRowError['field'],
			message: e.message
		}));
		return report;
	}
	const { inserted, renamed, redrawn, unchanged, deleted, kept } = answer;
	return { ...report, ok: true, write: { inserted, renamed, redrawn, unchanged, deleted, kept } };
}
