/**
 * The state of a map view that a shared link must reopen: unit (in the path), date, round, time of day and the
 * layers switched on (in the query). Parsing refuses anything malformed rather than guessing.
 *
 * The dates come from the response the view shows (its period): a view opens on the period's last day.
 *
 *   parseView(url.searchParams, '510502001', period)  → { date: '2026-12-08', round: null, time: '10:00', layers: [...] }
 *   viewHref('510502001006', view)                    → '/map/510502001006?date=2026-12-08&layers=units,buildings'
 */
import { parseDayIn, type ResponsePeriod } from './response';
import { levelOfCode, type UnitLevel } from './units';

export const LAYER_IDS = [
	'units',
	'grids',
	'buildings',
	'markets',
	'checkpoints',
	'volunteers',
	'leads',
	'special',
	'heat'
] as const;
export type LayerId = (typeof LAYER_IDS)[number];

/** Levels at which a layer is offered: grids inside districts and streets, buildings from the street down. */
const LAYER_LEVELS: Record<LayerId, readonly UnitLevel[]> = {
	units: ['city', 'district', 'street', 'community', 'grid'],
	grids: ['district', 'street'],
	buildings: ['street', 'community', 'grid'],
	markets: ['city', 'district', 'street', 'community', 'grid'],
	checkpoints: ['city', 'district', 'street', 'community', 'grid'],
	volunteers: ['city', 'district', 'street', 'community', 'grid'],
	leads: ['city', 'district', 'street', 'community', 'grid'],
	special: ['district', 'street', 'community', 'grid'],
	heat: ['city', 'district', 'street', 'community', 'grid']
};

/** What a first visit shows: the coverage of the children, plus what the level's users work with. */
const DEFAULT_LAYERS: Record<UnitLevel, readonly LayerId[]> = {
	city: ['units'],
	district: ['units'],
	street: ['units', 'checkpoints'],
	community: ['units', 'buildings'],
	grid: ['units', 'buildings']
};

export const DEFAULT_TIME = '10:00';

/** Offline light and dark basemaps, and an online one where the deployment configured it. */
export const BASEMAP_IDS = ['light', 'dark', 'online'] as const;
export type BasemapId = (typeof BASEMAP_IDS)[number];

export interface View {
	/** The response shown, when the URL names it (null: the user's default response). */
	response: number | null;
	date: string;
	/** A screening round chosen by the user; null follows the round current on `date`. */
	round: number | null;
	/** Time of day (Asia/Shanghai) for "on duty now" layers, HH:MM. */
	time: string;
	layers: LayerId[];
	basemap: BasemapId;
	/** Coverage that expires: a household counts only if screened within this many days; null counts the round. */
	valid: number | null;
}

export function isLayerId(value: string): value is LayerId {
	return (LAYER_IDS as readonly string[]).includes(value);
}

export function layersAvailable(code: string): LayerId[] {
	const level = levelOfCode(code);
	if (!level) return [];
	return LAYER_IDS.filter((id) => LAYER_LEVELS[id].includes(level));
}

export function defaultLayers(code: string): LayerId[] {
	const level = levelOfCode(code);
	return level ? [...DEFAULT_LAYERS[level]] : [];
}

export type ViewError = 'bad_date' | 'bad_round' | 'bad_time' | 'bad_layers' | 'bad_basemap' | 'bad_valid';

/** Windows offered for coverage that expires (days). */
export const VALID_DAYS = [7, 14, 28] as const;

/**
 * Reads a view from a URL's query. Layers not offered at this unit's level are dropped (a link shared from a
 * street keeps working on a district); unknown layer names are an error.
 */
export function parseView(
	params: URLSearchParams,
	code: string,
	period: ResponsePeriod,
	response: number | null = null
): View | { error: ViewError } {
	const dateParam = params.get('date');
	const date = dateParam === null ? period.last : parseDayIn(dateParam, period);
	if (date === null) return { error: 'bad_date' };

	const roundParam = params.get('round');
	let round: number | null = null;
	if (roundParam !== null && roundParam !== '') {
		if (!/^[1-9]\d{0,5}$/.test(roundParam)) return { error: 'bad_round' };
		round = Number(roundParam);
	}

	const time = params.get('time') ?? DEFAULT_TIME;
	if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return { error: 'bad_time' };

	const layersParam = params.get('layers');
	let layers: LayerId[];
	if (layersParam === null) layers = defaultLayers(code);
	else {
		const names = layersParam === '' ? [] : layersParam.split(',');
		if (!names.every(isLayerId)) return { error: 'bad_layers' };
		const offered = layersAvailable(code);
		layers = LAYER_IDS.filter((id) => names.includes(id) && offered.includes(id));
	}
	const basemap = params.get('basemap') ?? 'light';
	if (!(BASEMAP_IDS as readonly string[]).includes(basemap)) return { error: 'bad_basemap' };

	const validParam = params.get('valid');
	let valid: number | null = null;
	if (validParam !== null && validParam !== '') {
		if (!/^[1-9]\d?$/.test(validParam) || Number(validParam) > 60) return { error: 'bad_valid' };
		valid = Number(validParam);
	}
	return { response, date, round, time, layers, basemap: basemap as BasemapId, valid };
}

/** The link to a unit with a view; defaults are left out so links stay short. */
export function viewHref(code: string, view: Partial<View>): string {
	const q = new URLSearchParams();
	if (view.response) q.set('response', String(view.response));
	if (view.date) q.set('date', view.date);
	if (view.round !== null && view.round !== undefined) q.set('round', String(view.round));
	if (view.time && view.time !== DEFAULT_TIME) q.set('time', view.time);
	if (view.layers) q.set('layers', view.layers.join(','));
	if (view.basemap && view.basemap !== 'light') q.set('basemap', view.basemap);
	if (view.valid) q.set('valid', String(view.valid));
	const query = q.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
	return query ? `/map/${code}?${query}` : `/map/${code}`;
}

/** The moment `time` on `date` in China Standard Time (UTC+8, no daylight saving), as an ISO string. */
export function momentOf(date: string, time: string): string {
	return `${date}T${time}:00+08:00`;
}

/** Every day of the response, first to last, for the timeline. */
export function responseDays({ first: start, last: end }: Pick<ResponsePeriod, 'first' | 'last'>): string[] {
	const days: string[] = [];
	const last = Date.parse(`${end}T00:00:00Z`);
	for (let t = Date.parse(`${start}T00:00:00Z`); t <= last; t += 86_400_000)
		days.push(new Date(t).toISOString().slice(0, 10));
	return days;
}

/** Where a layer's data is fetched for a view (the layer endpoint of the map route). */
export function layerHref(
	code: string,
	layer: LayerId,
	view: Pick<View, 'date' | 'time' | 'round'> & Partial<Pick<View, 'response'>>
): string {
	const q = new URLSearchParams();
	if (view.response) q.set('response', String(view.response));
	q.set('date', view.date);
	q.set('time', view.time);
	if (view.round !== null) q.set('round', String(view.round));
	return `/map/${code}/layers/${layer}?${q.toString().replace(/%3A/g, ':')}`;
}
