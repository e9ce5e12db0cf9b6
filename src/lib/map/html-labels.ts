/**
 * Labels drawn as HTML over a MapLibre map, for the few dozen unit names of a choropleth: the browser sets them
 * in the page's own CJK font, crisp at any zoom, where a symbol layer would draw each Chinese character into
 * a signed-distance-field atlas on the main thread and compile a shader for it before the first frame (in this
 * machine's headless Chromium, about a sixth of the time to the first complete map). Each label is a MapLibre
 * Marker, so it moves with the map; each time the map comes to rest, one that would overlap a label before it
 * (the roomiest unit first) moves within its unit (by up to the radius of the largest circle inside it,
 * `roomMeters`), else it is hidden. They let clicks through to the map and are hidden from screen readers (the
 * unit table beside the map says the same).
 *
 *   const labels = attachHtmlLabels(map, Marker, 'unit-label');
 *   labels.set([{ id: '510502001006', at: [105.44, 28.89], lines: ['白招牌社区', '87.3%'] }]);
 *   labels.destroy();
 */
import type { Map as MapLibreMap, Marker } from 'maplibre-gl';
import { METRES_PER_DEGREE } from '$lib/spatial/metres';
import { placeLabels } from './label-placement';

export interface HtmlLabel {
	id: string;
	/** [lon, lat] of the label's centre */
	at: [number, number];
	/** one line each; the first is set in bold */
	lines: string[];
	/** how far the label may move from `at` and stay inside its unit (the radius of its largest inner circle) */
	roomMeters?: number;
}

export interface HtmlLabelsHandle {
	/** Shows these labels (in order of importance), updating the ones already shown in place. */
	set(labels: HtmlLabel[]): void;
	destroy(): void;
}

interface Shown {
	marker: Marker;
	element: HTMLElement;
	text: string;
	at: [number, number];
	roomMeters: number;
	width: number;
	height: number;
}

export function attachHtmlLabels(
	map: MapLibreMap,
	MarkerClass: typeof Marker,
	className: string
): HtmlLabelsHandle {
	const shown = new Map<string, Shown>();
	let order: string[] = [];

	function place() {
		const canvas = map.getCanvas();
		const viewport = { width: canvas.clientWidth, height: canvas.clientHeight };
		const items = order.map((id) => shown.get(id)!);
		const boxes = items.map((s) => {
			const p = map.project(s.at);
			// The room in pixels at this zoom: the anchor to a point that many metres north of it.
			const north = map.project([s.at[0], s.at[1] + s.roomMeters / METRES_PER_DEGREE]);
			return {
				x: p.x,
				y: p.y,
				width: s.width,
				height: s.height,
				room: Math.hypot(north.x - p.x, north.y - p.y)
			};
		});
		placeLabels(boxes, viewport).forEach((offset, i) => {
			items[i].element.style.visibility = offset ? '' : 'hidden';
			items[i].marker.setOffset(offset ? [offset.dx, offset.dy] : [0, 0]);
		});
	}

	function set(labels: HtmlLabel[]) {
		const next = new Set(labels.map((l) => l.id));
		for (const [id, s] of shown) {
			if (!next.has(id)) {
				s.marker.remove();
				shown.delete(id);
			}
		}
		const measure: Shown[] = [];
		for (const label of labels) {
			const text = label.lines.join('\n');
			let s = shown.get(label.id);
			if (!s) {
				const element = document.createElement('div');
				element.className = className;
				element.setAttribute('aria-hidden', 'true');
				element.dataset.id = label.id;
				const marker = new MarkerClass({ element, anchor: 'center' }).setLngLat(label.at).addTo(map);
				s = { marker, element, text: '', at: label.at, roomMeters: 0, width: 0, height: 0 };
				shown.set(label.id, s);
			}
			s.roomMeters = label.roomMeters ?? 0;
			if (s.at[0] !== label.at[0] || s.at[1] !== label.at[1]) {
				s.at = label.at;
				s.marker.setLngLat(label.at);
			}
			if (s.text !== text) {
				s.text = text;
				s.element.replaceChildren(
					...label.lines.map((line, i) => {
						const span = document.createElement(i === 0 ? 'strong' : 'span');
						span.textContent = line;
						return span;
					})
				);
				measure.push(s);
			}
		}
		// All sizes read after all writes: one layout, not one per label.
		for (const s of measure) {
			s.width = s.element.offsetWidth;
			s.height = s.element.offsetHeight;
		}
		order = labels.map((l) => l.id);
		place();
	}

	map.on('moveend', place);
	map.on('resize', place);

	return {
		set,
		destroy() {
			map.off('moveend', place);
			map.off('resize', place);
			for (const s of shown.values()) s.marker.remove();
			shown.clear();
		}
	};
}
