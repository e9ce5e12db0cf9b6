/**
 * Boundaries of districts, streets or communities matched to the units of a hierarchy (issue #16): by code
 * (any form normaliseUnitCode reads), else by exact name — among the children of a parent the feature names,
 * else among all units of the level the file's other features matched, else, when that name is shared, within
 * the parent whose boundary holds the feature. Nothing is guessed: a feature that matches no unit, or more than
 * one, is listed with the nearest names (a county renamed since the file was made is the usual case), and a unit
 * of a level the file covers that gets no boundary is listed too. Rings are checked and rewound as grids'
 * are (validate-rings.ts); how the children tile each parent is measured as the grid editor measures it.
 *
 *   const m = matchBoundaries(toWgs84(fc, 'GCJ02'), units);
 *   m.matched;   // [{ code: '510502', geometry, features: [0] }]
 *   m.unmatched; // [{ feature: 3, name: '纳溪县', code: '', candidates: [{ code: '510503', name: '纳溪区' }] }]
 */
import type { FeatureCollection, Position } from 'geojson';
import { normaliseUnitCode, type ImportLevel } from '../domain/city-import';
import { fromPolygons, isAreal, polygonsOf, type Areal } from './areal';
import { geometryBbox, type BBox } from './bbox';
import { poleOfInaccessibility } from './pole';
import { containsPoint } from './polygon-index';
import { tilingDefects, type TilingDefectKind } from './tiling-defects';
import { checkRings, type RingProblemKind } from './validate-rings';

/** A unit of the hierarchy as matching needs it (the file's rows and the database's units together). */
export interface HierarchyUnit {
	code: string;
	name: string;
	level: ImportLevel;
	parent: string | null;
	/** the boundary it has already, if any */
	geometry?: Areal | null;
}

export interface Candidate {
	code: string;
	name: string;
}

export interface MatchedBoundary {
	code: string;
	geometry: Areal;
	/** the features it was made of, by index */
	features: number[];
}

export interface UnmatchedFeature {
	feature: number;
	name: string;
	code: string;
	reason: 'unknown' | 'ambiguous';
	candidates: Candidate[];
}

export interface BadRings {
	feature: number;
	name: string;
	problems: RingProblemKind[];
}

export interface BoundaryMatch {
	matched: MatchedBoundary[];
	unmatched: UnmatchedFeature[];
	badRings: BadRings[];
	/** features without an area (points, lines, empty), by index */
	skipped: number[];
	/** units of the levels the file covers that got no boundary and have none */
	withoutBoundary: Candidate[];
}

export interface MatchOptions {
	/** the property holding a code; by default the first of CODE_KEYS a feature has */
	codeKey?: string;
	/** the property holding a name; by default the first of NAME_KEYS */
	nameKey?: string;
}

export const CODE_KEYS = ['code', 'adcode', 'CODE', 'Code', '代码', '区划代码', 'PAC', 'XZQDM', 'GB'];
export const NAME_KEYS = ['name', 'NAME', 'Name', '名称', '单位名称', 'XZQMC'];
const PARENT_KEYS = ['parent', 'parent_code', '上级代码', 'PARENT'];

function property(props: Record<string, unknown>, explicit: string | undefined, keys: string[]): string {
	for (const key of explicit ? [explicit] : keys) {
		const v = props[key];
		if (v !== null && v !== undefined && String(v).trim() !== '') return String(v).trim();
	}
	return '';
}

/** Edit distance between two names, by character (Chinese names are short). */
export function nameDistance(a: string, b: string): number {
	const x = [...a];
	const y = [...b];
	let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
	for (let i = 1; i <= x.length; i++) {
		const cur = [i];
		for (let j = 1; j <= y.length; j++)
			cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
		prev = cur;
	}
	return prev[y.length];
}

const SUFFIX = /(街道办事处|街道|社区居委会|居委会|社区|村委会|村|镇|乡|自治县|县|区|市)$/;

/** Names closest to `name` (renamed 县 → 区 counts as one step), at most three, nearest first. */
export function nearestNames(name: string, among: readonly HierarchyUnit[]): Candidate[] {
	if (!name) return [];
	const stem = name.replace(SUFFIX, '');
	return among
		.map((u) => {
			const d = Math.min(nameDistance(name, u.name), nameDistance(stem, u.name.replace(SUFFIX, '')) + 1);
			return { u, d };
		})
		.filter(({ d }) => d <= Math.max(2, Math.floor([...name].length / 2)))
		.sort((a, b) => a.d - b.d || a.u.code.localeCompare(b.u.code))
		.slice(0, 3)
		.map(({ u }) => ({ code: u.code, name: u.name }));
}

function commonPrefix(a: string, b: string): string {
	let i = 0;
	while (i < a.length && i < b.length && a[i] === b[i]) i++;
	return a.slice(0, i);
}

function labelOf(geometry: Areal): Position {
	return poleOfInaccessibility(geometry)?.at ?? polygonsOf(geometry)[0][0][0];
}

