/**
 * Where a map's HTML labels go, and which are shown: greedily, in the order given (the most important first), a
 * label goes at its anchor when its box, grown by `gap` pixels, overlaps none placed before it. If it would, and
 * its unit has room around the anchor (`room`: the radius in pixels of the largest circle inside the unit,
 * centred on the anchor), it is tried again moved by up to that radius in eight directions, nearest first: the
 * label's centre stays inside its unit. A label that fits nowhere is hidden. What MapLibre's collision and
 * variable anchors do for its own labels, for the few dozen unit names drawn as HTML.
 *
 *   placeLabels([{ x: 120, y: 80, width: 64, height: 34, room: 40 }, ...], { width: 986, height: 760 })
 *   // [{ dx: 0, dy: 0 }, { dx: 0, dy: -40 }, null, ...]
 */

/** A label's box in screen pixels: its anchor (the box's centre), its size and its unit's room around it. */
export interface LabelBox {
	x: number;
	y: number;
	width: number;
	height: number;
	room?: number;
}

/** Where a shown label's centre goes, relative to its anchor. */
export interface LabelOffset {
	dx: number;
	dy: number;
}

const DIRECTIONS: [number, number][] = [
	[0, -1],
	[0, 1],
	[-1, 0],
	[1, 0],
	[-Math.SQRT1_2, -Math.SQRT1_2],
	[Math.SQRT1_2, -Math.SQRT1_2],
	[-Math.SQRT1_2, Math.SQRT1_2],
	[Math.SQRT1_2, Math.SQRT1_2]
];

/** Moves tried around an anchor: none, then half the room and the whole room in each direction. */
function candidates(room: number): LabelOffset[] {
	const out: LabelOffset[] = [{ dx: 0, dy: 0 }];
	// Less than a few pixels of room moves nothing worth the try.
	if (!(room >= 4)) return out;
	for (const r of [room / 2, room])
		for (const [x, y] of DIRECTIONS) out.push({ dx: Math.round(x * r), dy: Math.round(y * r) });
	return out;
}

export function placeLabels(
	boxes: LabelBox[],
	viewport: { width: number; height: number },
	gap = 4
): (LabelOffset | null)[] {
	const shown: LabelBox[] = [];
	const clear = (b: LabelBox) =>
		shown.every(
			(s) =>
				Math.abs(s.x - b.x) * 2 >= s.width + b.width + 2 * gap ||
				Math.abs(s.y - b.y) * 2 >= s.height + b.height + 2 * gap
		);
	const onScreen = (x: number, y: number) => x >= 0 && x <= viewport.width && y >= 0 && y <= viewport.height;
	return boxes.map((b) => {
		if (!onScreen(b.x, b.y)) return null;
		for (const offset of candidates(b.room ?? 0)) {
			const moved = { ...b, x: b.x + offset.dx, y: b.y + offset.dy };
			if (!onScreen(moved.x, moved.y) || !clear(moved)) continue;
			shown.push(moved);
			return offset;
		}
		return null;
	});
}
