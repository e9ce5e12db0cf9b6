import { describe, expect, it } from 'vitest';
import {
	defaultLayers,
	layerHref,
	layersAvailable,
	momentOf,
	parseView,
	responseDays,
	viewHref,
	type View
} from './view';

const P2020 = { first: '2020-01-24', last: '2020-03-15', running: false };

const q = (s: string) => new URLSearchParams(s);

describe('parseView', () => {
	it('gives the defaults of the level when the link says nothing', () => {
		expect(parseView(q(''), '510502001', P2020)).toEqual({
			response: null,
			date: '2020-03-15',
			round: null,
			time: '10:00',
			layers: ['units', 'checkpoints'],
			basemap: 'light',
			valid: null
		});
		expect(parseView(q(''), '510502001006', P2020)).toMatchObject({ layers: ['units', 'buildings'] });
		expect(parseView(q(''), '5105', P2020)).toMatchObject({ layers: ['units'] });
	});

	it('reads date, round, time and layers, in the canonical layer order', () => {
		expect(
			parseView(q('date=2020-02-01&round=1&time=20:30&layers=leads,units,buildings'), '510502001006', P2020)
		).toEqual({
			response: null,
			date: '2020-02-01',
			round: 1,
			time: '20:30',
			layers: ['units', 'buildings', 'leads'],
			basemap: 'light',
			valid: null
		});
		expect(parseView(q('layers='), '5105', P2020)).toMatchObject({ layers: [] });
	});

	it('drops layers the level does not offer, but refuses names it does not know', () => {
		expect(parseView(q('layers=units,buildings,grids'), '5105', P2020)).toMatchObject({ layers: ['units'] });
		expect(parseView(q('layers=units,secret'), '5105', P2020)).toEqual({ error: 'bad_layers' });
	});

	it('refuses malformed values', () => {
		expect(parseView(q('date=2020-02-30'), '5105', P2020)).toEqual({ error: 'bad_date' });
		expect(parseView(q('date=2021-01-01'), '5105', P2020)).toEqual({ error: 'bad_date' });
		expect(parseView(q('round=0'), '5105', P2020)).toEqual({ error: 'bad_round' });
		expect(parseView(q('round=1;drop'), '5105', P2020)).toEqual({ error: 'bad_round' });
		expect(parseView(q('time=24:00'), '5105', P2020)).toEqual({ error: 'bad_time' });
		expect(parseView(q('time=9:00'), '5105', P2020)).toEqual({ error: 'bad_time' });
		expect(parseView(q('basemap=satellite'), '5105', P2020)).toEqual({ error: 'bad_basemap' });
		expect(parseView(q('valid=0'), '5105', P2020)).toEqual({ error: 'bad_valid' });
		expect(parseView(q('valid=61'), '5105', P2020)).toEqual({ error: 'bad_valid' });
		expect(parseView(q('valid=14'), '5105', P2020)).toMatchObject({ valid: 14 });
	});
});

describe('viewHref', () => {
	it('round-trips through parseView', () => {
		const view: View = {
			response: 1,
			date: '2020-02-10',
			round: 2,
			time: '08:00',
			layers: ['units', 'heat'],
			basemap: 'dark',
			valid: 7
		};
		const href = viewHref('510502', view);
		expect(href).toBe(
			'/map/510502?response=1&date=2020-02-10&round=2&time=08:00&layers=units,heat&basemap=dark&valid=7'
		);
		// The page passes the response it resolved from the same link.
		expect(parseView(new URL(href, 'http://x').searchParams, '510502', P2020, 1)).toEqual(view);
	});

	it('leaves defaults out', () => {
		expect(viewHref('5105', { date: '2020-03-15', round: null, time: '10:00' })).toBe(
			'/map/5105?date=2020-03-15'
		);
		expect(viewHref('5105', {})).toBe('/map/5105');
	});
});

describe('levels and layers', () => {
	it('offers buildings from the street down and grids only in districts and streets', () => {
		expect(layersAvailable('5105')).not.toContain('buildings');
		expect(layersAvailable('510502001')).toContain('buildings');
		expect(layersAvailable('510502001')).toContain('grids');
		expect(layersAvailable('510502001006')).not.toContain('grids');
		expect(layersAvailable('nonsense')).toEqual([]);
		for (const code of ['5105', '510502', '510502001', '510502001006', '510502001006001'])
			for (const id of defaultLayers(code)) expect(layersAvailable(code)).toContain(id);
	});
});

describe('time', () => {
	it('places a local time in China Standard Time', () => {
		expect(new Date(momentOf('2020-02-05', '10:00')).toISOString()).toBe('2020-02-05T02:00:00.000Z');
	});

	it('lists the 52 days of the response', () => {
		const days = responseDays(P2020);
		expect(days.length).toBe(52);
		expect(days[0]).toBe('2020-01-24');
		expect(days.at(-1)).toBe('2020-03-15');
		expect(days).toContain('2020-02-29');
	});
});

describe('layerHref', () => {
	it('carries the view parameters the layer endpoint reads', () => {
		expect(layerHref('510502001', 'checkpoints', { date: '2020-02-05', time: '20:00', round: null })).toBe(
			'/map/510502001/layers/checkpoints?date=2020-02-05&time=20:00'
		);
		expect(layerHref('5105', 'heat', { date: '2020-02-05', time: '10:00', round: 1 })).toBe(
			'/map/5105/layers/heat?date=2020-02-05&time=10:00&round=1'
		);
	});
});
