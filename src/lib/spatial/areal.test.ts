import { describe, expect, it } from 'vitest';
import {
	fromPolygons,
	isAreal,
	largestPartIndex,
	planarArea,
	polygonsOf,
	ringArea2,
	ringCentroid
} from './areal';

const square = [
	[0, 0],
	[2, 0],
	[2, 2],
	[0, 2],
	[0, 0]
];
const hole = [
	[0.5, 0.5],
	[0.5, 1],
	[1, 1],
	[1, 0.5],
	[0.5, 0.5]
];

describe('isAreal', () => {
	it('accepts polygons only', () => {
		expect(isAreal({ type: 'Polygon', coordinates: [square] })).toBe(true);
		expect(isAreal({ type: 'MultiPolygon', coordinates: [[square]] })).toBe(true);
		expect(isAreal({ type: 'Point', coordinates: [0, 0] })).toBe(false);
		expect(isAreal(null)).toBe(false);
		expect(isAreal({ type: 'Polygon' })).toBe(false);
	});
});

describe('polygonsOf / fromPolygons', () => {
	it('round-trip, with one polygon coming back as a Polygon', () => {
		expect(polygonsOf({ type: 'Polygon', coordinates: [square] })).toEqual([[square]]);
		expect(fromPolygons([[square]])).toEqual({ type: 'Polygon', coordinates: [square] });
		expect(fromPolygons([[square], [hole]]).type).toBe('MultiPolygon');
		expect(() => fromPolygons([])).toThrow('polygons must not be empty');
	});
});

describe('ringCentroid', () => {
	it('finds the centre of a square, either orientation', () => {
		expect(ringCentroid(square)).toEqual([1, 1]);
		expect(ringCentroid(square.slice().reverse())).toEqual([1, 1]);
	});

	it('weights by area, not by vertex count', () => {
		// an L: a 2x1 bar along the bottom plus a 1x1 block on its left end
		const l = [
			[0, 0],
			[2, 0],
			[2, 1],
			[1, 1],
			[1, 2],
			[0, 2],
			[0, 0]
		];
		const [x, y] = ringCentroid(l);
		expect(x).toBeCloseTo(5 / 6, 12);
		expect(y).toBeCloseTo(5 / 6, 12);
	});

	it('rejects rings without area', () => {
		expect(() =>
			ringCentroid([
				[0, 0],
				[1, 1],
				[2, 2],
				[0, 0]
			])
		).toThrow('ring has no area');
		expect(() => ringCentroid([[0, 0]])).toThrow('at least 4 positions');
	});
});

describe('ringArea2 / planarArea', () => {
	it('gives twice the signed area, positive counter-clockwise', () => {
		expect(ringArea2(square)).toBe(8);
		expect(ringArea2(square.slice().reverse())).toBe(-8);
	});

	it('subtracts holes', () => {
		expect(planarArea([square, hole])).toBeCloseTo(4 - 0.25, 12);
	});
});

describe('largestPartIndex', () => {
	it('finds the largest part, the first on a tie, or uses the areas given', () => {
		expect(largestPartIndex([[hole], [square]])).toBe(1);
		expect(largestPartIndex([[square], [square.slice().reverse()]])).toBe(0);
		expect(largestPartIndex([[hole], [square]], [5, 1])).toBe(0);
		expect(() => largestPartIndex([])).toThrow('need one area per part');
	});
});
