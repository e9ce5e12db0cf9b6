import { describe, expect, it } from 'vitest';
import { basemapOrigins, withOrigins } from './csp';

const POLICY =
	"default-src 'self'; script-src 'self' 'nonce-abc'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'";

describe('the policy with an online basemap', () => {
	it('is left as it is without one (the default: nothing leaves the machine)', () => {
		expect(basemapOrigins({})).toEqual([]);
		expect(withOrigins(POLICY, [])).toBe(POLICY);
	});

	it('lets the map fetch and draw from the style’s origin and the origins named beside it', () => {
		const origins = basemapOrigins({
			PUBLIC_BASEMAP_STYLE_URL: 'https://tiles.example.cn/styles/basic.json?key=1',
			BASEMAP_ORIGINS:
				'https://fonts.example.cn  https://*.cdn.example.cn not-a-url javascript:alert(1) https://*.x.cn;script-src'
		});
		expect(origins).toEqual([
			'https://tiles.example.cn',
			'https://fonts.example.cn',
			'https://*.cdn.example.cn'
		]);
		expect(withOrigins(POLICY, origins)).toBe(
			"default-src 'self'; script-src 'self' 'nonce-abc'; " +
				"img-src 'self' data: blob: https://tiles.example.cn https://fonts.example.cn https://*.cdn.example.cn; " +
				"connect-src 'self' https://tiles.example.cn https://fonts.example.cn https://*.cdn.example.cn; " +
				"object-src 'none'"
		);
	});

	it('allows Tianditu’s tile hosts for a Tianditu key, and nothing for a style URL that is not http(s)', () => {
		expect(basemapOrigins({ PUBLIC_TIANDITU_KEY: 'k' })).toEqual(['https://*.tianditu.gov.cn']);
		expect(basemapOrigins({ PUBLIC_BASEMAP_STYLE_URL: 'data:application/json,{}' })).toEqual([]);
	});
});
