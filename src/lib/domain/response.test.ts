import { describe, expect, it } from 'vitest';
import {
	addDays,
	chooseResponse,
	parseDayIn,
	parseResponseParam,
	periodOf,
	roundStatus,
	todayInShanghai,
	type Response
} from './response';

const r2020: Response = {
	id: 1,
	unit_code: '5105',
	name: '泸州市新冠肺炎疫情防控（2020）',
	started_on: '2020-01-24',
	ended_on: '2020-03-15',
	retention_days: 180
};
const drill: Response = {
	id: 2,
	unit_code: '510502',
	name: '江阳区聚集性疫情处置演练',
	started_on: '2026-12-02',
	ended_on: null,
	retention_days: 90
};
const xuyong: Response = {
	...drill,
	id: 3,
	unit_code: '510524',
	name: '叙永县演练',
	started_on: '2026-12-05'
};

describe('periodOf and parseDayIn', () => {
	it('runs an ended response to its last day and a running one to today', () => {
		expect(periodOf(r2020, '2026-12-08')).toEqual({
			first: '2020-01-24',
			last: '2020-03-15',
			running: false
		});
		expect(periodOf(drill, '2026-12-08')).toEqual({ first: '2026-12-02', last: '2026-12-08', running: true });
	});
	it('accepts only real days inside the period', () => {
		const p = periodOf(r2020, '2026-12-08');
		expect(parseDayIn('2020-02-01', p)).toBe('2020-02-01');
		expect(parseDayIn('2020-01-24', p)).toBe('2020-01-24');
		expect(parseDayIn('2020-03-16', p)).toBeNull();
		expect(parseDayIn('2020-02-30', p)).toBeNull();
		expect(parseDayIn('2020-2-1', p)).toBeNull();
		expect(parseDayIn("2020-02-01' or 1=1", p)).toBeNull();
		expect(parseDayIn(null, p)).toBeNull();
		expect(parseDayIn('2026-12-09', periodOf(drill, '2026-12-08'))).toBeNull();
	});
});

describe('todayInShanghai', () => {
	it('is the date in UTC+8', () => {
		expect(todayInShanghai(Date.parse('2026-12-07T15:59:59Z'))).toBe('2026-12-07');
		expect(todayInShanghai(Date.parse('2026-12-07T16:00:00Z'))).toBe('2026-12-08');
		expect(addDays('2026-12-31')).toBe('2027-01-01');
		expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
	});
});

describe('chooseResponse', () => {
	const all = [xuyong, drill, r2020];
	it("opens today's work for the user's unit: a running response over it, above it, then below it", () => {
		expect(chooseResponse(all, '510502001006', null)?.id).toBe(2);
		expect(chooseResponse(all, '510502', null)?.id).toBe(2);
		// The city has two running responses below it: the one that started last.
		expect(chooseResponse(all, '5105', null)?.id).toBe(3);
	});
	it('falls back to the response that ended last, and to none', () => {
		expect(chooseResponse([drill, r2020], '510521', null)?.id).toBe(1);
		expect(chooseResponse([drill], '510521', null)).toBeNull();
	});
	it('takes the one the URL names, if the user may see it', () => {
		expect(chooseResponse(all, '510502001006', 1)?.id).toBe(1);
		expect(chooseResponse(all, '510502001006', 99)).toBeNull();
	});
	it('reads the parameter strictly', () => {
		expect(parseResponseParam(null)).toBeNull();
		expect(parseResponseParam('2')).toBe(2);
		expect(parseResponseParam('0')).toBe('bad');
		expect(parseResponseParam('2;drop')).toBe('bad');
	});
});

describe('roundStatus', () => {
	it('is open inside its dates until closed', () => {
		const r = { starts_on: '2026-12-02', ends_on: '2026-12-15', closed_at: null };
		expect(roundStatus(r, '2026-12-08')).toBe('open');
		expect(roundStatus(r, '2026-12-01')).toBe('upcoming');
		expect(roundStatus(r, '2026-12-16')).toBe('closed');
		expect(roundStatus({ ...r, closed_at: '2026-12-08T02:00:00Z' }, '2026-12-08')).toBe('closed');
	});
});
