import { describe, expect, it } from 'vitest';
import { localPath } from './local-path';

describe('localPath', () => {
	it('keeps a path on this site, with its query', () => {
		expect(localPath('/map/510502001006?date=2020-03-01&layers=units')).toBe(
			'/map/510502001006?date=2020-03-01&layers=units'
		);
		expect(localPath('/')).toBe('/');
	});

	it('refuses what a browser would take to another site', () => {
		for (const bad of [
			'//evil.example',
			'/\\evil.example',
			'https://evil.example/',
			'evil.example',
			'/\t/evil.example'
		])
			expect(localPath(bad)).toBe('/');
		expect(localPath('/a\\b')).toBe('/');
	});

	it('refuses what is not a string, with the fallback given', () => {
		expect(localPath(null)).toBe('/');
		expect(localPath(undefined, '/login')).toBe('/login');
		expect(localPath(42)).toBe('/');
	});
});
