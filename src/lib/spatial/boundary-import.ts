/**
 * Grid boundaries from a file (issue #5): GeoJSON, KML (Google Earth, 天地图 and most Chinese GIS tools export
 * it) or a zipped Shapefile, read in the browser, converted to WGS-84 from the coordinate system the secretary
 * names (GCJ-02 or BD-09 when the shapes were traced on a Chinese web map, see crs.ts), and matched to the
 * community's grids by one property of the features. The result is a list of grid drafts for the same checks
 * as drawn grids (domain/grid-plan.ts): nothing here decides whether they are valid.
 *
 *   const fc = await readBoundaryFile(file.name, await file.arrayBuffer(), new DOMParser());
 *   const drafts = matchGrids(toWgs84(fc, 'GCJ02'), 'name', grids, '510502001006');
 */
import { kml } from '@tmcw/togeojson';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import shp from 'shpjs';
import { fromPolygons, polygonsOf, type Areal } from './areal';

export type BoundaryFormat = 'geojson' | 'kml' | 'shapefile';

/** What the import needs of a DOMParser (the browser's, or a test's). */
export interface XmlParser {
	parseFromString(text: string, type: 'text/xml'): Document;
}

/** The format of a file by its name: .geojson/.json, .kml, or .zip (a zipped Shapefile). */
export function formatOf(name: string): BoundaryFormat | null {
	const lower = name.toLowerCase();
	if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
	if (lower.endsWith('.kml')) return 'kml';
	if (lower.endsWith('.zip')) return 'shapefile';
	return null;
}

function asCollection(value: unknown): FeatureCollection {
	const v = value as { type?: string; features?: unknown; geometry?: unknown } | null;
	if (v?.type === 'FeatureCollection' && Array.isArray(v.features)) return v as FeatureCollection;
	if (v?.type === 'Feature') return { type: 'FeatureCollection', features: [v as Feature] };
	if (v && typeof v.type === 'string' && 'coordinates' in v)
		return {
			type: 'FeatureCollection',
			features: [{ type: 'Feature', properties: {}, geometry: v as Geometry }]
		};
	throw new Error('not GeoJSON: expected a FeatureCollection, a Feature or a geometry');
}

/**
 * The features of a boundary file. A Shapefile's .prj, when present, is applied by shpjs (proj4); several
 * layers in one zip are read as one collection.
 *
 * @throws with a plain message for an unknown format or a file that cannot be read
 */
export async function readBoundaryFile(
	name: string,
	bytes: ArrayBuffer,
	xml: XmlParser
): Promise<FeatureCollection> {
	const format = formatOf(name);
	if (format === null)
		throw new Error('unsupported file: use .geojson, .json, .kml or a zipped Shapefile (.zip)');
	if (format === 'shapefile') {
		const read = await shp(bytes);
		const layers = Array.isArray(read) ? read : [read];
		return { type: 'FeatureCollection', features: layers.flatMap((l) => l.features) };
	}
	const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
	if (format === 'geojson') return asCollection(JSON.parse(text));
	const doc = xml.parseFromString(text, 'text/xml');
	if (doc.getElementsByTagName('parsererror').length > 0) throw new Error('not a readable KML file');
	return kml(doc) as FeatureCollection;
}

/** The property names the features carry, in order of first appearance (for the "match by" choice). */
export function propertyKeys(fc: FeatureCollection): string[] {
	const keys = new Set<string>();
	for (const f of fc.features) for (const k of Object.keys(f.properties ?? {})) keys.add(k);
	return [...keys];
}

export interface ImportedGrid {
	code: string;
	name: string;
	geometry: Areal;
	/** true when the code is not one of the community's grids yet */
	added: boolean;
}

export interface MatchResult {
	grids: ImportedGrid[];
	/** features without an area (points, lines, empty geometry), by index */
	skipped: number[];
}

/**
 * The community's grids from the features, matched by the value of `key`: a 15-digit grid code under the
 * community, the last three digits of one, or a grid's name; any other value makes a new grid of that name
 * (numbered after the highest code in use). Features with the same value are joined into one MultiPolygon.
 * Polygons are taken as they come (rings are checked later); a feature without an area is skipped.
 */
export function matchGrids(
	fc: FeatureCollection,
	key: string,
	existing: readonly { code: string; name: string }[],
	community: string
): MatchResult {
	const byName = new Map(existing.map((g) => [g.name.trim(), g]));
	const codes = new Set(existing.map((g) => g.code));
	let next = Math.max(0, ...existing.map((g) => Number(g.code.slice(12)) || 0));
	const out = new Map<string, { name: string; polygons: Position[][][]; added: boolean }>();
	const newCodes = new Map<string, string>();
	const skipped: number[] = [];

	fc.features.forEach((f, i) => {
		const g = f.geometry;
		if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
			skipped.push(i);
			return;
		}
		const raw = f.properties?.[key];
		const value = raw === null || raw === undefined ? '' : String(raw).trim();
		let code: string;
		let name: string;
		if (/^[0-9]{15}$/.test(value) && value.startsWith(community)) {
			code = value;
			name = existing.find((e) => e.code === value)?.name ?? value;
		} else if (/^[0-9]{1,3}$/.test(value) && codes.has(community + value.padStart(3, '0'))) {
			code = community + value.padStart(3, '0');
			name = existing.find((e) => e.code === code)!.name;
		} else if (byName.has(value)) {
			({ code, name } = byName.get(value)!);
		} else {
			const label = value || `网格${i + 1}`;
			if (!newCodes.has(label)) newCodes.set(label, community + String(++next).padStart(3, '0'));
			code = newCodes.get(label)!;
			name = label;
		}
		const entry = out.get(code) ?? { name, polygons: [], added: !codes.has(code) };
		entry.polygons.push(...polygonsOf(g as Areal));
		out.set(code, entry);
	});

	const grids = [...out.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([code, e]) => ({ code, name: e.name, geometry: fromPolygons(e.polygons), added: e.added }));
	return { grids, skipped };
}
