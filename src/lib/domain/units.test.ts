import { describe, expect, it } from 'vitest';
import { ancestorCodes, childLevel, isWithin, levelOfCode } from './units';

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
