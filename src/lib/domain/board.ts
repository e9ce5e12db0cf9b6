/**
 * The board's view from its URL: which round (the current one unless chosen), buildings or the households not
 * re-screened, and for those the number of days and the day counted from. Parsing refuses anything malformed.
 *
 *   parseBoardView(new URLSearchParams('view=stale&days=7'), { first: '2026-11-23', last: '2026-11-29' }, rounds)
 *     → { round: 2, view: 'stale', days: 7, asOf: '2026-11-29' }
 */
import type { ResponsePeriod, Round } from './response';

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

/**
 * The round a screening recorded on `today` is filed under (as private.open_round_at): over the unit or above it,
 * `today` inside its dates and not closed; the narrowest, then the latest started. Null when none is open.
 */
export function openRoundOf(rounds: readonly Round[], today: string): Round | null {
	const open = rounds.filter((r) => r.starts_on <= today && today <= r.ends_on && !r.closed_at);
	open.sort(
		(a, b) =>
			(b.unit_code?.length ?? 0) - (a.unit_code?.length ?? 0) ||
			b.starts_on.localeCompare(a.starts_on) ||
			b.id - a.id
	);
	return open[0] ?? null;
}

export const STALE_DAY_CHOICES = [3, 7, 14, 30] as const;
export const DEFAULT_STALE_DAYS = 7;

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

/** The board's view of a response: `period.last` is the board's day (today while the response runs). */
export function parseBoardView(
	params: URLSearchParams,
	period: Pick<ResponsePeriod, 'first' | 'last'>,
	rounds: readonly Round[]
): BoardView | { error: BoardViewError } {
	const today = period.last;
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
	if (!isDay(asOf) || asOf < period.first || asOf > today) return { error: 'bad_date' };
	return { round, view, days, asOf };
}
