/**
 * Files for an invented city, 青石市 (statistical code 990100000000: province 99 does not exist), as a city's IT
 * office would get them: the hierarchy as a sheet with a title row and 12-digit codes, district boundaries as
 * GeoJSON with codes, street boundaries as KML with names only, community boundaries as GeoJSON. Every unit is
 * a rectangle, so the children of each parent tile it exactly.
 *
 *   const city = inventedCity();
 *   writeFileSync('units.csv', city.unitsCsv());
 */
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { box } from '../../src/lib/spatial/test-helpers';

export interface InventedUnit {
	/** the product's code (9901, 990101, 990101001, 990101001001) */
	code: string;
	/** the 12-digit statistical code */
	stat: string;
	name: string;
	parent: string | null;
	box: [number, number, number, number];
}

const DISTRICTS = ['青石区', '白鹭区'];
const STREETS = [
	['东门街道', '西门街道'],
	['东门街道', '南岸街道'] // the same street name in both districts, as real cities have
];
const COMMUNITIES = ['河畔社区', '书院社区'];

function rect([w, s, e, n]: [number, number, number, number]): Polygon {
	return box(w, s, e, n);
}

const stat = (code: string) => code.padEnd(12, '0');

/** The city: 1 city, 2 districts side by side, 2 streets each (stacked), 2 communities each (side by side). */
export function inventedCity(): {
	units: InventedUnit[];
	unitsCsv: (rename?: Record<string, string>, drop?: string[]) => string;
	geojson: (
		level: number,
		options?: { names?: boolean; rename?: Record<string, string> }
	) => FeatureCollection;
	kml: (level: number) => string;
} {
	const units: InventedUnit[] = [];
	const city: InventedUnit = {
		code: '9901',
		stat: stat('9901'),
		name: '青石市',
		parent: null,
		box: [120, 40, 120.2, 40.1]
	};
	units.push(city);
	DISTRICTS.forEach((dName, d) => {
		const dCode = `9901${String(d + 1).padStart(2, '0')}`;
		const dBox: InventedUnit['box'] = [120 + d * 0.1, 40, 120.1 + d * 0.1, 40.1];
		units.push({ code: dCode, stat: stat(dCode), name: dName, parent: city.code, box: dBox });
		STREETS[d].forEach((sName, s) => {
			const sCode = `${dCode}${String(s + 1).padStart(3, '0')}`;
			const sBox: InventedUnit['box'] = [dBox[0], 40 + s * 0.05, dBox[2], 40.05 + s * 0.05];
			units.push({ code: sCode, stat: stat(sCode), name: sName, parent: dCode, box: sBox });
			COMMUNITIES.forEach((cName, c) => {
				const cCode = `${sCode}${String(c + 1).padStart(3, '0')}`;
				const cBox: InventedUnit['box'] = [sBox[0] + c * 0.05, sBox[1], sBox[0] + (c + 1) * 0.05, sBox[3]];
				units.push({ code: cCode, stat: cCode, name: cName, parent: sCode, box: cBox });
			});
		});
	});
	const levelOf = (u: InventedUnit) => [4, 6, 9, 12].indexOf(u.code.length);
	const round = (box: InventedUnit['box']) =>
		box.map((v) => Math.round(v * 1e6) / 1e6) as InventedUnit['box'];

	return {
		units,
		unitsCsv(rename = {}, drop = []) {
			const rows = units
				.filter((u) => !drop.includes(u.code))
				.map((u) => `${u.stat},${rename[u.code] ?? u.name},${u.parent ? stat(u.parent) : ''}`);
			return (
				['青石市统计用区划代码表,,', '代码,名称,上级代码', '990000000000,虚构省,', ...rows].join('\n') + '\n'
			);
		},
		geojson(level, { names = false, rename = {} } = {}) {
			const features: Feature[] = units
				.filter((u) => levelOf(u) === level)
				.map((u) => ({
					type: 'Feature',
					properties: names ? { name: rename[u.code] ?? u.name } : { code: u.stat, name: u.name },
					geometry: rect(round(u.box))
				}));
			return { type: 'FeatureCollection', features };
		},
		kml(level) {
			const marks = units
				.filter((u) => levelOf(u) === level)
				.map((u) => {
					const ring = rect(round(u.box))
						.coordinates[0].map((p) => p.join(','))
						.join(' ');
					return `<Placemark><name>${u.name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>${ring}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>`;
				});
			return `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${marks.join('')}</Document></kml>`;
		}
	};
}
