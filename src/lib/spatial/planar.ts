import type { Position } from 'geojson';

/*
 * Small planar helpers on [x, y] positions, in whatever units the coordinates are in.
 */

/**
 * A position as an exact string key: two positions get the same key exactly when their x and y are equal.
 *
 * @example
 * positionKey([105.4, 28.85]); // '105.4,28.85'
 */
export function positionKey(p: Position): string {
	return `${p[0]},${p[1]}`;
}

/**
 * The squared distance from point (px, py) to the segment (ax, ay)-(bx, by). Takes numbers rather than
 * positions so that hot loops over projected coordinates allocate nothing.
 *
 * @example
 * pointSegmentDistanceSq(0, 1, -1, 0, 1, 0); // 1
 */
export function pointSegmentDistanceSq(
	px: number,
	py: number,
	ax: number,
	ay: number,
	bx: number,
	by: number
): number {
	const dx = bx - ax;
	const dy = by - ay;
	const lengthSq = dx * dx + dy * dy;
	const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSq));
	const x = ax + t * dx - px;
	const y = ay + t * dy - py;
	return x * x + y * y;
}
