/**
 * How the secretary's screens draw their layers (board buildings, buildings waiting for re-screening, leads, a
 * picked point). Colours are in the features (`$lib/domain/work-map`), which the legends read too.
 */
import type { ExpressionSpecification } from 'maplibre-gl';
import type { LayerSpec } from './geojson-layer';

const get = (name: string): ExpressionSpecification => ['get', name];
const LABEL_PAINT = { 'text-color': '#1b2631', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 };

/** Buildings by status; a claimed one has a thick ring (blue when it is mine, purple when someone else's). */
export const BOARD_BUILDING_LAYERS: LayerSpec[] = [
	{
		id: 'board-buildings-circle',
		type: 'circle',
		interactive: true,
		paint: {
			'circle-color': get('color'),
			'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 4, 15, 8, 18, 12],
			'circle-stroke-color': ['match', get('claim'), 'mine', '#1565c0', 'other', '#6a1b9a', '#263238'],
			'circle-stroke-width': ['match', get('claim'), 'none', 0.8, 3]
		}
	},
	{
		id: 'board-buildings-label',
		type: 'symbol',
		minzoom: 15.5,
		layout: { 'text-field': get('name'), 'text-size': 11, 'text-offset': [0, 1.3] },
		paint: LABEL_PAINT
	}
];

/** Buildings sized by how many households wait, coloured by the share that waits, labelled with the count. */
export const STALE_BUILDING_LAYERS: LayerSpec[] = [
	{
		id: 'stale-buildings-circle',
		type: 'circle',
		interactive: true,
		paint: {
			'circle-color': get('color'),
			'circle-radius': [
				'interpolate',
				['linear'],
				['zoom'],
				13,
				['interpolate', ['linear'], get('stale'), 1, 3, 50, 7],
				17,
				['interpolate', ['linear'], get('stale'), 1, 8, 50, 18]
			],
			'circle-stroke-color': '#ffffff',
			'circle-stroke-width': 1
		}
	},
	{
		id: 'stale-buildings-label',
		type: 'symbol',
		minzoom: 15.5,
		layout: { 'text-field': get('label'), 'text-size': 10, 'text-allow-overlap': true },
		paint: { 'text-color': '#1b2631' }
	}
];

/** Leads by status; an overdue one ringed in black, the selected one larger. */
export const LEAD_POINT_LAYERS: LayerSpec[] = [
	{
		id: 'lead-points-circle',
		type: 'circle',
		interactive: true,
		paint: {
			'circle-color': get('color'),
			'circle-radius': ['case', ['boolean', get('selected'), false], 11, 7],
			'circle-stroke-color': ['case', ['boolean', get('overdue'), false], '#000000', '#ffffff'],
			'circle-stroke-width': ['case', ['boolean', get('overdue'), false], 2.5, 1.2]
		}
	}
];

/** Where a new lead will be reported. */
export const PICKED_POINT_LAYERS: LayerSpec[] = [
	{
		id: 'picked-point-circle',
		type: 'circle',
		paint: {
			'circle-color': '#ffffff',
			'circle-radius': 9,
			'circle-stroke-color': '#b71c1c',
			'circle-stroke-width': 4
		}
	}
];

/** Grid boundaries with their names (where leads are routed). */
export const GRID_OUTLINE_LAYERS: LayerSpec[] = [
	{
		id: 'grid-outlines-fill',
		type: 'fill',
		paint: { 'fill-color': '#5e35b1', 'fill-opacity': 0.04 }
	},
	{
		id: 'grid-outlines-line',
		type: 'line',
		paint: { 'line-color': '#5e35b1', 'line-width': 1.2, 'line-dasharray': [3, 2] }
	},
	{
		id: 'grid-outlines-label',
		type: 'symbol',
		layout: { 'text-field': get('name'), 'text-size': 12 },
		paint: { ...LABEL_PAINT, 'text-color': '#4527a0' }
	}
];
