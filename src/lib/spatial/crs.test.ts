import { distance } from '@turf/turf';
import gcoord from 'gcoord';
import type { FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { positionToWgs84, toWgs84 } from './crs';

// 白招牌社区 area, WGS-84.
const WGS: [number, number] = [105.4422, 28.8876];

/**
 * GCJ-02 forward transform written out from its published formulas (the "eviltransform" algorithm), as an
 * independent reference for the library the app uses.
 */
function gcjFromWgs([lon, lat]: [number, number]): [number, number] {
	const a = 6378245.0;
	const ee = 0.006693421622965943;
	const x = lon - 105.0;
	const y = lat - 35.0;
	let dLat =
		-100.0 +
		2.0 * x +
		3.0 * y +
		0.2 * y * y +
		0.1 * x * y +
		0.2 * Math.sqrt(Math.abs(x)) +
		((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0 +
		((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0 +
		((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
	let dLon =
		300.0 +
		x +
		2.0 * y +
		0.1 * x * x +
		0.1 * x * y +
		0.1 * Math.sqrt(Math.abs(x)) +
		((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0 +
		((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0 +
		((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
	const radLat = (lat / 180.0) * Math.PI;
	let magic = Math.sin(radLat);
	magic = 1 - ee * magic * magic;
	const sqrtMagic = Math.sqrt(magic);
	dLat = (dLat * 180.0) / (((a * (1 - ee)) / (magic * sqrtMagic)) * Math.PI);
	dLon = (dLon * 180.0) / ((a / sqrtMagic) * Math.cos(radLat) * Math.PI);
	return [lon + dLon, lat + dLat];
}

describe('GCJ-02 to WGS-84', () => {
	it('undoes the offset of a Chinese web map to within a metre', () => {
		const gcj = gcjFromWgs(WGS);
		// The offset in Luzhou is hundreds of metres: worth undoing.
		expect(distance(WGS, gcj, { units: 'meters' })).toBeGreaterThan(200);
		expect(distance(WGS, positionToWgs84(gcj, 'GCJ02'), { units: 'meters' })).toBeLessThan(1);
	});

	it('undoes Baidu’s BD-09 too, and leaves WGS-84 alone', () => {
		const bd = gcoord.transform(WGS, gcoord.WGS84, gcoord.BD09) as [number, number];
		expect(distance(WGS, positionToWgs84(bd, 'BD09'), { units: 'meters' })).toBeLessThan(1);
		expect(positionToWgs84([...WGS, 300], 'WGS84')).toEqual([...WGS, 300]);
	});

	it('converts every position of a collection, keeps properties, and does not touch its input', () => {
		const ring = [WGS, [WGS[0] + 0.01, WGS[1]], [WGS[0], WGS[1] + 0.01], WGS].map((p) =>
			gcjFromWgs(p as [number, number])
		);
		const input: FeatureCollection<Polygon> = {
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					bbox: [0, 0, 1, 1],
					properties: { name: '第1网格', coordinates: 'kept' },
					geometry: { type: 'Polygon', coordinates: [ring] }
				}
			]
		};
		const before = JSON.stringify(input);
		const out = toWgs84(input, 'GCJ02');
		expect(JSON.stringify(input)).toBe(before);
		expect(out.features[0].properties).toEqual({ name: '第1网格', coordinates: 'kept' });
		expect(out.features[0].bbox).toBeUndefined();
		const converted = out.features[0].geometry.coordinates[0];
		expect(converted).toHaveLength(4);
		expect(distance(converted[0], WGS, { units: 'meters' })).toBeLessThan(1);
		// The ring stays closed.
		expect(converted[3]).toEqual(converted[0]);
	});
});
