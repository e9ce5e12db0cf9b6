import { describe, expect, it } from 'vitest';
import { placeLabels } from './label-placement';

const screen = { width: 800, height: 600 };

describe('placeLabels', () => {
	it('shows labels that keep clear of each other', () => {
		const boxes = [
			{ x: 100, y: 100, width: 60, height: 30 },
			{ x: 200, y: 100, width: 60, height: 30 },
			{ x: 100, y: 200, width: 60, height: 30 }
		];
		expect(placeLabels(boxes, screen)).toEqual([true, true, true]);
	});

	it('hides a label that would overlap one placed before it (the gap included), whatever their sizes', () => {
		const boxes = [
			{ x: 100, y: 100, width: 60, height: 30 },
			{ x: 150, y: 110, width: 60, height: 30 }, // overlaps the first
			{ x: 163, y: 100, width: 60, height: 30 }, // 3 px apart: inside the 4 px gap
			{ x: 300, y: 100, width: 300, height: 30 } // wide, but its left edge (150) keeps 20 px from the first
		];
		expect(placeLabels(boxes, screen)).toEqual([true, false, false, true]);
	});

	it('a hidden label does not push out the ones after it', () => {
		const boxes = [
			{ x: 100, y: 100, width: 60, height: 30 },
			{ x: 140, y: 100, width: 60, height: 30 }, // hidden by the first
			{ x: 180, y: 100, width: 60, height: 30 } // would overlap the second only: shown
		];
		expect(placeLabels(boxes, screen)).toEqual([true, false, true]);
	});

	it('hides a label whose anchor is off the screen', () => {
		const boxes = [
			{ x: -5, y: 100, width: 60, height: 30 },
			{ x: 100, y: 601, width: 60, height: 30 },
			{ x: 800, y: 0, width: 60, height: 30 },
			{ x: Number.NaN, y: 10, width: 60, height: 30 }
		];
		expect(placeLabels(boxes, screen)).toEqual([false, false, true, false]);
	});
});
