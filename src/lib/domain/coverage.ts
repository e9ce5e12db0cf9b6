/**
 * Screening coverage classes for choropleths: a household denominator behind every percentage, the remaining
 * count beside it, and an explicit "no data" class (no households, or a cell withheld for privacy).
 */
export interface CoverageCell {
	households: number | null;
	screened: number | null;
	coverage: number | null;
}

export type CoverageClass = 'no_data' | 'lt50' | 'lt80' | 'lt95' | 'ge95';

/** Class breaks, lowest first, with the colours the map and the legend share (a sequential red-to-green ramp). */
export const COVERAGE_CLASSES: { id: Exclude<CoverageClass, 'no_data'>; min: number; color: string }[] = [
	{ id: 'lt50', min: 0, color: '#d7301f' },
	{ id: 'lt80', min: 0.5, color: '#fc8d59' },
	{ id: 'lt95', min: 0.8, color: '#fdd49e' },
	{ id: 'ge95', min: 0.95, color: '#1a9850' }
];
export const NO_DATA_COLOR = '#bdbdbd';

export function coverageClass(cell: CoverageCell): CoverageClass {
	if (cell.coverage === null || !Number.isFinite(cell.coverage) || !cell.households) return 'no_data';
	let found: CoverageClass = 'lt50';
	for (const c of COVERAGE_CLASSES) if (cell.coverage >= c.min) found = c.id;
	return found;
}

export function coverageColor(cell: CoverageCell): string {
	const id = coverageClass(cell);
	return COVERAGE_CLASSES.find((c) => c.id === id)?.color ?? NO_DATA_COLOR;
}

// One formatter for the app: toLocaleString with a locale builds a new one on every call, which on a page of
// tables (the charts' table alternatives) costs tens of milliseconds of a phone's main thread.
const NUMBER = new Intl.NumberFormat('zh-CN');

/** 4943 → "4,943"; 2.25 → "2.25" (at most three decimals). */
export function formatNumber(n: number): string {
	return NUMBER.format(n);
}

/** 4943 → "4,943"; a missing or withheld count (null, anything not a number) → "—". */
export function formatCount(n: unknown): string {
	return typeof n === 'number' && Number.isFinite(n) ? NUMBER.format(n) : '—';
}

/** 0.87654 → "87.7%"; null → "—". One decimal, never rounded up to 100% while households remain. */
export function formatPercent(share: number | null): string {
	if (share === null || !Number.isFinite(share)) return '—';
	const tenths = Math.floor(share * 1000) / 10;
	return `${tenths.toFixed(1)}%`;
}

export function remaining(cell: CoverageCell): number | null {
	if (cell.households === null || cell.screened === null) return null;
	return cell.households - cell.screened;
}

/** A unit's coverage as the roll-up gives it (the parent row of coverage_by_unit). */
export interface CoverageSummary extends CoverageCell {
	remaining: number | null;
	/** the same "screened" the day before */
	screened_prev: number | null;
	/** with coverage that expires: households whose coverage lapsed that day */
	lost: number | null;
	valid_days: number | null;
}

/** Change in screened households since the day before ("+12", "−3", "0"), or null when unknown. */
export function changeSinceYesterday(s: Pick<CoverageSummary, 'screened' | 'screened_prev'>): string | null {
	if (s.screened === null || s.screened_prev === null) return null;
	const d = s.screened - s.screened_prev;
	return d > 0 ? `+${NUMBER.format(d)}` : d < 0 ? `−${NUMBER.format(-d)}` : '0';
}
