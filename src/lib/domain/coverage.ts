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

/**
 * 4943 → "4,943"; 2.25 → "2.25"; 1234.5678 → "1,234.568": as `Intl.NumberFormat('zh-CN')` writes numbers
 * (thousands grouped by commas, at most `maxDecimals` decimals of the number's shortest decimal form, rounded
 * half away from zero), written out here: the first Intl formatter of a page loads the locale's data, about
 * 20 ms of the map page's first script on this machine (the profile of a returning visit), before the page can
 * hydrate. A zero stays unsigned.
 */
export function formatNumber(n: number, maxDecimals = 3): string {
	if (Number.isNaN(n)) return 'NaN';
	if (!Number.isFinite(n)) return n > 0 ? '∞' : '-∞';
	const [whole, decimals] = roundDecimal(Math.abs(n), maxDecimals);
	const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
	const text = decimals ? `${grouped}.${decimals}` : grouped;
	return n < 0 && text !== '0' ? `-${text}` : text;
}

/** A non-negative number's shortest decimal form rounded to `digits` decimals: [whole, decimals without trailing 0]. */
function roundDecimal(x: number, digits: number): [string, string] {
	const shortest = String(x);
	// Exponent forms: below 1e-6 (rounds to 0 at any digits shown here) or from 1e21 (no decimals).
	if (shortest.includes('e')) return x < 1 ? ['0', ''] : [BigInt(x).toString(), ''];
	const [whole, fraction = ''] = shortest.split('.');
	if (fraction.length <= digits) return [whole, fraction.replace(/0+$/, '')];
	let scaled = BigInt(whole + fraction.slice(0, digits));
	if (fraction[digits] >= '5') scaled += 1n;
	const text = scaled.toString().padStart(digits + 1, '0');
	const cut = text.length - digits;
	return [text.slice(0, cut), text.slice(cut).replace(/0+$/, '')];
}

/** 4943 → "4,943"; a missing or withheld count (null, anything not a number) → "—". */
export function formatCount(n: unknown): string {
	return typeof n === 'number' && Number.isFinite(n) ? formatNumber(n) : '—';
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
	return d > 0 ? `+${formatNumber(d)}` : d < 0 ? `−${formatNumber(-d)}` : '0';
}
