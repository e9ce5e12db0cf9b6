import { describe, expect, it } from 'vitest';
import { BUILDING_STATUS_COLORS, LEAD_STATUS_COLORS } from './map-features';
import {
	boardBuildingFeatures,
	leadPointFeatures,
	pickedPointFeature,
	staleBuildingFeatures,
	staleColor
} from './work-map';

describe('the secretary’s map features', () => {
	it('colours board buildings by status, says who holds a claim, and leaves out empty buildings', () => {
		const fc = boardBuildingFeatures([
			{
				id: 1,
				name: '1栋',
				lon: 105.4,
				lat: 28.9,
				households: 44,
				reached: 40,
				status: 'phone',
				claim: { mine: true }
			},
			{
				id: 2,
				name: '2栋',
				lon: 105.41,
				lat: 28.9,
				households: 0,
				reached: 0,
				status: 'no_households',
				claim: null
			},
			{
				id: 3,
				name: '3栋',
				lon: 105.42,
				lat: 28.9,
				households: 43,
				reached: 0,
				status: 'not_started',
				claim: null
			}
		]);
		expect(fc.features.map((f) => f.id)).toEqual([1, 3]);
		expect(fc.features[0].properties).toMatchObject({ color: BUILDING_STATUS_COLORS.phone, claim: 'mine' });
		expect(fc.features[1].properties).toMatchObject({
			color: BUILDING_STATUS_COLORS.not_started,
			claim: 'none'
		});
		expect(fc.features[1].geometry).toEqual({ type: 'Point', coordinates: [105.42, 28.9] });
	});

	it('colours buildings by the share of households waiting to be re-screened', () => {
		expect(staleColor(0.1)).toBe('#fdd49e');
		expect(staleColor(0.25)).toBe('#fc8d59');
		expect(staleColor(0.6)).toBe('#d7301f');
		expect(staleColor(1)).toBe('#7f0000');
		const fc = staleBuildingFeatures([{ id: 7, name: '7栋', lon: 1, lat: 2, stale: 11, households: 44 }]);
		expect(fc.features[0].properties).toMatchObject({ share: 0.25, label: '11', color: '#fc8d59' });
	});

	it('draws finished leads below open ones, and the selected one on top', () => {
		const at = { lon: 105.4, lat: 28.9, overdue: false, title: '' };
		const fc = leadPointFeatures(
			[
				{ id: 1, status: 'new', ...at },
				{ id: 2, status: 'closed', ...at },
				{ id: 3, status: 'dismissed', ...at },
				{ id: 4, status: 'assigned', ...at },
				{ id: 5, status: 'handled', ...at }
			],
			3
		);
		expect(fc.features.map((f) => f.id)).toEqual([2, 5, 1, 4, 3]);
	});

	it('draws leads with a place only, marking the overdue and the selected one', () => {
		const fc = leadPointFeatures(
			[
				{ id: 1, title: 'a', status: 'new', lon: 105.4, lat: 28.9, overdue: true },
				{ id: 2, title: 'b', status: 'closed', lon: null, lat: null, overdue: false }
			],
			1
		);
		expect(fc.features).toHaveLength(1);
		expect(fc.features[0].properties).toMatchObject({
			color: LEAD_STATUS_COLORS.new,
			overdue: true,
			selected: true
		});
		expect(pickedPointFeature(null).features).toEqual([]);
		expect(pickedPointFeature({ lon: 1, lat: 2 }).features).toHaveLength(1);
	});
});
