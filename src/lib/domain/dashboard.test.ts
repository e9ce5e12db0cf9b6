import { describe, expect, it } from 'vitest';
import {
	coverageChart,
	hasData,
	hoursChart,
	leadsChart,
	screeningsChart,
	type ChartLabels,
	type Dashboard
} from './dashboard';

const labels: ChartLabels = {
	coverage: 'coverage',
	round: (n) => `R${n}`,
	door: 'door',
	phone: 'phone',
	flagged: 'flagged',
	day: 'day',
	hours: 'hours',
	organisation: 'org',
	status: 'status',
	count: 'count',
	leadStatus: (s) => s.toUpperCase()
};

const dashboard: Dashboard = {
	unit: '510502001',
	as_of: '2020-02-11',
	at: '2020-02-11T02:00:00Z',
	round_id: 2,
	stale_days: 14,
	suppressed: false,
	kpis: {
		households: 100,
		screened: 20,
		remaining: 80,
		coverage: 0.2,
		stale: 5,
		rescreen_due: 3,
		never_screened: 2,
		open_leads: 1,
		overdue_leads: 0,
		volunteers_on_duty: 4,
		checkpoints: 3,
		understaffed_checkpoints: 1
	},
	coverage_series: [
		{ day: '2020-02-09', round_id: 1, coverage: 0.95 },
		{ day: '2020-02-10', round_id: 2, coverage: 0.1 },
		{ day: '2020-02-11', round_id: 2, coverage: 0.2 }
	],
	screenings_by_day: [
		{ day: '2020-02-10', door: 5, phone: 6, flagged: 1 },
		{ day: '2020-02-11', door: 0, phone: 0, flagged: 0 }
	],
	leads_by_status: { closed: 3, new: 1 },
	hours_by_organisation: [{ id: 9, name: '警院志愿者联盟', level: 'city', hours: 120.5 }]
};

describe('charts from the unit panel', () => {
	it('draw one coverage line per round, each starting where its round starts', () => {
		const spec = coverageChart(dashboard, labels);
		expect(spec.labels).toEqual(['02-09', '02-10', '02-11']);
		expect(spec.datasets.map((d) => [d.label, d.data])).toEqual([
			['R1', [0.95, null, null]],
			['R2', [null, 0.1, 0.2]]
		]);
		expect(spec.table.rows[1]).toEqual(['2020-02-10', 'R2 10.0%']);
	});

	it('stack screenings by method and list flagged ones in the table', () => {
		const spec = screeningsChart(dashboard, labels);
		expect(spec.stacked).toBe(true);
		expect(spec.datasets.map((d) => d.data)).toEqual([
			[5, 0],
			[6, 0]
		]);
		expect(spec.table.rows).toEqual([
			['2020-02-10', 5, 6, 1],
			['2020-02-11', 0, 0, 0]
		]);
	});

	it('list leads in workflow order, only the statuses present', () => {
		const spec = leadsChart(dashboard, labels);
		expect(spec.labels).toEqual(['NEW', 'CLOSED']);
		expect(spec.datasets[0].data).toEqual([1, 3]);
	});

	it('say when there is nothing to draw', () => {
		expect(hasData(hoursChart(dashboard, labels))).toBe(true);
		expect(hasData(hoursChart({ ...dashboard, hours_by_organisation: [] }, labels))).toBe(false);
		expect(hasData(leadsChart({ ...dashboard, leads_by_status: {} }, labels))).toBe(false);
	});
});
