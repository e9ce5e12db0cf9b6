/**
 * The leads (线索) workflow as the app offers it: the steps allowed from each status (the same pairs as
 * private.lead_transition_allowed, which refuses any other), when a lead is overdue, and what a report needs.
 *
 *   nextStatuses('verifying')  → ['assigned', 'dismissed']
 *   isOverdue({ status: 'new', deadline: '2020-03-10T00:00:00Z' }, Date.parse('2020-03-11'))  → true
 */
import { LEAD_STATUSES, OPEN_LEAD_STATUSES, type LeadStatus } from './map-features';

const TRANSITIONS: Record<LeadStatus, readonly LeadStatus[]> = {
	new: ['verifying', 'dismissed'],
	verifying: ['assigned', 'dismissed'],
	assigned: ['handled', 'verifying'],
	handled: ['closed', 'assigned'],
	closed: [],
	dismissed: []
};

/** Statuses a lead may move to from `status`, forward steps first. */
export function nextStatuses(status: LeadStatus): readonly LeadStatus[] {
	return TRANSITIONS[status] ?? [];
}

export function canMove(from: LeadStatus, to: LeadStatus): boolean {
	return nextStatuses(from).includes(to);
}

/** Open (new, verifying, assigned) and past its deadline: what escalates to the street commander. */
export function isOverdue(lead: { status: LeadStatus; deadline: string | null }, now: number): boolean {
	return (
		OPEN_LEAD_STATUSES.includes(lead.status) && lead.deadline !== null && Date.parse(lead.deadline) < now
	);
}

/** What the leads screen shows, its list and its map alike: open leads, overdue ones, or every lead. */
export type LeadFilter = 'open' | 'overdue' | 'all';

/** The leads a filter keeps, in their order. */
export function filterLeads<T extends { status: LeadStatus; overdue: boolean }>(
	rows: readonly T[],
	filter: LeadFilter
): T[] {
	if (filter === 'all') return [...rows];
	if (filter === 'overdue') return rows.filter((r) => r.overdue);
	return rows.filter((r) => OPEN_LEAD_STATUSES.includes(r.status));
}

/**
 * The statuses a map legend explains, in workflow order: those the filter can show, and the selected lead's
 * (drawn even when the filter leaves it out, so the lead being read is on the map).
 */
export function legendStatuses(filter: LeadFilter, selected: LeadStatus | null = null): LeadStatus[] {
	const shown: readonly LeadStatus[] = filter === 'all' ? LEAD_STATUSES : OPEN_LEAD_STATUSES;
	return LEAD_STATUSES.filter((s) => shown.includes(s) || s === selected);
}

export const LEAD_KINDS = [
	'travel_history',
	'symptoms',
	'gathering',
	'quarantine_breach',
	'supplies',
	'other'
] as const;
export type LeadKind = (typeof LEAD_KINDS)[number];

export const LEAD_SOURCES = ['phone', 'screening', 'volunteer', 'public', 'hotline'] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

/** Deadlines offered when reporting, in hours (48 h is what the demo's leads were given). */
export const DEADLINE_HOURS = [12, 24, 48, 72] as const;

export interface LeadReport {
	title: string;
	description: string;
	kind: LeadKind;
	source: LeadSource;
	lon: number;
	lat: number;
	deadline_hours: number;
}

export type LeadReportProblem = 'title' | 'description' | 'kind' | 'source' | 'place' | 'deadline';

/** What is wrong with a report from a form, in form order; empty when it may be stored. */
export function reportProblems(r: Partial<LeadReport>): LeadReportProblem[] {
	const problems: LeadReportProblem[] = [];
	const title = (r.title ?? '').trim();
	if (title.length < 1 || [...title].length > 120) problems.push('title');
	if ([...(r.description ?? '')].length > 2000) problems.push('description');
	if (!LEAD_KINDS.includes(r.kind as LeadKind)) problems.push('kind');
	if (!LEAD_SOURCES.includes(r.source as LeadSource)) problems.push('source');
	if (
		typeof r.lon !== 'number' ||
		typeof r.lat !== 'number' ||
		!Number.isFinite(r.lon) ||
		!Number.isFinite(r.lat) ||
		Math.abs(r.lon) > 180 ||
		Math.abs(r.lat) > 90
	)
		problems.push('place');
	if (!DEADLINE_HOURS.includes(r.deadline_hours as (typeof DEADLINE_HOURS)[number]))
		problems.push('deadline');
	return problems;
}
