/**
 * A unit's children as a coverage choropleth: one GeoJSON feature per child with a boundary, carrying what
 * CoverageLayer draws (`code`, `name`, `coverage`, `screened`, `color`, `label`, and where the label goes:
 * `anchor`, [lon, lat] at the child's pole of inaccessibility, with `anchor_room`, the radius in metres of the
 * circle that fits there, to place the roomiest first). Children without a row in the roll-up are drawn in the
 * "no data" colour rather than left out, so a gap on the map is never mistaken for a boundary.
 *
 *   coverageChoropleth([{ code, name, geometry }], [{ code, households, screened, coverage }])
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { isAreal } from '$lib/spatial/areal';
import { poleOfInaccessibility } from '$lib/spatial/pole';
import { coverageColor, formatPercent, type CoverageCell } from './coverage';

export interface ChoroplethArea {
	code: string;
	name: string;
	geometry: Geometry | null;
}

export interface ChoroplethRow extends CoverageCell {
	code: string;
}

export function coverageChoropleth(areas: ChoroplethArea[], rows: ChoroplethRow[]): FeatureCollection {
	const byCode = new Map(rows.map((r) => [r.code, r]));
	const features: Feature[] = [];
	for (const a of areas) {
		if (!a.geometry) continue;
		const row = byCode.get(a.code);
		const cell: CoverageCell = {
			households: row?.households ?? null,
			screened: row?.screened ?? null,
			coverage: row?.coverage ?? null
		};
		const pole = isAreal(a.geometry) ? poleOfInaccessibility(a.geometry) : null;
		features.push({
			type: 'Feature',
			id: a.code,
			geometry: a.geometry,
			properties: {
				code: a.code,
				name: a.name,
				coverage: cell.coverage,
				screened: cell.screened,
				color: coverageColor(cell),
				label: `${a.name}\n${formatPercent(cell.coverage)}`,
				anchor: pole ? [round6(pole.at[0]), round6(pole.at[1])] : null,
				anchor_room: pole ? Math.round(pole.radiusMeters) : 0
			}
		});
	}
	return { type: 'FeatureCollection', features };
}

/** Degrees to six decimals (about 10 cm): what a label's position needs, and no more bytes than that. */
function round6(x: number): number {
	return Math.round(x * 1e6) / 1e6;
}
