import { describe, expect, it } from 'vitest';
import {
	buildingStatus,
	householdStatus,
	newSubmissionKey,
	parseSubmission,
	reached,
	submissionProblems,
	tally,
	type ScreeningEntry
} from './screening';

const s = (at: string, method: 'door' | 'phone', outcome: ScreeningEntry['outcome']): ScreeningEntry => ({
	at,
	method,
	outcome
});

describe('a household’s status in a round', () => {
	it('is not_started without screenings, unreachable when only tried', () => {
		expect(householdStatus([])).toBe('not_started');
		expect(householdStatus([s('2020-03-01T08:00:00Z', 'phone', 'unreachable')])).toBe('unreachable');
	});

	it('follows how it was last reached, whatever the order given', () => {
		const first = s('2020-03-01T08:00:00Z', 'phone', 'normal');
		const tried = s('2020-03-03T08:00:00Z', 'phone', 'unreachable');
		const last = s('2020-03-02T08:00:00Z', 'door', 'normal');
		expect(householdStatus([first, tried, last])).toBe('door');
		expect(householdStatus([last, first, tried])).toBe('door');
		// A later attempt that reached nobody does not undo being reached.
		expect(householdStatus([first, tried])).toBe('phone');
	});

	it('is flagged once any screening flagged it, even if a later one was normal', () => {
		expect(
			householdStatus([
				s('2020-03-01T08:00:00Z', 'door', 'flagged'),
				s('2020-03-05T08:00:00Z', 'phone', 'normal')
			])
		).toBe('flagged');
	});

	it('counts a screening whose outcome is withheld from the reader as reached, by its method', () => {
		const withheld = s('2020-03-02T08:00:00Z', 'phone', null);
		expect(householdStatus([withheld])).toBe('phone');
		expect(householdStatus([s('2020-03-03T08:00:00Z', 'door', 'unreachable'), withheld])).toBe('phone');
		expect(householdStatus([s('2020-03-01T08:00:00Z', 'door', 'normal'), withheld])).toBe('phone');
	});
});

describe('a building’s status', () => {
	it('is flagged if any household is, else the most common status', () => {
		expect(buildingStatus(tally(['door', 'door', 'phone', 'flagged']))).toBe('flagged');
		expect(buildingStatus(tally(['door', 'phone', 'phone', 'not_started']))).toBe('phone');
		expect(buildingStatus(tally([]))).toBe('no_households');
	});

	it('breaks ties toward the status that needs work first', () => {
		expect(buildingStatus(tally(['door', 'not_started']))).toBe('not_started');
		expect(buildingStatus(tally(['phone', 'unreachable']))).toBe('unreachable');
		expect(buildingStatus(tally(['phone', 'door']))).toBe('door');
	});

	it('counts door, phone and flagged households as reached', () => {
		expect(reached(tally(['door', 'phone', 'flagged', 'unreachable', 'not_started']))).toBe(3);
	});
});

describe('a submission', () => {
	const ok = {
		key: '6f1c1d1e-8a3b-4c2d-9e0f-112233445566',
		household_id: 1087,
		round_id: 2,
		method: 'door',
		outcome: 'normal',
		flags: [],
		note: '',
		screened_at: '2026-11-29T08:00:00.000Z'
	} as const;

	it('passes when complete', () => {
		expect(submissionProblems({ ...ok, flags: [] })).toEqual([]);
		expect(parseSubmission({ ...ok, note: '  已入户  ' })).toEqual({ ...ok, note: '已入户' });
	});

	it('needs flags exactly when flagged, known flags only', () => {
		expect(submissionProblems({ ...ok, outcome: 'flagged', flags: [] })).toEqual(['flags_missing']);
		expect(submissionProblems({ ...ok, flags: ['fever'] })).toEqual(['flags_unexpected']);
		expect(submissionProblems({ ...ok, outcome: 'flagged', flags: ['fever', 'cough'] })).toEqual([]);
		expect(submissionProblems({ ...ok, outcome: 'flagged', flags: ['sneeze' as 'fever'] })).toEqual(['flag']);
	});

	it('refuses what the server would: no key, wrong method or outcome, long notes, no time', () => {
		expect(submissionProblems({ ...ok, key: 'abc', flags: [] })).toEqual(['key']);
		expect(submissionProblems({ ...ok, method: 'mail' as 'door', flags: [] })).toEqual(['method']);
		expect(submissionProblems({ ...ok, outcome: 'fine' as 'normal', flags: [] })).toEqual(['outcome']);
		expect(submissionProblems({ ...ok, note: '字'.repeat(501), flags: [] })).toEqual(['note_too_long']);
		expect(submissionProblems({ ...ok, note: '字'.repeat(500), flags: [] })).toEqual([]);
		expect(submissionProblems({ ...ok, screened_at: 'yesterday', flags: [] })).toEqual(['time']);
		expect(parseSubmission(null)).toEqual({
			problems: ['key', 'household', 'round', 'method', 'outcome', 'time']
		});
		expect(parseSubmission({ ...ok, household_id: '1087' })).toEqual({ problems: ['household'] });
	});
});

describe('submission keys', () => {
	it('are version 4 UUIDs the database accepts, different each time', () => {
		const keys = new Set(Array.from({ length: 200 }, () => newSubmissionKey()));
		expect(keys.size).toBe(200);
		for (const key of keys) expect(submissionProblems({ key }).includes('key')).toBe(false);
		// Version and variant bits are set whatever the random bytes.
		expect(newSubmissionKey((b) => b.fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
		expect(newSubmissionKey((b) => b.fill(0))).toBe('00000000-0000-4000-8000-000000000000');
	});
});