/** Matches the features of one boundary file to the units; see the module comment. */
export function matchBoundaries(
	fc: FeatureCollection,
	units: readonly HierarchyUnit[],
	options: MatchOptions = {}
): BoundaryMatch {
	const byCode = new Map(units.map((u) => [u.code, u]));
	const skipped: number[] = [];
	const badRings: BadRings[] = [];
	const found = new Map<string, { polygons: Position[][][]; features: number[] }>();
	const pending: { feature: number; name: string; code: string; parent: string; geometry: Areal }[] = [];
	const levels = new Map<ImportLevel, number>();
	const take = (code: string, feature: number, geometry: Areal) => {
		const entry = found.get(code) ?? { polygons: [], features: [] };
		entry.polygons.push(...polygonsOf(geometry));
		entry.features.push(feature);
		found.set(code, entry);
		const level = byCode.get(code)!.level;
		levels.set(level, (levels.get(level) ?? 0) + 1);
	};

	fc.features.forEach((f, i) => {
		const props = (f.properties ?? {}) as Record<string, unknown>;
		const name = property(props, options.nameKey, NAME_KEYS);
		if (!f.geometry || !isAreal(f.geometry)) {
			skipped.push(i);
			return;
		}
		const rings = checkRings(f.geometry);
		if (!rings.geometry) {
			badRings.push({ feature: i, name, problems: [...new Set(rings.problems.map((p) => p.kind))] });
			return;
		}
		const rawCode = property(props, options.codeKey, CODE_KEYS);
		const n = rawCode ? normaliseUnitCode(rawCode) : null;
		if (n && 'code' in n && byCode.has(n.code)) take(n.code, i, rings.geometry);
		else {
			const p = normaliseUnitCode(property(props, undefined, PARENT_KEYS));
			pending.push({
				feature: i,
				name,
				code: rawCode,
				parent: 'code' in p ? p.code : '',
				geometry: rings.geometry
			});
		}
	});

	// By name: first the names only one unit has; then the shared ones, among the level the file has matched
	// most and within the parent whose boundary holds the feature.
	const named = (p: (typeof pending)[number]) =>
		units.filter((u) => u.name === p.name && (!p.parent || u.parent === p.parent));
	const rest = pending.filter((p) => {
		const pool = named(p);
		if (p.name && pool.length === 1) take(pool[0].code, p.feature, p.geometry);
		return !(p.name && pool.length === 1);
	});
	const fileLevel = [...levels.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
	// Candidates come from the same part of the hierarchy as what matched: under the matched units' common parent.
	const parents = [...found.keys()].map((c) => byCode.get(c)!.parent ?? '');
	const scope = parents.length ? parents.reduce((a, b) => commonPrefix(a, b)) : '';
	const unmatched: UnmatchedFeature[] = [];
	for (const p of rest) {
		let pool = named(p);
		if (pool.length > 1 && fileLevel) pool = pool.filter((u) => u.level === fileLevel);
		if (pool.length > 1) {
			const at = labelOf(p.geometry);
			pool = pool.filter((u) => {
				const parent = u.parent ? byCode.get(u.parent) : undefined;
				const g = (parent && found.get(parent.code)) || null;
				const geometry = g ? fromPolygons(g.polygons) : parent?.geometry;
				return geometry ? containsPoint(geometry, at[0], at[1]) : false;
			});
		}
		if (pool.length === 1 && p.name) take(pool[0].code, p.feature, p.geometry);
		else {
			const among = units.filter((u) => (!fileLevel || u.level === fileLevel) && u.code.startsWith(scope));
			const shared = named(p);
			unmatched.push({
				feature: p.feature,
				name: p.name,
				code: p.code,
				reason: shared.length > 1 ? 'ambiguous' : 'unknown',
				candidates:
					shared.length > 1
						? shared.map((u) => ({ code: u.code, name: u.name }))
						: nearestNames(p.name, among)
			});
		}
	}

	const matched = [...found.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([code, e]) => ({ code, geometry: fromPolygons(e.polygons), features: e.features }));
	const withoutBoundary = units
		.filter((u) => levels.has(u.level) && !found.has(u.code) && !u.geometry)
		.map((u) => ({ code: u.code, name: u.name }));
	return { matched, unmatched, badRings, skipped, withoutBoundary };
}

export interface TilingFinding {
	parent: string;
	kind: TilingDefectKind;
	/** m² */
	area: number;
	/** the children involved, by code */
	children: string[];
}

/**
 * How each parent's children tile it, for every parent that has a boundary and children with boundaries:
 * gaps, overlaps and what sticks out, pieces over `minArea` m² (default 1,000: real boundary files carry
 * slivers along shared edges), largest first.
 */
export function tilingFindings(
	units: readonly HierarchyUnit[],
	geometryOf: (code: string) => Areal | null | undefined,
	minArea = 1000
): TilingFinding[] {
	const children = new Map<string, HierarchyUnit[]>();
	for (const u of units) {
		if (!u.parent || !geometryOf(u.code)) continue;
		children.set(u.parent, [...(children.get(u.parent) ?? []), u]);
	}
	const out: TilingFinding[] = [];
	for (const [parent, kids] of children) {
		const outline = geometryOf(parent);
		if (!outline) continue;
		for (const d of tilingDefects(
			outline,
			kids.map((k) => geometryOf(k.code)!),
			{ minArea }
		))
			out.push({
				parent,
				kind: d.kind,
				area: Math.round(d.area),
				children: d.children.map((i) => kids[i].code)
			});
	}
	return out.sort((a, b) => a.parent.localeCompare(b.parent) || b.area - a.area);
}

/** The bounding box and label point stored beside a boundary. */
export function placement(geometry: Areal): { bbox: BBox; center: Position } {
	return { bbox: geometryBbox(geometry), center: labelOf(geometry) };
}
