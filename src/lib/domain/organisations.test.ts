import { describe, expect, it } from 'vitest';
import { hasData } from './dashboard';
import {
	hoursByLevelChart,
	hoursPerDayChart,
	organisationsByLevelChart,
	teamsGrowthChart,
	topOrganisationsChart,
	volunteerKindsChart,
	volunteersByLevelChart,
	volunteersGrowthChart,
	type OrganisationLabels,
	type OrganisationOverview
} from './organisations';

const labels: OrganisationLabels = {
	level: (l) => l.toUpperCase(),
	kind: (k) => `k:${k}`,
	volunteerKind: (k) => `v:${k}`,
	platform: 'platform',
	organisations: 'orgs',
	teams: 'teams',
	volunteers: 'volunteers',
	hours: 'hours',
	share: 'share',
	serving: 'serving',
	shifts: 'shifts',
	day: 'day',
	organisation: 'organisation',
	kindTitle: 'kind',
	total: 'total'
};

const o: OrganisationOverview = {
	unit: '5105',
	as_of: '2020-01-26',
	start: '2020-01-24',
	suppressed: true,
	totals: { organisations: 4, teams: 5, volunteers: 40, volunteers_served: 3, shifts: 4, hours: 32 },
	levels: [
		{ level: 'city', organisations: 1, kinds: { college: 1 }, teams: 2, volunteers: 20, hours: 24 },
		{ level: 'district', organisations: 0, kinds: {}, teams: 0, volunteers: null, hours: 0 },
		{
			level: 'street',
			organisations: 2,
			kinds: { mass_team: 1, social_organisation: 1 },
			teams: 2,
			volunteers: 18,
			hours: 8
		},
		{ level: 'community', organisations: 1, kinds: { mass_team: 1 }, teams: 1, volunteers: null, hours: 0 }
	],
	volunteers_by_kind: { volunteer: 35, medical: null, grid_worker: 3 },
	series: [
		{ day: '2020-01-24', teams: 3, volunteers: 10, hours: 0, serving: 0 },
		{ day: '2020-01-25', teams: 5, volunteers: 40, hours: 16, serving: null },
		{ day: '2020-01-26', teams: 5, volunteers: 40, hours: 16, serving: null }
	],
	top_organisations: [
		{
			id: 1,
			name: '四川警察学院志愿服务队',
			level: 'city',
			kind: 'college',
			volunteers: 3,
			shifts: 3,
			hours: 24
		},
		{
			id: 9,
			name: '南城街道志愿者协会',
			level: 'street',
			kind: 'mass_team',
			volunteers: null,
			shifts: 1,
			hours: 8
		}
	]
};

describe('organisation charts', () => {
	it('stack organisations by kind on each platform, only kinds present, with the total in the table', () => {
		const spec = organisationsByLevelChart(o, labels);
		expect(spec.labels).toEqual(['CITY', 'DISTRICT', 'STREET', 'COMMUNITY']);
		expect(spec.datasets.map((d) => [d.label, d.data])).toEqual([
			['k:social_organisation', [0, 0, 1, 0]],
			['k:mass_team', [0, 0, 1, 1]],
			['k:college', [1, 0, 0, 0]]
		]);
		expect(spec.table.head).toEqual([
			'platform',
			'k:social_organisation',
			'k:mass_team',
			'k:college',
			'total'
		]);
		expect(spec.table.rows[2]).toEqual(['STREET', 1, 1, 0, 2]);
		// Each table row's kinds add up to its total.
		for (const row of spec.table.rows)
			expect((row.slice(1, -1) as number[]).reduce((a, b) => a + b, 0)).toBe(row.at(-1));
	});

	it('show withheld volunteer counts as gaps in the chart and dashes in the table', () => {
		const spec = volunteersByLevelChart(o, labels);
		expect(spec.datasets[0].data).toEqual([20, null, 18, null]);
		expect(spec.table.rows[1]).toEqual(['DISTRICT', 0, 0, '—']);
		expect(volunteerKindsChart(o, labels).table.rows).toEqual([
			['v:volunteer', 35],
			['v:grid_worker', 3],
			['v:medical', '—']
		]);
	});

	it('give each platform its share of the hours', () => {
		expect(hoursByLevelChart(o, labels).table.rows).toEqual([
			['CITY', 24, '75.0%'],
			['DISTRICT', 0, '0.0%'],
			['STREET', 8, '25.0%'],
			['COMMUNITY', 0, '0.0%']
		]);
	});

	it('draw the response day by day: cumulative teams and volunteers, hours per day', () => {
		expect(volunteersGrowthChart(o, labels).labels).toEqual(['01-24', '01-25', '01-26']);
		expect(volunteersGrowthChart(o, labels).datasets[0].data).toEqual([10, 40, 40]);
		expect(teamsGrowthChart(o, labels).table.rows).toEqual([
			['2020-01-24', 3],
			['2020-01-25', 5],
			['2020-01-26', 5]
		]);
		expect(hoursPerDayChart(o, labels).table.rows[1]).toEqual(['2020-01-25', 16, '—']);
	});

	it('rank organisations by hours with their platform and kind', () => {
		const spec = topOrganisationsChart(o, labels);
		expect(spec.horizontal).toBe(true);
		expect(spec.table.rows).toEqual([
			['四川警察学院志愿服务队', 'CITY', 'k:college', 3, 3, 24],
			['南城街道志愿者协会', 'STREET', 'k:mass_team', '—', 1, 8]
		]);
	});

	it('have nothing to draw when nothing was served', () => {
		const none: OrganisationOverview = {
			...o,
			series: o.series.map((p) => ({ ...p, hours: 0 })),
			top_organisations: []
		};
		expect(hasData(hoursPerDayChart(none, labels))).toBe(false);
		expect(hasData(topOrganisationsChart(none, labels))).toBe(false);
	});
});
