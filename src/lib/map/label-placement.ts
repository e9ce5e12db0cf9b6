/**
 * Which of a map's HTML labels to show: greedily, in the order given (the most important first), a label is
 * shown when its anchor is on the screen and its box, grown by `gap` pixels, overlaps none shown before it.
 * What MapLibre's collision does for its own labels, for the few dozen unit names drawn as HTML.
 *
 *   placeLabels([{ x: 120, y: 80, width: 64, height: 34 }, ...], { width: 986, height: 760 }) // [true, false, ...]
 */

/** A label's box in screen pixels: its anchor (the box's centre) and its size. */
export interface LabelBox {
	x: number;
	y: number;
	width: number;
	height: number;
}

export function placeLabels(
	boxes: LabelBox[],
	viewport: { width: number; height: number },
	gap = 4
): boolean[] {
	const shown: LabelBox[] = [];
	return boxes.map((b) => {
		if (!(b.x >= 0 && b.x <= viewport.width && b.y >= 0 && b.y <= viewport.height)) return false;
		const clear = shown.every(
			(s) =>
				Math.abs(s.x - b.x) * 2 >= s.width + b.width + 2 * gap ||
				Math.abs(s.y - b.y) * 2 >= s.height + b.height + 2 * gap
		);
		if (clear) shown.push(b);
		return clear;
	});
}
