/** polylabel ships no types: the pole of inaccessibility of a polygon (rings of [x, y]), within `precision`. */
declare module 'polylabel' {
	export default function polylabel(
		polygon: number[][][],
		precision?: number
	): [number, number] & { distance: number };
}
