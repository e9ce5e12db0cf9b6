/**
 * Screening on the board: what a household's status is in a round, what a building's is, and what a submission
 * must hold. The rules are the database's (public.board_buildings, public.map_buildings), written once more
 * here so the board can show a household's status at once, including entries still waiting in the phone's
 * queue, without a round trip.
 *
 *   householdStatus([{ outcome: 'unreachable', ... }, { outcome: 'normal', method: 'phone', ... }])  → 'phone'
 *   buildingStatus({ not_started: 3, door: 20, phone: 21, unreachable: 0, flagged: 0 })           → 'phone'
 */
export const METHODS = ['door', 'phone'] as const;
export type Method = (typeof METHODS)[number];

/** normal: nobody with symptoms or exposure; unreachable: nobody answered; flagged: see the flags. */
export const OUTCOMES = ['normal', 'unreachable', 'flagged'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const FLAGS = ['fever', 'cough', 'travel_history', 'close_contact', 'home_isolation'] as const;
export type Flag = (typeof FLAGS)[number];

/** A household's status in a round, as the map colours it. */
export type HouseholdStatus = 'not_started' | 'unreachable' | 'door' | 'phone' | 'flagged';

/**
 * One screening of a household in the round (newest first or in any order). `outcome` is null when the reader
 * may not see it (a volunteer reading another worker's screening that reached the household): it counts as
 * reached, never as flagged.
 */
export interface ScreeningEntry {
	at: string;
	method: Method;
	outcome: Outcome | null;
}

/**
 * flagged if any screening flagged the household; else door or phone, by how it was last reached; else
 * unreachable if it was tried; else not_started.
 */
export function householdStatus(screenings: readonly ScreeningEntry[]): HouseholdStatus {
	if (screenings.some((s) => s.outcome === 'flagged')) return 'flagged';
	let lastReached: ScreeningEntry | undefined;
	for (const s of screenings)
		if (s.outcome !== 'unreachable' && (!lastReached || Date.parse(s.at) > Date.parse(lastReached.at)))
			lastReached = s;
	if (lastReached) return lastReached.method;
	return screenings.length > 0 ? 'unreachable' : 'not_started';
}

export type StatusCounts = Record<HouseholdStatus, number>;

export function tally(statuses: Iterable<HouseholdStatus>): StatusCounts {
	const counts: StatusCounts = { not_started: 0, unreachable: 0, door: 0, phone: 0, flagged: 0 };
	for (const s of statuses) counts[s]++;
	return counts;
}

/** Ties go to the status that needs work first. */
const TIE_ORDER: readonly Exclude<HouseholdStatus, 'flagged'>[] = [
	'not_started',
	'unreachable',
	'door',
	'phone'
];

/** A building's status: flagged if any household is, else its households' most common status. */
export function buildingStatus(counts: StatusCounts): HouseholdStatus | 'no_households' {
	const total = Object.values(counts).reduce((a, b) => a + b, 0);
	if (total === 0) return 'no_households';
	if (counts.flagged > 0) return 'flagged';
	let best = TIE_ORDER[0];
	for (const s of TIE_ORDER) if (counts[s] > counts[best]) best = s;
	return best;
}

/** Households reached (door, phone or flagged): what coverage counts. */
export function reached(counts: StatusCounts): number {
	return counts.door + counts.phone + counts.flagged;
}

/** A screening as the phone submits it: its own key makes a retry or a replay land once. */
export interface ScreeningSubmission {
	key: string;
	household_id: number;
	round_id: number;
	method: Method;
	outcome: Outcome;
	flags: Flag[];
	note: string;
	/** When the worker recorded it (an ISO instant), not when it reached the server. */
	screened_at: string;
}

export type SubmissionProblem =
	| 'key'
	| 'household'
	| 'round'
	| 'method'
	| 'outcome'
	| 'flags_missing'
	| 'flags_unexpected'
	| 'flag'
	| 'note_too_long'
	| 'time';

/**
 * A new submission key: a random (version 4) UUID. From getRandomValues rather than crypto.randomUUID, which
 * browsers offer only on HTTPS or localhost, and a phone may reach the app over a plain LAN address.
 */
export function newSubmissionKey(
	fill: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (b) => crypto.getRandomValues(b)
): string {
	const b = fill(new Uint8Array(16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const isPositiveInteger = (n: unknown): n is number =>
	typeof n === 'number' && Number.isSafeInteger(n) && n > 0;

/**
 * The problems of a submission, in the order a form shows them; empty when it may be sent. The database
 * checks the same (flags exactly when flagged, note length) and more (scope, round, time window).
 */
export function submissionProblems(s: Partial<ScreeningSubmission>): SubmissionProblem[] {
	const problems: SubmissionProblem[] = [];
	if (typeof s.key !== 'string' || !UUID.test(s.key)) problems.push('key');
	if (!isPositiveInteger(s.household_id)) problems.push('household');
	if (!isPositiveInteger(s.round_id)) problems.push('round');
	if (!METHODS.includes(s.method as Method)) problems.push('method');
	if (!OUTCOMES.includes(s.outcome as Outcome)) problems.push('outcome');
	const flags = Array.isArray(s.flags) ? s.flags : [];
	if (!flags.every((f) => FLAGS.includes(f))) problems.push('flag');
	if (s.outcome === 'flagged' && flags.length === 0) problems.push('flags_missing');
	if (s.outcome !== 'flagged' && flags.length > 0) problems.push('flags_unexpected');
	if (typeof s.note === 'string' && [...s.note].length > 500) problems.push('note_too_long');
	if (typeof s.screened_at !== 'string' || Number.isNaN(Date.parse(s.screened_at))) problems.push('time');
	return problems;
}

/** A submission from untrusted JSON (the sync endpoint's body), or the list of what is wrong with it. */
export function parseSubmission(body: unknown): ScreeningSubmission | { problems: SubmissionProblem[] } {
	const o = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
	const candidate: Partial<ScreeningSubmission> = {
		key: typeof o.key === 'string' ? o.key : undefined,
		household_id: typeof o.household_id === 'number' ? o.household_id : undefined,
		round_id: typeof o.round_id === 'number' ? o.round_id : undefined,
		method: o.method as Method,
		outcome: o.outcome as Outcome,
		flags: Array.isArray(o.flags) ? (o.flags as Flag[]) : [],
		note: typeof o.note === 'string' ? o.note.trim() : '',
		screened_at: typeof o.screened_at === 'string' ? o.screened_at : undefined
	};
	const problems = submissionProblems(candidate);
	return problems.length > 0 ? { problems } : (candidate as ScreeningSubmission);
}
