import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { formatHours, locateCommunity, readCheckpointForm, readPoint } from './checkpoint-plan';

const form = (fields: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.set(k, v);
	return f;
};

describe('readCheckpointForm', () => {
	it('reads a valid form, seconds dropped from the hours', () => {
		expect(
			readCheckpointForm(
				form({
					name: ' 南门卡口 ',
					kind: 'road_checkpoint',
					staff_required: '3',
					open_from: '08:00:00',
					open_until: '20:00'
				})
			)
		).toEqual({
			values: {
				name: '南门卡口',
				kind: 'road_checkpoint',
				staff_required: 3,
				open_from: '08:00',
				open_until: '20:00'
			}
		});
		// Hours left empty: around the clock.
		expect(
			readCheckpointForm(form({ name: '劝阻点', kind: 'persuasion_point', staff_required: '2' }))
		).toMatchObject({
			values: { open_from: '00:00', open_until: '00:00' }
		});
	});

	it('says in Chinese what is wrong with each field', () => {
		expect(
			readCheckpointForm(
				form({ name: '', kind: 'airport', staff_required: '2.5', open_from: '8:00', open_until: '24:00' })
			)
		).toEqual({
			errors: {
				name: '请填写名称',
				kind: '请选择类型',
				staff_required: '每班人数须为1到50的整数',
				open_from: '开始时间格式应为 08:00',
				open_until: '结束时间格式应为 20:00'
			}
		});
		expect(
			readCheckpointForm(form({ name: '门'.repeat(61), kind: 'community_gate', staff_required: '51' }))
		).toEqual({
			errors: { name: '名称不能超过60个字', staff_required: '每班人数须为1到50的整数' }
		});
	});
});

describe('readPoint', () => {
	it('takes finite lon/lat in range only', () => {
		expect(readPoint(form({ lon: '105.44', lat: '28.88' }))).toEqual({ lon: 105.44, lat: 28.88 });
		expect(readPoint(form({ lon: '', lat: '28.88' }))).toBeNull();
		expect(readPoint(form({ lon: '190', lat: '28.88' }))).toBeNull();
		expect(readPoint(form({ lon: 'NaN', lat: '28.88' }))).toBeNull();
	});
});

describe('locateCommunity', () => {
	const square = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
		type: 'Polygon',
		coordinates: [
			[
				[x0, y0],
				[x1, y0],
				[x1, y1],
				[x0, y1],
				[x0, y0]
			]
		]
	});
	const communities = [
		{ code: 'west', geometry: square(0, 0, 1, 1) },
		{ code: 'none', geometry: null },
		{ code: 'east', geometry: square(1, 0, 2, 1) }
	];

	it('finds the community holding the point, a shared edge going east, outside the street none', () => {
		expect(locateCommunity(communities, 0.5, 0.5)).toBe('west');
		expect(locateCommunity(communities, 1.5, 0.5)).toBe('east');
		expect(locateCommunity(communities, 1, 0.5)).toBe('east');
		expect(locateCommunity(communities, 2.5, 0.5)).toBeNull();
	});
});

describe('formatHours', () => {
	it('reads around the clock as 全天', () => {
		expect(formatHours('00:00:00', '00:00:00')).toBe('全天');
		expect(formatHours('08:00:00', '20:00:00')).toBe('08:00–20:00');
	});
});
