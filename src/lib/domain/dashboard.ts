/**
 * The unit panel as public.unit_dashboard returns it, and the charts built from it. Every chart is a pair: a
 * Chart.js configuration and the same numbers as a table (its accessible alternative), from one function so
 * they cannot drift apart.
 */
import { LEAD_STATUSES, LEAD_STATUS_COLORS, type LeadStatus } from './map-features';

export interface DashboardKpis {
	households: number | null;
	screened: number | null;
	remaining: number | null;
	coverage: number | null;
	/** not reached in the last `stale_days` days: rescreen_due + never_screened */
	stale: number | null;
	/** reached at least once by the day, but not in the last `stale_days` days */
	rescreen_due: number | null;
	/** never reached by the day */
	never_screened: number | null;
	open_leads: number;
	overdue_leads: number;
	volunteers_on_duty: number;
	checkpoints: number;
	understaffed_checkpoints: number;
}

export interface Dashboard {
	unit: string;
	as_of: string;
	at: string;
	round_id: number | null;
	stale_days: number;
	suppressed: boolean;
	kpis: DashboardKpis;
	coverage_series: { day: string; round_id: number | null; coverage: number | null }[];
	screenings_by_day: { day: string; door: number; phone: number; flagged: number }[];
	leads_by_status: Partial<Record<LeadStatus, number>>;
	hours_by_organisation: { id: number; name: string; level: string; hours: number }[];
}

/** Labels the charts need, in the user's language (the caller passes its message functions' results). */
export interface ChartLabels {
	coverage: string;
	round: (n: number) => string;
	door: string;
	phone: string;
	flagged: string;
	day: string;
	hours: string;
	organisation: string;
	status: string;
	count: string;
	leadStatus: (s: LeadStatus) => string;
}

export interface ChartSpec {
	/** Chart.js type and data; options are added by the chart component. */
	type: 'line' | 'bar';
	labels: string[];
	datasets: {
		label: string;
		data: (number | null)[];
		backgroundColor?: string | string[];
		borderColor?: string;
		stack?: string;
	}[];
	horizontal?: boolean;
	stacked?: boolean;
	/** Values are shares (0–1) shown as percentages. */
	percent?: boolean;
	table: { head: string[]; rows: (string | number)[][] };
}

const shortDay = (day: string) => day.slice(5);
const pct = (v: number | null) => (v === null ? '—' : `${(Math.floor(v * 1000) / 10).toFixed(1)}%`);

/** Coverage per day, one line per round (a new round starts again from zero). */
export function coverageChart(d: Dashboard, l: ChartLabels): ChartSpec {
	const rounds = [
		...new Set(d.coverage_series.map((p) => p.round_id).filter((r): r is number => r !== null))
	];
	const colors = ['#2b83ba', '#1a9850', '#7b1fa2'];
	return {
		type: 'line',
		percent: true,
		labels: d.coverage_series.map((p) => shortDay(p.day)),
		datasets: rounds.map((r, i) => ({
			label: l.round(r),
			data: d.coverage_series.map((p) => (p.round_id === r ? p.coverage : null)),
			borderColor: colors[i % colors.length],
			backgroundColor: colors[i % colors.length]
		})),
		table: {
			head: [l.day, l.coverage],
			rows: d.coverage_series.map((p) => [
				p.day,
				p.round_id === null ? '—' : `${l.round(p.round_id)} ${pct(p.coverage)}`
			])
		}
	};
}

export function screeningsChart(d: Dashboard, l: ChartLabels): ChartSpec {
	const s = d.screenings_by_day;
	return {
		type: 'bar',
		stacked: true,
		labels: s.map((p) => shortDay(p.day)),
		datasets: [
			{ label: l.door, data: s.map((p) => p.door), backgroundColor: '#1a9850', stack: 'method' },
			{ label: l.phone, data: s.map((p) => p.phone), backgroundColor: '#2b83ba', stack: 'method' }
		],
		table: {
			head: [l.day, l.door, l.phone, l.flagged],
			rows: s.map((p) => [p.day, p.door, p.phone, p.flagged])
		}
	};
}

export function leadsChart(d: Dashboard, l: ChartLabels): ChartSpec {
	const statuses = LEAD_STATUSES.filter((s) => (d.leads_by_status[s] ?? 0) > 0);
	return {
		type: 'bar',
		labels: statuses.map(l.leadStatus),
		datasets: [
			{
				label: l.count,
				data: statuses.map((s) => d.leads_by_status[s] ?? 0),
				backgroundColor: statuses.map((s) => LEAD_STATUS_COLORS[s])
			}
		],
		table: {
			head: [l.status, l.count],
			rows: statuses.map((s) => [l.leadStatus(s), d.leads_by_status[s] ?? 0])
		}
	};
}

export function hoursChart(d: Dashboard, l: ChartLabels): ChartSpec {
	const h = d.hours_by_organisation;
	return {
		type: 'bar',
		horizontal: true,
		labels: h.map((o) => o.name),
		datasets: [{ label: l.hours, data: h.map((o) => Number(o.hours)), backgroundColor: '#016c59' }],
		table: { head: [l.organisation, l.hours], rows: h.map((o) => [o.name, Number(o.hours)]) }
	};
}

/** True when a chart has something to draw (a chart without data is shown as a message instead). */
export function hasData(spec: ChartSpec): boolean {
	return spec.datasets.some((ds) => ds.data.some((v) => v !== null && v !== 0));
}
