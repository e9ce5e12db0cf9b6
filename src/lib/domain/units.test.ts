import { describe, expect, it } from 'vitest';
import { ancestorCodes, childLevel, communityOf, isWithin, levelOfCode, placeLabel } from './units';

describe('unit codes', () => {
	it('reads the level from the code length', () => {
		expect(levelOfCode('5105')).toBe('city');
		expect(levelOfCode('510502')).toBe('district');
		expect(levelOfCode('510502001')).toBe('street');
		expect(levelOfCode('510502001006')).toBe('community');
		expect(levelOfCode('510502001006001')).toBe('grid');
		expect(levelOfCode('51050')).toBeNull();
		expect(levelOfCode('5105%')).toBeNull();
		expect(levelOfCode('')).toBeNull();
	});

	it('lists ancestors from the city down', () => {
		expect(ancestorCodes('510502001006')).toEqual(['5105', '510502', '510502001', '510502001006']);
		expect(() => ancestorCodes('_')).toThrow('not a unit code');
	});

	it('tests scope by prefix and refuses wildcard-looking scopes', () => {
		expect(isWithin('510502001006', '510502001')).toBe(true);
		expect(isWithin('510502002001', '510502001')).toBe(false);
		expect(isWithin('510502001006', '')).toBe(false);
		expect(isWithin('510502001006', '5105%')).toBe(false);
		expect(childLevel('community')).toBe('grid');
		expect(childLevel('grid')).toBeNull();
	});
});

describe('places named from where the reader looks', () => {
	const names = new Map([
		['510502001006', '白招牌社区'],
		['510502001001', '上平社区']
	]);

	it('names the community above the community level', () => {
		expect(placeLabel('510502001', '510502001006001', '1号楼', names)).toBe('白招牌社区 · 1号楼');
		expect(placeLabel('5105', '510502001001002', '第2网格', names)).toBe('上平社区 · 第2网格');
		expect(placeLabel('510502001', '510502001001002', '第2网格', names, '\n')).toBe('上平社区\n第2网格');
		expect(placeLabel('510502001', '510502001001002', '第2网格', { '510502001001': '上平社区' })).toBe(
			'上平社区 · 第2网格'
		);
	});

	it('leaves it out inside a community, and where the community is unknown', () => {
		expect(placeLabel('510502001006', '510502001006001', '1号楼', names)).toBe('1号楼');
		expect(placeLabel('510502001006001', '510502001006001', '1号楼', names)).toBe('1号楼');
		expect(placeLabel('510502001', '510502001009001', '1号楼', names)).toBe('1号楼');
		expect(placeLabel('510502001', '510502001', '南城街道', names)).toBe('南城街道');
	});

	it('finds the community of a code', () => {
		expect(communityOf('510502001006001')).toBe('510502001006');
		expect(communityOf('510502001')).toBeNull();
	});
});
