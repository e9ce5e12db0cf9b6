/**
 * How each data layer of the map is drawn: its stacking order and MapLibre style layers. Colours come from
 * `$lib/domain/map-features`, which the legend reads too, so map and legend cannot disagree.
 */
import type { ExpressionSpecification } from 'maplibre-gl';
import { BUILDING_STATUS_COLORS, LEAD_STATUS_COLORS, STAFFING_COLORS } from '$lib/domain/map-features';
import type { LayerId } from '$lib/domain/view';
import type { LayerSpec } from './geojson-layer';

export interface DataLayerStyle {
	z: number;
	promoteId?: string;
	layers: LayerSpec[];
}

const LABEL_PAINT = { 'text-color': '#1b2631', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 };
const get = (name: string): ExpressionSpecification => ['get', name];

/**
 * Zoom bands of the layers that come as heat (screenings, volunteers on duty, leads): a heatmap up to a city's
 * or district's overview, hexagon bins with counts at mid zoom, points (or the heatmap again) closer in.
 */
export const HEAT_MAX_ZOOM = 10;
export const POINTS_MIN_ZOOM = 12.5;
const POINTS: ExpressionSpecification = ['==', ['geometry-type'], 'Point'];
const HEXES: ExpressionSpecification = ['==', ['geometry-type'], 'Polygon'];

/** Hexagon bins of a heat layer: filled by count, outlined, labelled with the count. */
function hexLayers(id: string, color: string, maxCount: number): LayerSpec[] {
	return [
		{
			id: `${id}-hex`,
			type: 'fill',
			minzoom: HEAT_MAX_ZOOM,
			maxzoom: POINTS_MIN_ZOOM,
			filter: HEXES,
			paint: {
				'fill-color': color,
				'fill-opacity': ['interpolate', ['linear'], get('count'), 3, 0.25, maxCount, 0.8],
				'fill-antialias': false
			}
		},
		{
			id: `${id}-hex-line`,
			type: 'line',
			minzoom: HEAT_MAX_ZOOM,
			maxzoom: POINTS_MIN_ZOOM,
			filter: HEXES,
			paint: { 'line-color': color, 'line-width': 0.6 }
		},
		{
			id: `${id}-hex-label`,
			type: 'symbol',
			minzoom: HEAT_MAX_ZOOM,
			maxzoom: POINTS_MIN_ZOOM,
			filter: HEXES,
			layout: { 'text-field': get('label'), 'text-size': 11 },
			paint: LABEL_PAINT
		}
	];
}

function match(property: string, colors: Record<string, string>, fallback: string): ExpressionSpecification {
	return ['match', get(property), ...Object.entries(colors).flat(), fallback] as ExpressionSpecification;
}

