/**
 * The daily briefing (日报) of a unit: KPIs with their change since the day before, the children's coverage, the
 * lagging units, the day's leads and the volunteers deployed. `briefingTables` turns it into titled tables that
 * the printable page, its PDF and the Excel download all show, so the three cannot disagree. Cells carry their
 * number format, not preformatted text, so Excel gets numbers it can sum.
 *
 * Only counts and unit or organisation names appear here: a briefing holds no person's name, phone or ID.
 */
import { formatNumber, formatPercent } from './coverage';
import type { DashboardKpis } from './dashboard';
import type { IncubationLevel } from './organisations';
import type { LaggingUnit } from './ranking';

/** public.daily_briefing (migration 20261129001400): what happened in the unit that day. */
export interface DailyActivity {
	unit: string;
	as_of: string;
	leads: {
		opened: number;
		verifying: number;
		assigned: number;
		handled: number;
		closed: number;
		dismissed: number;
	};
	deployment: {
		shifts: number;
		volunteers: number | null;
		hours: number;
		organisations: number;
		no_shows: number;
		levels: { level: IncubationLevel; volunteers: number | null; hours: number }[];
	};
}

/** A child unit's coverage on the day and the day before (coverage_by_unit's rows). */
export interface ChildCoverage {
	code: string;
	name: string;
	households: number | null;
	screened: number | null;
	screened_prev: number | null;
	coverage: number | null;
}

export const BRIEFING_KPIS = [
	'households',
	'screened',
	'coverage',
	'remaining',
	// The never-screened are among the remaining; those due for re-screening were reached once, not lately.
	'never_screened',
	'rescreen_due',
	'open_leads',
	'overdue_leads',
	'volunteers_on_duty',
	'understaffed_checkpoints'
] as const;
export type BriefingKpi = (typeof BRIEFING_KPIS)[number];

export interface KpiChange {
	id: BriefingKpi;
	today: number | null;
	yesterday: number | null;
	/** today − yesterday; null when either is withheld. For coverage, a difference of shares. */
	change: number | null;
	share: boolean;
}

/** Each KPI of the day beside the day before. */
export function kpiChanges(today: DashboardKpis, yesterday: DashboardKpis | null): KpiChange[] {
	return BRIEFING_KPIS.map((id) => {
		const t = today[id] === null ? null : Number(today[id]);
		// The response's first day has no day before it: no change to show.
		const y = yesterday === null || yesterday[id] === null ? null : Number(yesterday[id]);
		const share = id === 'coverage';
		// Shares are rounded to 4 places in SQL; rounding the difference keeps float noise out of it.
		const change = t === null || y === null ? null : share ? Math.round((t - y) * 10000) / 10000 : t - y;
		return { id, today: t, yesterday: y, change, share };
	});
}

/** The day before a YYYY-MM-DD date. */
export function dayBefore(date: string): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

export type NumberFormat = 'count' | 'change' | 'share' | 'share_change' | 'hours';
export type Cell = string | { value: number | null; format: NumberFormat };

export interface BriefingTable {
	id: 'kpis' | 'children' | 'lagging' | 'leads' | 'deployment' | 'deployment_levels';
	title: string;
	head: string[];
	rows: Cell[][];
}

export interface Briefing {
	unit: { code: string; name: string };
	date: string;
	kpis: KpiChange[];
	staleDays: number;
	children: ChildCoverage[];
	lagging: LaggingUnit[];
	activity: DailyActivity;
}

export interface BriefingLabels {
	kpi: (id: BriefingKpi) => string;
	level: (l: IncubationLevel) => string;
	titles: Record<BriefingTable['id'], string>;
	indicator: string;
	today: string;
	yesterday: string;
	change: string;
	unit: string;
	parent: string;
	rank: string;
	households: string;
	screened: string;
	coverage: string;
	overdueLeads: string;
	understaffed: string;
	count: string;
	platform: string;
	volunteers: string;
	hours: string;
	leads: Record<keyof DailyActivity['leads'], string>;
	deployment: Record<'shifts' | 'volunteers' | 'hours' | 'organisations' | 'no_shows', string>;
}

