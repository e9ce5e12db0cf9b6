import { describe, expect, it } from 'vitest';
import {
	briefingTables,
	dayBefore,
	formatCell,
	kpiChanges,
	type Briefing,
	type BriefingLabels,
	type Cell
} from './briefing';
import type { DashboardKpis } from './dashboard';

const kpis = (over: Partial<DashboardKpis>): DashboardKpis => ({
	households: 1000,
	screened: 600,
	remaining: 400,
	coverage: 0.6,
	stale: 50,
	rescreen_due: 45,
	never_screened: 5,
	open_leads: 5,
	overdue_leads: 1,
	volunteers_on_duty: 30,
	checkpoints: 10,
	understaffed_checkpoints: 2,
	...over
});

describe('kpiChanges', () => {
	it('sets each KPI beside the day before, coverage as a difference of shares without float noise', () => {
		const changes = kpiChanges(
			kpis({ screened: 700, remaining: 300, coverage: 0.7 }),
			kpis({ coverage: 0.6 })
		);
		const by = Object.fromEntries(changes.map((c) => [c.id, c]));
		expect(by.screened).toEqual({ id: 'screened', today: 700, yesterday: 600, change: 100, share: false });
		expect(by.remaining.change).toBe(-100);
		expect(by.coverage.change).toBe(0.1); // 0.7 - 0.6 is 0.09999999999999998 in floats
		expect(by.coverage.share).toBe(true);
		expect(by.households.change).toBe(0);
	});

	it('has no change when either day is withheld', () => {
		const [households] = kpiChanges(kpis({ households: null }), kpis({}));
		expect(households).toEqual({
			id: 'households',
			today: null,
			yesterday: 1000,
			change: null,
			share: false
		});
	});
});

describe('dayBefore', () => {
	it('crosses months and leap days', () => {
		expect(dayBefore('2020-03-01')).toBe('2020-02-29');
		expect(dayBefore('2020-02-01')).toBe('2020-01-31');
	});
});

describe('formatCell', () => {
	const points = (n: string) => `${n} pp`;
	const f = (value: number | null, format: Extract<Cell, object>['format']) =>
		formatCell({ value, format }, points);
	it('formats counts, signed changes, shares and changes of shares', () => {
		expect(f(42444, 'count')).toBe('42,444');
		expect(f(1234, 'change')).toBe('+1,234');
		expect(f(-1234, 'change')).toBe('−1,234');
		expect(f(0, 'change')).toBe('0');
		expect(f(0.87654, 'share')).toBe('87.6%');
		expect(f(0.0123, 'share_change')).toBe('+1.2 pp');
		expect(f(-0.0004, 'share_change')).toBe('0.0 pp');
		expect(f(-0.05, 'share_change')).toBe('−5.0 pp');
		expect(f(1234.56, 'hours')).toBe('1,234.6');
		expect(f(null, 'count')).toBe('—');
		expect(formatCell('南城街道', points)).toBe('南城街道');
	});
});

describe('briefingTables', () => {
	const labels: BriefingLabels = {
		kpi: (id) => id,
		level: (l) => l,
		titles: {
			kpis: 'KPIs',
			children: 'children',
			lagging: 'lagging',
			leads: 'leads',
			deployment: 'deployment',
			deployment_levels: 'by platform'
		},
		indicator: 'indicator',
		today: 'today',
		yesterday: 'yesterday',
		change: 'change',
		unit: 'unit',
		parent: 'parent',
		rank: 'rank',
		households: 'households',
		screened: 'screened',
		coverage: 'coverage',
		overdueLeads: 'overdue',
		understaffed: 'understaffed',
		count: 'count',
		platform: 'platform',
		volunteers: 'volunteers',
		hours: 'hours',
		leads: {
			opened: 'opened',
			verifying: 'verifying',
			assigned: 'assigned',
			handled: 'handled',
			closed: 'closed',
			dismissed: 'dismissed'
		},
		deployment: {
			shifts: 'shifts',
			volunteers: 'volunteers',
			hours: 'hours',
			organisations: 'organisations',
			no_shows: 'no-shows'
		}
	};
	const briefing: Briefing = {
		unit: { code: '510502001', name: '南城街道' },
		date: '2020-03-10',
		staleDays: 14,
		kpis: kpiChanges(kpis({ screened: 610 }), kpis({})),
		children: [
			{
				code: '510502001006',
				name: '白招牌社区',
				households: 300,
				screened: 200,
				screened_prev: 190,
				coverage: 0.6667
			},
			{
				code: '510502001001',
				name: '上平社区',
				households: 2,
				screened: null,
				screened_prev: null,
				coverage: null
			}
		],
		lagging: [
			{
				rank: 1,
				code: '510502001001',
				name: '上平社区',
				parent_name: '南城街道',
				households: 250,
				coverage: 0.4,
				change: -0.02,
				overdue_leads: 3,
				understaffed_checkpoints: 1
			}
		],
		activity: {
			unit: '510502001',
			as_of: '2020-03-10',
			leads: { opened: 4, verifying: 3, assigned: 2, handled: 1, closed: 1, dismissed: 0 },
			deployment: {
				shifts: 80,
				volunteers: 75,
				hours: 640,
				organisations: 12,
				no_shows: 3,
				levels: [
					{ level: 'city', volunteers: 20, hours: 160 },
					{ level: 'district', volunteers: null, hours: 16 },
					{ level: 'street', volunteers: 30, hours: 240 },
					{ level: 'community', volunteers: 23, hours: 224 }
				]
			}
		}
	};
	const tables = briefingTables(briefing, labels);
	const table = (id: string) => tables.find((t) => t.id === id)!;
	const text = (id: string) => table(id).rows.map((r) => r.map((c) => formatCell(c, (n) => `${n}pp`)));

	it('gives one table per part of the briefing, each row as long as its head', () => {
		expect(tables.map((t) => t.id)).toEqual([
			'kpis',
			'children',
			'lagging',
			'leads',
			'deployment',
			'deployment_levels'
		]);
		for (const t of tables) for (const row of t.rows) expect(row.length).toBe(t.head.length);
	});

	it('shows KPIs with the day before and the change, coverage in percentage points', () => {
		expect(text('kpis')[1]).toEqual(['screened', '610', '600', '+10']);
		expect(text('kpis')[2]).toEqual(['coverage', '60.0%', '60.0%', '0.0pp']);
	});

	it('shows each child with its change since the day before, a withheld one as dashes', () => {
		expect(text('children')).toEqual([
			['白招牌社区', '300', '200', '+10', '66.6%'],
			['上平社区', '2', '—', '—', '—']
		]);
	});

	it('counts the day\u2019s leads and deployment, with the open and overdue leads at the end of the day', () => {
		expect(text('leads')).toEqual([
			['opened', '4'],
			['verifying', '3'],
			['assigned', '2'],
			['handled', '1'],
			['closed', '1'],
			['dismissed', '0'],
			['open_leads', '5'],
			['overdue_leads', '1']
		]);
		expect(text('deployment')).toContainEqual(['hours', '640']);
		expect(text('deployment_levels')[1]).toEqual(['district', '—', '16']);
		expect(text('lagging')[0]).toEqual(['1', '上平社区', '南城街道', '250', '40.0%', '−2.0pp', '3', '1']);
	});
});