export const DATA_LAYER_STYLES: Record<Exclude<LayerId, 'units'>, DataLayerStyle> = {
	grids: {
		z: 20,
		promoteId: 'code',
		layers: [
			{
				id: 'grids-line',
				type: 'line',
				paint: { 'line-color': '#5e35b1', 'line-width': 0.8, 'line-dasharray': [3, 2] }
			},
			{
				id: 'grids-label',
				type: 'symbol',
				minzoom: 13,
				layout: { 'text-field': get('name'), 'text-size': 11 },
				paint: { ...LABEL_PAINT, 'text-color': '#4527a0' }
			}
		]
	},
	heat: {
		z: 25,
		layers: [
			{
				id: 'heat-heatmap',
				type: 'heatmap',
				filter: POINTS,
				paint: {
					'heatmap-weight': ['interpolate', ['linear'], get('screenings'), 0, 0, 50, 1],
					'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 8, 0.6, 15, 2],
					'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 8, 10, 15, 30],
					'heatmap-opacity': ['step', ['zoom'], 0.75, HEAT_MAX_ZOOM, 0, POINTS_MIN_ZOOM, 0.75]
				}
			},
			...hexLayers('heat', '#e65100', 200)
		]
	},
	special: {
		z: 30,
		layers: [
			{
				id: 'special-circle',
				type: 'circle',
				interactive: true,
				paint: {
					'circle-color': '#7b1fa2',
					'circle-opacity': 0.75,
					'circle-radius': ['interpolate', ['linear'], ['coalesce', get('total'), 2], 1, 8, 50, 22],
					'circle-stroke-color': '#ffffff',
					'circle-stroke-width': 1
				}
			},
			{
				id: 'special-label',
				type: 'symbol',
				layout: { 'text-field': get('label'), 'text-size': 11, 'text-allow-overlap': true },
				paint: { 'text-color': '#ffffff' }
			}
		]
	},
	buildings: {
		z: 31,
		promoteId: 'id',
		layers: [
			{
				id: 'buildings-circle',
				type: 'circle',
				interactive: true,
				paint: {
					'circle-color': match('status', BUILDING_STATUS_COLORS, '#000000'),
					'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 2.5, 15, 6, 18, 10],
					'circle-stroke-color': '#263238',
					'circle-stroke-width': 0.8
				}
			},
			{
				id: 'buildings-label',
				type: 'symbol',
				minzoom: 16,
				layout: { 'text-field': get('name'), 'text-size': 10, 'text-offset': [0, 1.2] },
				paint: LABEL_PAINT
			}
		]
	},
	markets: {
		z: 32,
		layers: [
			{
				id: 'markets-circle',
				type: 'circle',
				interactive: true,
				filter: ['==', get('role'), 'market'],
				paint: {
					'circle-color': '#6d4c41',
					'circle-radius': 8,
					'circle-stroke-color': '#ffffff',
					'circle-stroke-width': 2
				}
			},
			{
				id: 'markets-entrance',
				type: 'circle',
				interactive: true,
				filter: ['==', get('role'), 'entrance'],
				paint: {
					'circle-color': '#ffffff',
					'circle-radius': 4,
					'circle-stroke-color': '#6d4c41',
					'circle-stroke-width': 2
				}
			},
			{
				id: 'markets-label',
				type: 'symbol',
				minzoom: 12,
				filter: ['==', get('role'), 'market'],
				layout: { 'text-field': get('name'), 'text-size': 11, 'text-offset': [0, 1.4] },
				paint: LABEL_PAINT
			}
		]
	},
	leads: {
		z: 33,
		layers: [
			{
				id: 'leads-heatmap',
				type: 'heatmap',
				maxzoom: HEAT_MAX_ZOOM,
				filter: POINTS,
				paint: {
					'heatmap-weight': ['interpolate', ['linear'], get('leads'), 0, 0, 5, 1],
					'heatmap-radius': 14,
					'heatmap-color': [
						'interpolate',
						['linear'],
						['heatmap-density'],
						0,
						'rgba(215,48,31,0)',
						0.4,
						'#fc8d59',
						1,
						'#b30000'
					]
				}
			},
			...hexLayers('leads', '#d7301f', 30),
			{
				id: 'leads-circle',
				type: 'circle',
				minzoom: POINTS_MIN_ZOOM,
				filter: POINTS,
				interactive: true,
				paint: {
					'circle-color': match('status', LEAD_STATUS_COLORS, '#000000'),
					'circle-radius': ['interpolate', ['linear'], get('leads'), 1, 6, 20, 14],
					'circle-stroke-color': ['case', ['boolean', get('overdue'), false], '#000000', '#ffffff'],
					'circle-stroke-width': ['case', ['boolean', get('overdue'), false], 2.5, 1.2]
				}
			}
		]
	},
	checkpoints: {
		z: 34,
		promoteId: 'id',
		layers: [
			{
				id: 'checkpoints-circle',
				type: 'circle',
				interactive: true,
				paint: {
					'circle-color': match('staffing', STAFFING_COLORS, '#000000'),
					'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 4, 14, 10],
					'circle-stroke-color': '#ffffff',
					'circle-stroke-width': 1.5
				}
			},
			{
				id: 'checkpoints-glyph',
				type: 'symbol',
				minzoom: 12,
				layout: { 'text-field': get('glyph'), 'text-size': 11, 'text-allow-overlap': true },
				paint: { 'text-color': '#ffffff' }
			}
		]
	},
	volunteers: {
		z: 35,
		layers: [
			{
				id: 'volunteers-heatmap',
				type: 'heatmap',
				maxzoom: HEAT_MAX_ZOOM,
				filter: POINTS,
				paint: {
					'heatmap-weight': ['interpolate', ['linear'], get('volunteers'), 0, 0, 10, 1],
					'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 8, 8, 13, 24],
					'heatmap-color': [
						'interpolate',
						['linear'],
						['heatmap-density'],
						0,
						'rgba(33,102,172,0)',
						0.3,
						'#67a9cf',
						0.6,
						'#1c9099',
						1,
						'#016c59'
					],
					'heatmap-opacity': 0.8
				}
			},
			...hexLayers('volunteers', '#016c59', 60),
			{
				id: 'volunteers-circle',
				type: 'circle',
				minzoom: POINTS_MIN_ZOOM,
				filter: POINTS,
				interactive: true,
				paint: {
					'circle-color': '#016c59',
					'circle-radius': ['interpolate', ['linear'], get('volunteers'), 1, 5, 10, 12],
					'circle-stroke-color': '#ffffff',
					'circle-stroke-width': 1,
					'circle-translate': [8, -8]
				}
			},
			{
				id: 'volunteers-label',
				type: 'symbol',
				minzoom: POINTS_MIN_ZOOM,
				filter: POINTS,
				layout: {
					'text-field': ['to-string', get('volunteers')],
					'text-size': 10,
					'text-allow-overlap': true
				},
				paint: { 'text-color': '#ffffff', 'text-translate': [8, -8] }
			}
		]
	}
};
