/**
 * The board's view from its URL: which round (the current one unless chosen), buildings or the households not
 * re-screened, and for those the number of days and the day counted from. Parsing refuses anything malformed.
 *
 *   parseBoardView(new URLSearchParams('view=stale&days=7'), '2026-11-29', rounds)
 *     → { round: 2, view: 'stale', days: 7, asOf: '2026-11-29' }
 */
import type { Round } from './response';

/** The round current on a day: the latest that has started by then (as private.round_on). */
export function currentRound(rounds: readonly Round[], day: string): Round | null {
	let found: Round | null = null;
	for (const r of rounds)
		if (
			r.starts_on <= day &&
			(!found || r.starts_on > found.starts_on || (r.starts_on === found.starts_on && r.id > found.id))
		)
			found = r;
	return found;
}

export const STALE_DAY_CHOICES = [3, 7, 14, 30] as const;
export const DEFAULT_STALE_DAYS = 7;
/** The earliest day the list may be counted from: the start of the response. */
export const EARLIEST_DAY = '2020-01-24';

export interface BoardView {
	/** The round shown (null only when no round has started). */
	round: number | null;
	view: 'buildings' | 'stale';
	days: number;
	asOf: string;
}

export type BoardViewError = 'bad_round' | 'bad_view' | 'bad_days' | 'bad_date';

function isDay(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const d = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function parseBoardView(
	params: URLSearchParams,
	today: string,
	rounds: readonly Round[]
): BoardView | { error: BoardViewError } {
	let round = currentRound(rounds, today)?.id ?? null;
	const roundParam = params.get('round');
	if (roundParam !== null && roundParam !== '') {
		const chosen = rounds.find((r) => String(r.id) === roundParam && r.starts_on <= today);
		if (!chosen) return { error: 'bad_round' };
		round = chosen.id;
	}
	const view = params.get('view') ?? 'buildings';
	if (view !== 'buildings' && view !== 'stale') return { error: 'bad_view' };
	const daysParam = params.get('days');
	let days = DEFAULT_STALE_DAYS;
	if (daysParam !== null && daysParam !== '') {
		if (!/^\d{1,2}$/.test(daysParam) || Number(daysParam) < 1 || Number(daysParam) > 60)
			return { error: 'bad_days' };
		days = Number(daysParam);
	}
	const asOf = params.get('as_of') || today;
	if (!isDay(asOf) || asOf < EARLIEST_DAY || asOf > today) return { error: 'bad_date' };
	return { round, view, days, asOf };
}
