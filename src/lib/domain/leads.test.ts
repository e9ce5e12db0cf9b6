import { describe, expect, it } from 'vitest';
import { LEAD_STATUSES } from './map-features';
import { canMove, filterLeads, isOverdue, legendStatuses, nextStatuses, reportProblems } from './leads';

describe('the leads workflow', () => {
	it('offers the database’s steps: new → verifying → assigned → handled → closed, or dismissed early', () => {
		const pairs = LEAD_STATUSES.flatMap((from) => nextStatuses(from).map((to) => `${from}>${to}`)).sort();
		// The pairs of private.lead_transition_allowed (20261129000600), exactly.
		expect(pairs).toEqual(
			[
				'new>verifying',
				'new>dismissed',
				'verifying>assigned',
				'verifying>dismissed',
				'assigned>handled',
				'assigned>verifying',
				'handled>closed',
				'handled>assigned'
			].sort()
		);
		expect(canMove('new', 'closed')).toBe(false);
		expect(nextStatuses('closed')).toEqual([]);
	});

	it('calls an open lead past its deadline overdue, never a handled or closed one', () => {
		const now = Date.parse('2020-03-11T00:00:00Z');
		expect(isOverdue({ status: 'new', deadline: '2020-03-10T00:00:00Z' }, now)).toBe(true);
		expect(isOverdue({ status: 'assigned', deadline: '2020-03-10T00:00:00Z' }, now)).toBe(true);
		expect(isOverdue({ status: 'verifying', deadline: '2020-03-12T00:00:00Z' }, now)).toBe(false);
		expect(isOverdue({ status: 'handled', deadline: '2020-03-10T00:00:00Z' }, now)).toBe(false);
		expect(isOverdue({ status: 'closed', deadline: '2020-03-10T00:00:00Z' }, now)).toBe(false);
		expect(isOverdue({ status: 'new', deadline: null }, now)).toBe(false);
	});

	it('needs a title, a known kind and source, a place and an offered deadline', () => {
		const ok = {
			title: '住户发热',
			description: '',
			kind: 'symptoms',
			source: 'phone',
			lon: 105.48,
			lat: 28.9,
			deadline_hours: 48
		} as const;
		expect(reportProblems(ok)).toEqual([]);
		expect(reportProblems({ ...ok, title: '  ' })).toEqual(['title']);
		expect(reportProblems({ ...ok, kind: 'rumour' as 'other' })).toEqual(['kind']);
		expect(reportProblems({ ...ok, lon: Number.NaN })).toEqual(['place']);
		expect(reportProblems({ ...ok, lat: 91 })).toEqual(['place']);
		expect(reportProblems({ ...ok, deadline_hours: 5 })).toEqual(['deadline']);
		expect(reportProblems({})).toEqual(['title', 'kind', 'source', 'place', 'deadline']);
	});
});

describe('the list, the map and its legend show one filter', () => {
	const rows = LEAD_STATUSES.map((status, i) => ({ id: i + 1, status, overdue: status === 'new' }));

	it('keeps open, overdue or every lead', () => {
		expect(filterLeads(rows, 'open').map((r) => r.status)).toEqual(['new', 'verifying', 'assigned']);
		expect(filterLeads(rows, 'overdue').map((r) => r.id)).toEqual([1]);
		expect(filterLeads(rows, 'all')).toEqual(rows);
	});

	it('explains the statuses the filter can draw, and the selected lead’s, in workflow order', () => {
		expect(legendStatuses('open')).toEqual(['new', 'verifying', 'assigned']);
		expect(legendStatuses('overdue')).toEqual(['new', 'verifying', 'assigned']);
		expect(legendStatuses('all')).toEqual(LEAD_STATUSES);
		expect(legendStatuses('open', 'closed')).toEqual(['new', 'verifying', 'assigned', 'closed']);
		expect(legendStatuses('open', 'new')).toEqual(['new', 'verifying', 'assigned']);
	});
});
