/**
 * Responses (应急响应) and the days a view may show. A response covers a unit from its first day to its last:
 * the day it ended, or today (Asia/Shanghai) while it runs. Every view takes its dates from the response it
 * shows; nothing here knows a date of its own.
 *
 *   periodOf({ started_on: '2026-12-02', ended_on: null, … }, '2026-12-08')  → { first: '2026-12-02', last: '2026-12-08' }
 *   parseDayIn('2026-12-05', period)                                         → '2026-12-05'
 *   chooseResponse(responses, '510502001006', null, '2026-12-08')             → the running drill over 510502
 */

export interface Response {
	id: number;
	unit_code: string;
	name: string;
	started_on: string;
	/** Null while the response runs. */
	ended_on: string | null;
	retention_days: number;
}

/** The days a response covers, as views use them. */
export interface ResponsePeriod {
	first: string;
	last: string;
	running: boolean;
}

/** A screening round as the app shows it. */
export interface Round {
	id: number;
	name: string;
	starts_on: string;
	ends_on: string;
	/** The unit the round covers (absent in hand-made fixtures: then it covers everything shown). */
	unit_code?: string;
	/** When it was closed before its last day. */
	closed_at?: string | null;
}

/** A round as the rounds screen manages it. */
export interface ManagedRound extends Round {
	response_id: number;
	unit_code: string;
	valid_days: number;
	closed_at: string | null;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // China Standard Time, no daylight saving

/** Today's date in China Standard Time (YYYY-MM-DD). */
export function todayInShanghai(now: number = Date.now()): string {
	return new Date(now + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** A well-formed calendar day (YYYY-MM-DD that exists), or null. */
export function parseDay(value: string | null | undefined): string | null {
	if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
	const d = new Date(`${value}T00:00:00Z`);
	if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return null;
	return value;
}

/** The day `days` after (or before) `day`: the next day by default. */
export function addDays(day: string, days = 1): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function isRunning(response: Pick<Response, 'ended_on'>): boolean {
	return response.ended_on === null;
}

/** First and last day of a response: the last is its end, or today while it runs (never after today). */
export function periodOf(response: Pick<Response, 'started_on' | 'ended_on'>, today: string): ResponsePeriod {
	const last = response.ended_on ?? today;
	return {
		first: response.started_on,
		last: last < today ? last : today,
		running: response.ended_on === null
	};
}

/** A day inside the period, or null (malformed, before its first day or after its last). */
export function parseDayIn(value: string | null | undefined, period: ResponsePeriod): string | null {
	const day = parseDay(value);
	return day !== null && day >= period.first && day <= period.last ? day : null;
}

/** Whether two unit codes nest (one is the other or lies below it). */
function nests(a: string, b: string): boolean {
	return a.startsWith(b) || b.startsWith(a);
}

/**
 * The response a view shows: the one the URL names (if the user may see it), else today's work for the user's
 * unit (a running response over it, above it, then below it, the latest first), else the one that ended last.
 * Null when the user's unit has none at all.
 */
export function chooseResponse(
	responses: readonly Response[],
	unit: string,
	requested: number | null
): Response | null {
	if (requested !== null) return responses.find((r) => r.id === requested) ?? null;
	const mine = responses.filter((r) => nests(unit, r.unit_code));
	const byStart = (a: Response, b: Response) => b.started_on.localeCompare(a.started_on) || b.id - a.id;
	const running = mine.filter(isRunning);
	const above = running.filter((r) => unit.startsWith(r.unit_code)).sort(byStart);
	const below = running.filter((r) => !unit.startsWith(r.unit_code)).sort(byStart);
	if (above.length || below.length) return above[0] ?? below[0];
	return (
		[...mine].sort((a, b) => (b.ended_on ?? '').localeCompare(a.ended_on ?? '') || byStart(a, b))[0] ?? null
	);
}

/** The `response` query parameter: a positive id, null when absent, or 'bad' when malformed. */
export function parseResponseParam(value: string | null): number | null | 'bad' {
	if (value === null || value === '') return null;
	return /^[1-9]\d{0,9}$/.test(value) ? Number(value) : 'bad';
}

export type RoundStatus = 'open' | 'upcoming' | 'closed';

/** Whether a round takes screenings today, will later, or no longer does. */
export function roundStatus(
	round: Pick<Round, 'starts_on' | 'ends_on' | 'closed_at'>,
	today: string
): RoundStatus {
	if (round.closed_at || round.ends_on < today) return 'closed';
	return round.starts_on > today ? 'upcoming' : 'open';
}
