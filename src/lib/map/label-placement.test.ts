import { describe, expect, it } from 'vitest';
import { placeLabels, type LabelOffset } from './label-placement';

const screen = { width: 800, height: 600 };
const AT: LabelOffset = { dx: 0, dy: 0 };

describe('placeLabels', () => {
	it('shows labels that keep clear of each other, at their anchors', () => {
		const boxes = [
			{ x: 100, y: 100, width: 60, height: 30 },
			{ x: 200, y: 100, width: 60, height: 30 },
			{ x: 100, y: 200, width: 60, height: 30 }
		];
		expect(placeLabels(boxes, screen)).toEqual([AT, AT, AT]);
	});

	it('hides a label that would overlap one placed before it (the gap included), whatever their sizes', () => {
		const boxes = [
			{ x: 100, y: 100, width: 60, height: 30 },
			{ x: 150, y: 110, width: 60, height: 30 }, // overlaps the first
			{ x: 163, y: 100, width: 60, height: 30 }, // 3 px apart: inside the 4 px gap
			{ x: 300, y: 100, width: 300, height: 30 } // wide, but its left edge (150) keeps 20 px from the first
		];
		expect(placeLabels(boxes, screen)).toEqual([AT, null, null, AT]);
	});

	it('a hidden label does not push out the ones after it', () => {
		const boxes = [
			{ x: 100, y: 100, width: 60, height: 30 },
			{ x: 140, y: 100, width: 60, height: 30 }, // hidden by the first
			{ x: 180, y: 100, width: 60, height: 30 } // would overlap the second only: shown
		];
		expect(placeLabels(boxes, screen)).toEqual([AT, null, AT]);
	});

	it('hides a label whose anchor is off the screen', () => {
		const boxes = [
			{ x: -5, y: 100, width: 60, height: 30 },
			{ x: 100, y: 601, width: 60, height: 30 },
			{ x: 800, y: 0, width: 60, height: 30 },
			{ x: Number.NaN, y: 10, width: 60, height: 30 }
		];
		expect(placeLabels(boxes, screen)).toEqual([null, null, AT, null]);
	});

	it('moves a label that collides within its unit’s room, the nearest free place first', () => {
		const first = { x: 100, y: 100, width: 60, height: 30 };
		// 10 px below the first (34 needed): half its room (20) is not enough either way, the whole room (40)
		// upwards is not (30 apart), downwards is.
		const below = { x: 100, y: 110, width: 60, height: 30, room: 40 };
		expect(placeLabels([first, below], screen)).toEqual([AT, { dx: 0, dy: 40 }]);
		// With room for half that move only, nothing fits: hidden.
		expect(placeLabels([first, { ...below, room: 20 }], screen)).toEqual([AT, null]);
		// Without room given, as before: hidden.
		expect(placeLabels([first, { ...below, room: undefined }], screen)).toEqual([AT, null]);
	});

	it('keeps a moved label’s centre on the screen, and the moved box counts for those after it', () => {
		const first = { x: 100, y: 20, width: 60, height: 30 };
		// Moving up would leave the screen; down by the whole room fits.
		const second = { x: 100, y: 30, width: 60, height: 30, room: 36 };
		const third = { x: 100, y: 66, width: 60, height: 30 }; // where the second went
		expect(placeLabels([first, second, third], screen)).toEqual([AT, { dx: 0, dy: 36 }, null]);
	});
});
