import { describe, expect, it } from 'vitest';
import {
	BUILDING_STATUS_COLORS,
	HEX_MIN_COUNT,
	hexFeatures,
	withHexbins,
	buildingFeatures,
	checkpointFeatures,
	leadFeatures,
	marketFeatures,
	onDutyFeatures,
	staffingClass,
	type BuildingRow,
	type CheckpointRow
} from './map-features';

const building = (over: Partial<BuildingRow>): BuildingRow => ({
	id: 1,
	name: '1栋',
	grid_code: '510502001006001',
	lon: 105.44,
	lat: 28.88,
	households: 40,
	reached: 30,
	door: 20,
	phone: 10,
	unreachable: 2,
	flagged: 0,
	not_started: 8,
	status: 'door',
	last_screened_at: null,
	last_method: null,
	suppressed: false,
	...over
});

describe('buildings', () => {
	it('colour by status, withheld buildings white, and buildings without households left out', () => {
		const fc = buildingFeatures([
			building({ id: 1, status: 'flagged' }),
			building({ id: 2, status: null, households: null, suppressed: true }),
			building({ id: 3, status: 'no_households', households: 0 })
		]);
		expect(fc.features.map((f) => [f.id, f.properties!.status, f.properties!.color])).toEqual([
			[1, 'flagged', BUILDING_STATUS_COLORS.flagged],
			[2, 'withheld', BUILDING_STATUS_COLORS.withheld]
		]);
		expect(fc.features[0].geometry).toEqual({ type: 'Point', coordinates: [105.44, 28.88] });
	});
});

describe('checkpoints', () => {
	it('class staffing against what is required', () => {
		expect(staffingClass('active', 2, 2)).toBe('full');
		expect(staffingClass('active', 3, 2)).toBe('full');
		expect(staffingClass('active', 1, 2)).toBe('short');
		expect(staffingClass('active', 0, 2)).toBe('empty');
		expect(staffingClass('closed', 2, 2)).toBe('inactive');
	});

	it('carry their gap and the glyph of their kind', () => {
		const row: CheckpointRow = {
			id: 7,
			name: '西门',
			kind: 'road_checkpoint',
			status: 'active',
			community_code: '510502001006',
			lon: 105.4,
			lat: 28.9,
			staff_required: 3,
			staffed: 1,
			open_from: '00:00:00',
			open_until: '00:00:00'
		};
		expect(checkpointFeatures([row]).features[0].properties).toMatchObject({
			staffing: 'short',
			gap: 2,
			glyph: '卡'
		});
	});
});

describe('points of people and leads', () => {
	it('join names into one string (MapLibre keeps flat properties) and drop places without a location', () => {
		const fc = onDutyFeatures([
			{ place: 'A', lon: 105, lat: 28, volunteers: 2, names: ['张三', '李四'] },
			{
				place: 'B',
				lon: null as unknown as number,
				lat: null as unknown as number,
				volunteers: 1,
				names: null
			}
		]);
		expect(fc.features.length).toBe(1);
		expect(fc.features[0].properties).toEqual({ place: 'A', volunteers: 2, names: '张三、李四' });
	});

	it('mark leaders’ lead counts as aggregates with unique ids', () => {
		const fc = leadFeatures([
			{
				id: null,
				grid_code: 'g',
				title: null,
				kind: null,
				status: 'new',
				overdue: true,
				deadline: null,
				reported_at: null,
				lon: 1,
				lat: 2,
				leads: 3
			},
			{
				id: null,
				grid_code: 'g',
				title: null,
				kind: null,
				status: 'closed',
				overdue: false,
				deadline: null,
				reported_at: null,
				lon: 1,
				lat: 2,
				leads: 5
			}
		]);
		expect(fc.features.map((f) => [f.id, f.properties!.aggregate, f.properties!.open])).toEqual([
			[-1, true, true],
			[-2, true, false]
		]);
	});
});

describe('markets', () => {
	it('give the market and each entrance a feature of its own', () => {
		const fc = marketFeatures([
			{
				id: 4,
				name: '白招牌农贸市场',
				community_code: '510502001006',
				lon: 105.44,
				lat: 28.88,
				entrances: {
					type: 'MultiPoint',
					coordinates: [
						[105.441, 28.881],
						[105.442, 28.882]
					]
				}
			}
		]);
		expect(fc.features.map((f) => [f.id, f.properties!.role])).toEqual([
			[400, 'market'],
			[401, 'entrance'],
			[402, 'entrance']
		]);
		expect(fc.features[0].properties!.entrances).toBe(2);
	});
});

describe('hexagon bins', () => {
	it('count weighted points per hexagon and leave out bins under 3', () => {
		const features = hexFeatures(
			[
				{ lon: 105.44, lat: 28.88, weight: 2 },
				{ lon: 105.4401, lat: 28.8801, weight: 5 },
				{ lon: 105.6, lat: 28.7, weight: 2 }
			],
			500
		);
		// The first two are ~14 m apart: one bin of 7. The lone point far away holds 2: withheld.
		expect(features.map((f) => f.properties!.count)).toEqual([7]);
		expect(features[0].properties).toMatchObject({ role: 'hex', label: '7' });
		expect(features[0].geometry.type).toBe('Polygon');
		expect(HEX_MIN_COUNT).toBe(3);
	});

	it('add bins to a layer, keeping its points', () => {
		const fc = withHexbins(
			{
				type: 'FeatureCollection',
				features: [
					{
						type: 'Feature',
						geometry: { type: 'Point', coordinates: [105.44, 28.88] },
						properties: { screenings: 4 }
					}
				]
			},
			'screenings',
			200
		);
		expect(fc.features.map((f) => f.geometry.type)).toEqual(['Point', 'Polygon']);
		expect(fc.features[1].properties!.count).toBe(4);
	});
});