const count = (value: number | null): Cell => ({ value, format: 'count' });
const change = (value: number | null): Cell => ({ value, format: 'change' });
const share = (value: number | null): Cell => ({ value, format: 'share' });
const shareChange = (value: number | null): Cell => ({ value, format: 'share_change' });
const hours = (value: number | null): Cell => ({ value, format: 'hours' });

export function briefingTables(b: Briefing, l: BriefingLabels): BriefingTable[] {
	const a = b.activity;
	return [
		{
			id: 'kpis',
			title: l.titles.kpis,
			head: [l.indicator, l.today, l.yesterday, l.change],
			rows: b.kpis.map((k) =>
				k.share
					? [l.kpi(k.id), share(k.today), share(k.yesterday), shareChange(k.change)]
					: [l.kpi(k.id), count(k.today), count(k.yesterday), change(k.change)]
			)
		},
		{
			id: 'children',
			title: l.titles.children,
			head: [l.unit, l.households, l.screened, l.change, l.coverage],
			rows: b.children.map((c) => [
				c.name,
				count(c.households),
				count(c.screened),
				change(c.screened === null || c.screened_prev === null ? null : c.screened - c.screened_prev),
				share(c.coverage)
			])
		},
		{
			id: 'lagging',
			title: l.titles.lagging,
			head: [l.rank, l.unit, l.parent, l.households, l.coverage, l.change, l.overdueLeads, l.understaffed],
			rows: b.lagging.map((u) => [
				String(u.rank),
				u.name,
				u.parent_name ?? '',
				count(u.households),
				share(Number(u.coverage)),
				shareChange(Number(u.change)),
				count(u.overdue_leads),
				count(u.understaffed_checkpoints)
			])
		},
		{
			id: 'leads',
			title: l.titles.leads,
			head: [l.indicator, l.count],
			rows: [
				...(Object.keys(l.leads) as (keyof DailyActivity['leads'])[]).map((k) => [
					l.leads[k],
					count(a.leads[k])
				]),
				...b.kpis
					.filter((k) => k.id === 'open_leads' || k.id === 'overdue_leads')
					.map((k) => [l.kpi(k.id), count(k.today)])
			]
		},
		{
			id: 'deployment',
			title: l.titles.deployment,
			head: [l.indicator, l.count],
			rows: [
				...b.kpis
					.filter((k) => k.id === 'volunteers_on_duty' || k.id === 'understaffed_checkpoints')
					.map((k) => [l.kpi(k.id), count(k.today)]),
				[l.deployment.shifts, count(a.deployment.shifts)],
				[l.deployment.volunteers, count(a.deployment.volunteers)],
				[l.deployment.hours, hours(Number(a.deployment.hours))],
				[l.deployment.organisations, count(a.deployment.organisations)],
				[l.deployment.no_shows, count(a.deployment.no_shows)]
			]
		},
		{
			id: 'deployment_levels',
			title: l.titles.deployment_levels,
			head: [l.platform, l.volunteers, l.hours],
			rows: a.deployment.levels.map((d) => [l.level(d.level), count(d.volunteers), hours(Number(d.hours))])
		}
	];
}

/**
 * A cell as the page shows it: counts with thousands separators, changes with their sign (a true minus),
 * shares as percentages, changes of shares in percentage points (`points` words them: "+1.2 个百分点").
 */
export function formatCell(cell: Cell, points: (n: string) => string): string {
	if (typeof cell === 'string') return cell;
	const v = cell.value;
	if (v === null || !Number.isFinite(v)) return '—';
	switch (cell.format) {
		case 'count':
			return formatNumber(v);
		case 'hours':
			return formatNumber(v, 1);
		case 'change':
			return signed(v, formatNumber(v).replace('-', ''));
		case 'share':
			return formatPercent(v);
		case 'share_change': {
			// Signed after rounding, so a change too small to show reads 0.0, not −0.0.
			const tenths = Math.round(v * 1000) / 10;
			return points(signed(tenths, Math.abs(tenths).toFixed(1)));
		}
	}
}

function signed(v: number, magnitude: string): string {
	if (v > 0) return `+${magnitude}`;
	if (v < 0) return `−${magnitude}`;
	return magnitude;
}
