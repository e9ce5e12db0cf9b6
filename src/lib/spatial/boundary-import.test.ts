// @vitest-environment happy-dom
import type { FeatureCollection, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { formatOf, matchGrids, propertyKeys, readBoundaryFile } from './boundary-import';
import { toWgs84 } from './crs';
import { box } from './test-helpers';

const C = '510502001006';
const existing = [
	{ code: `${C}001`, name: '第1网格' },
	{ code: `${C}002`, name: '第2网格' }
];
const A = box(105.44, 28.88, 105.441, 28.881);
const B = box(105.441, 28.88, 105.442, 28.881);

const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

// ---- a zipped Shapefile written by hand (ESRI Shapefile Technical Description, dBASE III, stored ZIP) ----

function crc32(data: Uint8Array): number {
	let crc = ~0;
	for (const byte of data) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
	}
	return ~crc >>> 0;
}

function zip(files: Record<string, Uint8Array>): ArrayBuffer {
	const parts: Uint8Array[] = [];
	const central: Uint8Array[] = [];
	let offset = 0;
	for (const [name, data] of Object.entries(files)) {
		const nameBytes = new TextEncoder().encode(name);
		const local = new DataView(new ArrayBuffer(30));
		local.setUint32(0, 0x04034b50, true);
		local.setUint16(4, 20, true);
		local.setUint32(14, crc32(data), true);
		local.setUint32(18, data.length, true);
		local.setUint32(22, data.length, true);
		local.setUint16(26, nameBytes.length, true);
		const dir = new DataView(new ArrayBuffer(46));
		dir.setUint32(0, 0x02014b50, true);
		dir.setUint16(4, 20, true);
		dir.setUint16(6, 20, true);
		dir.setUint32(16, crc32(data), true);
		dir.setUint32(20, data.length, true);
		dir.setUint32(24, data.length, true);
		dir.setUint16(28, nameBytes.length, true);
		dir.setUint32(42, offset, true);
		parts.push(new Uint8Array(local.buffer), nameBytes, data);
		central.push(new Uint8Array(dir.buffer), nameBytes);
		offset += 30 + nameBytes.length + data.length;
	}
	const size = central.reduce((n, p) => n + p.length, 0);
	const end = new DataView(new ArrayBuffer(22));
	end.setUint32(0, 0x06054b50, true);
	end.setUint16(8, Object.keys(files).length, true);
	end.setUint16(10, Object.keys(files).length, true);
	end.setUint32(12, size, true);
	end.setUint32(16, offset, true);
	const all = [...parts, ...central, new Uint8Array(end.buffer)];
	const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of all) {
		out.set(p, at);
		at += p.length;
	}
	return out.buffer;
}

/** A polygon Shapefile (type 5) of one-ring polygons, with one text attribute, as .shp, .shx, .dbf, .cpg. */
function shapefile(rings: Position[][], field: string, values: string[]): Record<string, Uint8Array> {
	const records = rings.map((ring) => 44 + 4 + 16 * ring.length);
	const shpLength = 100 + records.reduce((n, r) => n + 8 + r, 0);
	const shp = new DataView(new ArrayBuffer(shpLength));
	const shx = new DataView(new ArrayBuffer(100 + 8 * rings.length));
	const all = rings.flat();
	const bbox = [
		Math.min(...all.map((p) => p[0])),
		Math.min(...all.map((p) => p[1])),
		Math.max(...all.map((p) => p[0])),
		Math.max(...all.map((p) => p[1]))
	];
	for (const [view, length] of [
		[shp, shpLength],
		[shx, 100 + 8 * rings.length]
	] as const) {
		view.setInt32(0, 9994);
		view.setInt32(24, length / 2);
		view.setInt32(28, 1000, true);
		view.setInt32(32, 5, true);
		bbox.forEach((v, i) => view.setFloat64(36 + 8 * i, v, true));
	}
	let at = 100;
	rings.forEach((ring, i) => {
		shx.setInt32(100 + 8 * i, at / 2);
		shx.setInt32(104 + 8 * i, records[i] / 2);
		shp.setInt32(at, i + 1);
		shp.setInt32(at + 4, records[i] / 2);
		const c = at + 8;
		shp.setInt32(c, 5, true);
		const xs = ring.map((p) => p[0]);
		const ys = ring.map((p) => p[1]);
		[Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, k) =>
			shp.setFloat64(c + 4 + 8 * k, v, true)
		);
		shp.setInt32(c + 36, 1, true);
		shp.setInt32(c + 40, ring.length, true);
		shp.setInt32(c + 44, 0, true);
		ring.forEach((p, k) => {
			shp.setFloat64(c + 48 + 16 * k, p[0], true);
			shp.setFloat64(c + 56 + 16 * k, p[1], true);
		});
		at += 8 + records[i];
	});
	const width = 30;
	const dbf = new Uint8Array(32 + 32 + 1 + values.length * (1 + width) + 1);
	const head = new DataView(dbf.buffer);
	dbf[0] = 3;
	head.setUint32(4, values.length, true);
	head.setUint16(8, 32 + 32 + 1, true);
	head.setUint16(10, 1 + width, true);
	dbf.set(new TextEncoder().encode(field), 32);
	dbf[32 + 11] = 'C'.charCodeAt(0);
	dbf[32 + 16] = width;
	dbf[64] = 0x0d;
	values.forEach((v, i) => {
		const start = 65 + i * (1 + width);
		dbf.fill(0x20, start, start + 1 + width);
		dbf.set(new TextEncoder().encode(v), start + 1);
	});
	dbf[dbf.length - 1] = 0x1a;
	return {
		'grids.shp': new Uint8Array(shp.buffer),
		'grids.shx': new Uint8Array(shx.buffer),
		'grids.dbf': dbf,
		'grids.cpg': new TextEncoder().encode('UTF-8')
	};
}

