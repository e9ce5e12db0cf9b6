import { describe, expect, it } from 'vitest';
import { basemapStyle, basemapsOffered, OFFLINE_STYLES, onlineStyle, tiandituStyle } from './style';

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
});
