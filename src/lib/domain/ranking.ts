/**
 * The lagging-units ranking of the leaders' overview: which levels a unit can be ranked at, the ranking's query
 * (level, date, "coverage expires after N days"), and a ranked row as public.lagging_units returns it.
 *
 *   parseRanking(new URLSearchParams('level=street&valid=14'), '5105', period)
 *     → { date: period.last, level: 'street', validDays: 14 }
 */
import { parseDayIn, type ResponsePeriod } from './response';
import { LEVEL_CODE_LENGTH, levelOfCode, type UnitLevel } from './units';

export interface LaggingUnit {
	rank: number;
	code: string;
	name: string;
	parent_name: string | null;
	households: number;
	/** Share of households covered on the day (0–1), and its change since the day before (a share too). */
	coverage: number;
	change: number;
	overdue_leads: number;
	understaffed_checkpoints: number;
}

export interface RankingQuery {
	date: string;
	/** Null for a grid, which has nothing below it to rank. */
	level: UnitLevel | null;
	/** A household counts as covered only if screened within this many days; null: reached in the round. */
	validDays: number | null;
}

export type RankingError = 'bad_date' | 'bad_level' | 'bad_valid_days';

/**
 * Levels a unit's descendants can be ranked at: the next two levels down (a city ranks its districts, streets
 * or communities; a community its grids). Grids are ranked only inside a street or community, where they are
 * few enough to read.
 */
export function rankingLevels(code: string): UnitLevel[] {
	const level = levelOfCode(code);
	if (!level) return [];
	const below = (Object.keys(LEVEL_CODE_LENGTH) as UnitLevel[]).filter(
		(l) => LEVEL_CODE_LENGTH[l] > code.length
	);
	return below.filter((l) => l !== 'grid' || code.length >= LEVEL_CODE_LENGTH.street).slice(0, 3);
}

/** The level ranked when none is asked for: communities, where the work is done; grids inside a community. */
export function defaultRankingLevel(code: string): UnitLevel | null {
	const levels = rankingLevels(code);
	if (levels.includes('community')) return 'community';
	return levels[0] ?? null;
}

export function parseRanking(
	params: URLSearchParams,
	code: string,
	period: ResponsePeriod
): RankingQuery | { error: RankingError } {
	const dateParam = params.get('date');
	const date = dateParam === null || dateParam === '' ? period.last : parseDayIn(dateParam, period);
	if (date === null) return { error: 'bad_date' };

	const levelParam = params.get('level');
	const level = levelParam === null || levelParam === '' ? defaultRankingLevel(code) : levelParam;
	if (level !== null && !(rankingLevels(code) as string[]).includes(level)) return { error: 'bad_level' };

	const validParam = params.get('valid');
	let validDays: number | null = null;
	if (validParam !== null && validParam !== '') {
		if (!/^\d{1,2}$/.test(validParam)) return { error: 'bad_valid_days' };
		validDays = Number(validParam);
		if (validDays < 1 || validDays > 60) return { error: 'bad_valid_days' };
	}
	return { date, level: level as UnitLevel | null, validDays };
}

/** The overview of a unit with a ranking query; defaults are left out so links stay short. */
export function overviewHref(code: string, q: Partial<RankingQuery> & { response?: number | null }): string {
	const params = new URLSearchParams();
	if (q.response) params.set('response', String(q.response));
	if (q.date) params.set('date', q.date);
	if (q.level && q.level !== defaultRankingLevel(code)) params.set('level', q.level);
	if (q.validDays) params.set('valid', String(q.validDays));
	const query = params.toString();
	return query ? `/overview/${code}?${query}` : `/overview/${code}`;
}