describe('readBoundaryFile', () => {
	it('reads GeoJSON: a collection, a feature or a bare geometry', async () => {
		const fc: FeatureCollection = {
			type: 'FeatureCollection',
			features: [{ type: 'Feature', properties: { name: '第1网格' }, geometry: A }]
		};
		expect(await readBoundaryFile('grids.geojson', bytes(JSON.stringify(fc)), new DOMParser())).toEqual(fc);
		const one = await readBoundaryFile('g.json', bytes('\uFEFF' + JSON.stringify(A)), new DOMParser());
		expect(one.features[0].geometry).toEqual(A);
		await expect(readBoundaryFile('g.json', bytes('{"type":"Nope"}'), new DOMParser())).rejects.toThrow(
			'not GeoJSON'
		);
	});

	it('reads KML placemarks with their names', async () => {
		const coords = (p: Polygon) => p.coordinates[0].map(([x, y]) => `${x},${y},0`).join(' ');
		const text = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>第1网格</name><Polygon><outerBoundaryIs><LinearRing><coordinates>${coords(A)}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>第2网格</name><Polygon><outerBoundaryIs><LinearRing><coordinates>${coords(B)}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Document></kml>`;
		const fc = await readBoundaryFile('grids.kml', bytes(text), new DOMParser());
		expect(fc.features.map((f) => f.properties?.name)).toEqual(['第1网格', '第2网格']);
		// KML carries altitudes; the ring checks drop them later
		const ring = (fc.features[1].geometry as Polygon).coordinates[0];
		expect(ring.map((p) => p.slice(0, 2))).toEqual(B.coordinates[0]);
	});

	it('reads a zipped Shapefile with its attributes (UTF-8 by its .cpg)', async () => {
		// Shapefile outer rings run clockwise
		const rings = [A, B].map((p) => [...p.coordinates[0]].reverse());
		const fc = await readBoundaryFile(
			'grids.zip',
			zip(shapefile(rings, 'WGMC', ['第1网格', '第2网格'])),
			new DOMParser()
		);
		expect(fc.features.map((f) => String(f.properties?.WGMC).trim())).toEqual(['第1网格', '第2网格']);
		const g = fc.features[0].geometry as Polygon;
		expect(g.type).toBe('Polygon');
		expect(new Set(g.coordinates[0].map((p) => `${p}`))).toEqual(
			new Set(A.coordinates[0].map((p) => `${p}`))
		);
	});

	it('refuses other files', async () => {
		expect(formatOf('grids.KML')).toBe('kml');
		expect(formatOf('grids.shp')).toBeNull();
		await expect(readBoundaryFile('grids.shp', bytes(''), new DOMParser())).rejects.toThrow('unsupported');
	});
});

describe('matchGrids', () => {
	const feature = (name: unknown, geometry: Polygon | { type: 'Point'; coordinates: Position }) => ({
		type: 'Feature' as const,
		properties: { name },
		geometry
	});

	it('matches by code, by last digits and by name; other values make new grids; parts of one grid join', () => {
		const fc: FeatureCollection = {
			type: 'FeatureCollection',
			features: [
				feature(`${C}002`, B),
				feature('第1网格', A),
				feature('1', box(105.44, 28.881, 105.441, 28.882)),
				feature('新网格', box(105.442, 28.88, 105.443, 28.881)),
				feature('新网格', box(105.443, 28.88, 105.444, 28.881)),
				feature('点', { type: 'Point', coordinates: [105.44, 28.88] })
			]
		};
		expect(propertyKeys(fc)).toEqual(['name']);
		const { grids, skipped } = matchGrids(fc, 'name', existing, C);
		expect(skipped).toEqual([5]);
		expect(grids.map((g) => [g.code, g.name, g.added, g.geometry.type])).toEqual([
			[`${C}001`, '第1网格', false, 'MultiPolygon'],
			[`${C}002`, '第2网格', false, 'Polygon'],
			[`${C}003`, '新网格', true, 'MultiPolygon']
		]);
	});

	it('takes coordinates from a Chinese web map back to WGS-84 first (GCJ-02 is a few hundred metres off)', () => {
		const fc: FeatureCollection = { type: 'FeatureCollection', features: [feature('第1网格', A)] };
		const [g] = matchGrids(toWgs84(fc, 'GCJ02'), 'name', existing, C).grids;
		const [x, y] = (g.geometry as Polygon).coordinates[0][0];
		expect(Math.abs(x - 105.44)).toBeGreaterThan(0.002);
		expect(Math.abs(y - 28.88)).toBeGreaterThan(0.001);
	});
});
