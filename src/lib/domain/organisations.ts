/**
 * The "three-social linkage" force of a unit as public.organisation_overview returns it (migration
 * 20261129001400), and the charts drawn from it. As in ./dashboard.ts, every chart is a Chart.js configuration
 * and its table from one function, so the two cannot drift apart. Counts of volunteers may be null (1–2
 * withheld from aggregate-only viewers).
 */
import type { ChartSpec } from './dashboard';

export const INCUBATION_LEVELS = ['city', 'district', 'street', 'community'] as const;
export type IncubationLevel = (typeof INCUBATION_LEVELS)[number];

export const ORGANISATION_KINDS = [
	'social_organisation',
	'volunteer_group',
	'mass_team',
	'professional',
	'college'
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const VOLUNTEER_KINDS = [
	'volunteer',
	'party_member',
	'grid_worker',
	'social_worker',
	'medical'
] as const;
export type VolunteerKind = (typeof VOLUNTEER_KINDS)[number];

export interface LevelRow {
	level: IncubationLevel;
	organisations: number;
	kinds: Partial<Record<OrganisationKind, number>>;
	teams: number;
	volunteers: number | null;
	hours: number;
}

export interface SeriesPoint {
	day: string;
	/** Teams formed and volunteers joined up to this day. */
	teams: number;
	volunteers: number | null;
	/** Hours served on shifts begun this day, and the volunteers who served them. */
	hours: number;
	serving: number | null;
}

export interface TopOrganisation {
	id: number;
	name: string;
	level: IncubationLevel;
	kind: OrganisationKind;
	volunteers: number | null;
	shifts: number;
	hours: number;
}

export interface OrganisationOverview {
	unit: string;
	as_of: string;
	start: string;
	suppressed: boolean;
	totals: {
		organisations: number;
		teams: number;
		volunteers: number | null;
		volunteers_served: number | null;
		shifts: number;
		hours: number;
	};
	levels: LevelRow[];
	volunteers_by_kind: Partial<Record<VolunteerKind, number | null>>;
	series: SeriesPoint[];
	top_organisations: TopOrganisation[];
}

/** Words the charts need, in the user's language. */
export interface OrganisationLabels {
	level: (l: IncubationLevel) => string;
	kind: (k: OrganisationKind) => string;
	volunteerKind: (k: VolunteerKind) => string;
	platform: string;
	organisations: string;
	teams: string;
	volunteers: string;
	hours: string;
	share: string;
	serving: string;
	shifts: string;
	day: string;
	organisation: string;
	kindTitle: string;
	total: string;
}

const KIND_COLORS: Record<OrganisationKind, string> = {
	social_organisation: '#2b83ba',
	volunteer_group: '#1a9850',
	mass_team: '#fdae61',
	professional: '#7b1fa2',
	college: '#d7191c'
};

const shortDay = (day: string) => day.slice(5);
const num = (v: number | null | undefined): number | string => (v === null || v === undefined ? '—' : v);

/** Organisations on each incubation platform, stacked by kind; only kinds present are drawn. */
export function organisationsByLevelChart(o: OrganisationOverview, l: OrganisationLabels): ChartSpec {
	const kinds = ORGANISATION_KINDS.filter((k) => o.levels.some((row) => (row.kinds[k] ?? 0) > 0));
	return {
		type: 'bar',
		stacked: true,
		labels: o.levels.map((row) => l.level(row.level)),
		datasets: kinds.map((k) => ({
			label: l.kind(k),
			data: o.levels.map((row) => row.kinds[k] ?? 0),
			backgroundColor: KIND_COLORS[k],
			stack: 'kind'
		})),
		table: {
			head: [l.platform, ...kinds.map(l.kind), l.total],
			rows: o.levels.map((row) => [
				l.level(row.level),
				...kinds.map((k) => row.kinds[k] ?? 0),
				row.organisations
			])
		}
	};
}

/** Volunteers of each platform's organisations living in the unit, with the platform's teams beside them. */
export function volunteersByLevelChart(o: OrganisationOverview, l: OrganisationLabels): ChartSpec {
	return {
		type: 'bar',
		labels: o.levels.map((row) => l.level(row.level)),
		datasets: [
			{ label: l.volunteers, data: o.levels.map((row) => row.volunteers), backgroundColor: '#1a9850' }
		],
		table: {
			head: [l.platform, l.organisations, l.teams, l.volunteers],
			rows: o.levels.map((row) => [l.level(row.level), row.organisations, row.teams, num(row.volunteers)])
		}
	};
}

/** Hours served in the unit by volunteers of each platform's organisations, with each platform's share. */
export function hoursByLevelChart(o: OrganisationOverview, l: OrganisationLabels): ChartSpec {
	const total = o.levels.reduce((t, row) => t + row.hours, 0);
	return {
		type: 'bar',
		labels: o.levels.map((row) => l.level(row.level)),
		datasets: [{ label: l.hours, data: o.levels.map((row) => row.hours), backgroundColor: '#016c59' }],
		table: {
			head: [l.platform, l.hours, l.share],
			rows: o.levels.map((row) => [
				l.level(row.level),
				row.hours,
				total > 0 ? `${((row.hours / total) * 100).toFixed(1)}%` : '—'
			])
		}
	};
}

/** Volunteers who had joined by each day of the response (cumulative). */
export function volunteersGrowthChart(o: OrganisationOverview, l: OrganisationLabels): ChartSpec {
	return {
		type: 'line',
		labels: o.series.map((p) => shortDay(p.day)),
		datasets: [
			{
				label: l.volunteers,
				data: o.series.map((p) => p.volunteers),
				borderColor: '#1a9850',
				backgroundColor: '#1a9850'
			}
		],
		table: { head: [l.day, l.volunteers], rows: o.series.map((p) => [p.day, num(p.volunteers)]) }
	};
}

/** Teams formed by each day of the response (cumulative). */
export function teamsGrowthChart(o: OrganisationOverview, l: OrganisationLabels): ChartSpec {
	return {
		type: 'line',
		labels: o.series.map((p) => shortDay(p.day)),
		datasets: [
			{
				label: l.teams,
				data: o.series.map((p) => p.teams),
				borderColor: '#2b83ba',
				backgroundColor: '#2b83ba'
			}
		],
		table: { head: [l.day, l.teams], rows: o.series.map((p) => [p.day, p.teams]) }
	};
}

/** Hours served per day, with the volunteers who served them in the table. */
export function hoursPerDayChart(o: OrganisationOverview, l: OrganisationLabels): ChartSpec {
	return {
		type: 'bar',
		labels: o.series.map((p) => shortDay(p.day)),
		datasets: [{ label: l.hours, data: o.series.map((p) => p.hours), backgroundColor: '#016c59' }],
		table: {
			head: [l.day, l.hours, l.serving],
			rows: o.series.map((p) => [p.day, p.hours, num(p.serving)])
		}
	};
}

/** The organisations whose volunteers served most hours in the unit. */
export function topOrganisationsChart(o: OrganisationOverview, l: OrganisationLabels): ChartSpec {
	const top = o.top_organisations;
	return {
		type: 'bar',
		horizontal: true,
		labels: top.map((t) => t.name),
		datasets: [{ label: l.hours, data: top.map((t) => t.hours), backgroundColor: '#016c59' }],
		table: {
			head: [l.organisation, l.platform, l.kindTitle, l.volunteers, l.shifts, l.hours],
			rows: top.map((t) => [t.name, l.level(t.level), l.kind(t.kind), num(t.volunteers), t.shifts, t.hours])
		}
	};
}

/** Volunteers living in the unit by kind (volunteer, party member, grid worker, social worker, medical). */
export function volunteerKindsChart(o: OrganisationOverview, l: OrganisationLabels): ChartSpec {
	const kinds = VOLUNTEER_KINDS.filter((k) => k in o.volunteers_by_kind);
	return {
		type: 'bar',
		labels: kinds.map(l.volunteerKind),
		datasets: [
			{
				label: l.volunteers,
				data: kinds.map((k) => o.volunteers_by_kind[k] ?? null),
				backgroundColor: '#7b1fa2'
			}
		],
		table: {
			head: [l.kindTitle, l.volunteers],
			rows: kinds.map((k) => [l.volunteerKind(k), num(o.volunteers_by_kind[k])])
		}
	};
}
