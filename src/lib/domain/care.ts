/**
 * Special groups and service requests: the registry's vocabularies (the database's CHECK lists), the phone and
 * ID-number checks the forms run before the database runs its own, and when a request is overdue.
 *
 *   isValidIdNumber('11010519491231002X')  → true (GB 11643-1999 check character)
 *   isRequestOverdue({ status: 'open', due_at: '2020-03-01T00:00:00Z' }, Date.now())  → true
 */
export const SPECIAL_GROUPS = [
	'elderly_alone',
	'disabled',
	'severely_disabled',
	'home_isolated',
	'pregnant',
	'chronic_illness',
	'low_income',
	'left_behind_child'
] as const;
export type SpecialGroup = (typeof SPECIAL_GROUPS)[number];

export const NEEDS = [
	'food',
	'medicine',
	'medical_visit',
	'counselling',
	'supplies',
	'daily_call',
	'transport'
] as const;
export type Need = (typeof NEEDS)[number];

export const REQUEST_KINDS = [
	'food',
	'medicine',
	'medical_visit',
	'counselling',
	'supplies',
	'transport',
	'other'
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const REQUEST_STATUSES = ['open', 'assigned', 'in_progress', 'done', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Where a request may go from each status (the app's buttons; the database keeps done_at in step). */
const REQUEST_NEXT: Record<RequestStatus, readonly RequestStatus[]> = {
	open: ['assigned', 'cancelled'],
	assigned: ['in_progress', 'done', 'cancelled'],
	in_progress: ['done', 'cancelled'],
	done: [],
	cancelled: []
};

export function nextRequestStatuses(status: RequestStatus): readonly RequestStatus[] {
	return REQUEST_NEXT[status] ?? [];
}

/** Not done or cancelled, and past its due time. */
export function isRequestOverdue(r: { status: RequestStatus; due_at: string | null }, now: number): boolean {
	return r.status !== 'done' && r.status !== 'cancelled' && r.due_at !== null && Date.parse(r.due_at) < now;
}

/** Mainland mobile (13812345678) or landline with area code (0830-1234567), as private.is_valid_phone. */
export function isValidPhone(p: string): boolean {
	return /^1[3-9][0-9]{9}$/.test(p) || /^0[0-9]{2,3}-?[0-9]{7,8}$/.test(p);
}

/** The check character of an ID number's first 17 digits (GB 11643-1999, ISO 7064 MOD 11-2). */
export function idNumberCheckChar(first17: string): string {
	if (!/^[0-9]{17}$/.test(first17)) throw new Error('an ID number starts with 17 digits');
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
	return '10X98765432'[sum % 11];
}

/** GB 11643-1999: 17 digits and a check character (ISO 7064 MOD 11-2), as private.is_valid_id_number. */
export function isValidIdNumber(n: string): boolean {
	return /^[0-9]{17}[0-9X]$/.test(n) && idNumberCheckChar(n.slice(0, 17)) === n[17];
}

export interface ResidentInput {
	household_id: number;
	name: string;
	gender: 'female' | 'male' | null;
	birth_year: number | null;
	id_number: string | null;
	phone: string | null;
	special_groups: SpecialGroup[];
	needs: Need[];
	isolation_until: string | null;
	note: string | null;
}

export type ResidentProblem =
	| 'household'
	| 'name'
	| 'birth_year'
	| 'id_number'
	| 'phone'
	| 'groups'
	| 'needs'
	| 'isolation_until'
	| 'note';

/** What is wrong with a resident from the form, in form order; empty when it may be stored. */
export function residentProblems(r: ResidentInput, thisYear: number): ResidentProblem[] {
	const problems: ResidentProblem[] = [];
	if (!Number.isSafeInteger(r.household_id) || r.household_id <= 0) problems.push('household');
	if (r.name.trim().length < 1 || [...r.name.trim()].length > 40) problems.push('name');
	if (
		r.birth_year !== null &&
		(!Number.isInteger(r.birth_year) || r.birth_year < 1900 || r.birth_year > thisYear)
	)
		problems.push('birth_year');
	if (r.id_number !== null && !isValidIdNumber(r.id_number)) problems.push('id_number');
	if (r.phone !== null && !isValidPhone(r.phone)) problems.push('phone');
	if (r.special_groups.length === 0 || !r.special_groups.every((g) => SPECIAL_GROUPS.includes(g)))
		problems.push('groups');
	if (!r.needs.every((n) => NEEDS.includes(n))) problems.push('needs');
	if (r.isolation_until !== null && !/^\d{4}-\d{2}-\d{2}$/.test(r.isolation_until))
		problems.push('isolation_until');
	if (r.note !== null && [...r.note].length > 500) problems.push('note');
	return problems;
}

/** How many residents the registry's list shows at once. */
export const REGISTRY_PAGE_SIZE = 50;

/** What the registry's list is searched by: a resident's name, place (community, building, room) and groups. */
export interface RegistrySearch {
	/** Words, each of which must be found in the name or the place; empty: everyone. */
	query: string;
	group: SpecialGroup | null;
}

/** Reads the list's search from a page address (`q`, `group`); an unknown group is no filter. */
export function parseRegistrySearch(params: URLSearchParams): RegistrySearch {
	const query = (params.get('q') ?? '').trim().slice(0, 100);
	const group = params.get('group');
	return { query, group: SPECIAL_GROUPS.includes(group as SpecialGroup) ? (group as SpecialGroup) : null };
}

/** Whether a resident matches: every word of the query in the name or the place, and in the group if one is asked. */
export function residentMatches(
	r: { name: string; place: string; special_groups: readonly string[] },
	search: RegistrySearch
): boolean {
	if (search.group && !r.special_groups.includes(search.group)) return false;
	const words = search.query.split(/\s+/).filter(Boolean);
	const haystack = `${r.name} ${r.place}`;
	return words.every((w) => haystack.includes(w));
}

/**
 * One page of a list: `page` counted from 1, clamped to the pages there are (a list of none has one, empty).
 *
 *   pageOf(120, 3, 50) → { page: 3, pages: 3, from: 100, to: 120 }
 */
export function pageOf(
	total: number,
	page: number,
	size = REGISTRY_PAGE_SIZE
): { page: number; pages: number; from: number; to: number } {
	const pages = Math.max(1, Math.ceil(total / size));
	const p = Math.min(Math.max(1, Number.isSafeInteger(page) ? page : 1), pages);
	return { page: p, pages, from: (p - 1) * size, to: Math.min(total, p * size) };
}
