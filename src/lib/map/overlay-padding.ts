/**
 * The room a map leaves for what lies over it (a legend, the layer panel), as MapLibre's fitBounds padding: each
 * panel is kept clear on the side of the map it takes least room from, so the unit is fitted into the part left
 * visible. Pure: boxes in, padding out (CSS pixels).
 *
 *   overlayPadding({ width: 1000, height: 700 }, [{ left: 800, top: 10, right: 990, bottom: 260 }])
 *     → { top: 24, right: 224, bottom: 24, left: 24 }   (the panel at the top right: the unit keeps left of it)
 */
export interface Box {
	left: number;
	top: number;
	right: number;
	bottom: number;
}
export interface Padding {
	top: number;
	right: number;
	bottom: number;
	left: number;
}

/**
 * `size`: the map's; `overlays`: boxes relative to the map's top left corner (empty or outside ones are ignored);
 * `margin`: kept around the unit and beside each panel. The unit keeps at least `minShare` of each dimension.
 * `unit`: the unit's shape on screen (any scale; its proportions count): a panel is then kept clear on the side
 * that leaves the unit drawn largest (a tall unit loses nothing to a panel at its side), the least area lost
 * breaking ties.
 */
export function overlayPadding(
	size: { width: number; height: number },
	overlays: Box[],
	margin = 24,
	minShare = 0.35,
	unit?: { width: number; height: number }
): Padding {
	const { width: w, height: h } = size;
	const pad: Padding = { top: margin, right: margin, bottom: margin, left: margin };
	if (!(w > 0 && h > 0)) return pad;
	for (const o of overlays) {
		const box = {
			left: Math.max(0, o.left),
			top: Math.max(0, o.top),
			right: Math.min(w, o.right),
			bottom: Math.min(h, o.bottom)
		};
		if (box.right - box.left < 1 || box.bottom - box.top < 1) continue;
		// The map area each way of keeping clear of the panel gives up; the smallest wins.
		const ways: [keyof Padding, number, number][] = [
			['left', box.right + margin, (box.right + margin) * h],
			['right', w - box.left + margin, (w - box.left + margin) * h],
			['top', box.bottom + margin, (box.bottom + margin) * w],
			['bottom', h - box.top + margin, (h - box.top + margin) * w]
		];
		// How large the unit is drawn with each (the scale it is fitted at), when its shape is known.
		const scale = ([side, room]: [keyof Padding, number, number]) => {
			if (!unit || !(unit.width > 0 && unit.height > 0)) return 0;
			const p = { ...pad, [side]: Math.max(pad[side], room) };
			const inner = { width: w - p.left - p.right, height: h - p.top - p.bottom };
			if (inner.width <= 0 || inner.height <= 0) return 0;
			return Math.min(inner.width / unit.width, inner.height / unit.height);
		};
		const [side, room] = ways.reduce((best, way) => {
			const a = scale(way);
			const b = scale(best);
			return a > b + 1e-9 || (Math.abs(a - b) <= 1e-9 && way[2] < best[2]) ? way : best;
		});
		pad[side] = Math.max(pad[side], room);
	}
	// Never so much that the unit has no room: shrink both sides of a dimension alike.
	const fit = (a: keyof Padding, b: keyof Padding, total: number) => {
		const most = total * (1 - minShare);
		const sum = pad[a] + pad[b];
		if (sum > most) {
			pad[a] = Math.round((pad[a] * most) / sum);
			pad[b] = Math.round((pad[b] * most) / sum);
		}
	};
	fit('left', 'right', w);
	fit('top', 'bottom', h);
	return pad;
}
