import { describe, expect, it } from 'vitest';
import { basemapStyle, basemapsOffered, OFFLINE_STYLES, onlineStyle, paperOf, tiandituStyle } from './style';

describe('basemaps', () => {
	it('are offline unless an online one is configured', () => {
		expect(basemapsOffered({})).toEqual(['light', 'dark']);
		expect(onlineStyle({})).toBeNull();
		expect(basemapStyle('online', {})).toBe(OFFLINE_STYLES.light);
		for (const style of Object.values(OFFLINE_STYLES)) {
			// Nothing to fetch: no sources, no glyphs, no sprite.
			expect(style.sources).toEqual({});
			expect(style.glyphs).toBeUndefined();
			expect(style.sprite).toBeUndefined();
		}
	});

	it('take a style URL first, else Tianditu with its key', () => {
		expect(
			basemapStyle('online', { PUBLIC_BASEMAP_STYLE_URL: 'https://x/style.json', PUBLIC_TIANDITU_KEY: 'k' })
		).toBe('https://x/style.json');
		expect(basemapsOffered({ PUBLIC_TIANDITU_KEY: 'k' })).toEqual(['light', 'dark', 'online']);
		const tdt = tiandituStyle('a b');
		const vec = tdt.sources.vec as { tiles: string[] };
		expect(vec.tiles).toHaveLength(8);
		expect(vec.tiles[3]).toContain('https://t3.tianditu.gov.cn/vec_w/wmts?');
		expect(vec.tiles[3]).toContain('tk=a%20b');
		expect(vec.tiles[3]).toContain('TILEMATRIX={z}&TILEROW={y}&TILECOL={x}');
	});

	it('draw an offline basemap as paper: its colour in CSS, an empty style for WebGL', () => {
		const light = paperOf(OFFLINE_STYLES.light);
		expect(light.paper).toBe('#eef2f5');
		expect(light.style).toMatchObject({ name: 'wanggetong-light', layers: [], sources: {} });
		expect(paperOf(OFFLINE_STYLES.dark).paper).toBe('#1c2530');
		// The styles themselves are not changed (the split is a copy).
		expect(OFFLINE_STYLES.light.layers).toHaveLength(1);
	});

	it('leave any other style whole, with no paper', () => {
		expect(paperOf('https://x/style.json')).toEqual({ style: 'https://x/style.json', paper: null });
		const tdt = tiandituStyle('k');
		expect(paperOf(tdt)).toEqual({ style: tdt, paper: null });
		const withData = { ...OFFLINE_STYLES.light, layers: [...OFFLINE_STYLES.light.layers, tdt.layers[0]] };
		expect(paperOf(withData).paper).toBeNull();
		// A background that is not one plain colour: see-through, or changing with the zoom.
		const background = (paint: object) =>
			({
				...OFFLINE_STYLES.light,
				layers: [{ id: 'bg', type: 'background', paint }]
			}) as typeof OFFLINE_STYLES.light;
		expect(paperOf(background({ 'background-color': '#fff', 'background-opacity': 0.5 })).paper).toBeNull();
		expect(
			paperOf(
				background({ 'background-color': ['interpolate', ['linear'], ['zoom'], 5, '#fff', 10, '#000'] })
			).paper
		).toBeNull();
	});
});
