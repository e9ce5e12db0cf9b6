import { describe, expect, it } from 'vitest';
import {
	idNumberCheckChar,
	isRequestOverdue,
	isValidIdNumber,
	isValidPhone,
	nextRequestStatuses,
	pageOf,
	parseRegistrySearch,
	residentMatches,
	residentProblems,
	type ResidentInput
} from './care';

describe('phone and ID-number checks (the database’s CHECKs, run in the form first)', () => {
	it('accepts mainland mobiles and landlines with an area code only', () => {
		expect(isValidPhone('13812345678')).toBe(true);
		expect(isValidPhone('0830-1234567')).toBe(true);
		expect(isValidPhone('08301234567')).toBe(true);
		expect(isValidPhone('12812345678')).toBe(false);
		expect(isValidPhone('1381234567')).toBe(false);
		expect(isValidPhone('138-1234-5678')).toBe(false);
	});

	it('checks the GB 11643 check character', () => {
		expect(isValidIdNumber('11010519491231002X')).toBe(true);
		expect(isValidIdNumber('510502195601280224')).toBe(true);
		expect(isValidIdNumber('510502195601280225')).toBe(false);
		expect(isValidIdNumber('11010519491231002x')).toBe(false);
		expect(isValidIdNumber('5105021956012802')).toBe(false);
	});

	it('computes the check character of 17 digits', () => {
		expect(idNumberCheckChar('11010519491231002')).toBe('X');
		expect(idNumberCheckChar('51050219560128022')).toBe('4');
		expect(() => idNumberCheckChar('5105021956012802X')).toThrow();
	});
});

describe('service requests', () => {
	it('are overdue when open past their due time, never once done or cancelled', () => {
		const now = Date.parse('2020-03-02T00:00:00Z');
		expect(isRequestOverdue({ status: 'open', due_at: '2020-03-01T00:00:00Z' }, now)).toBe(true);
		expect(isRequestOverdue({ status: 'in_progress', due_at: '2020-03-01T00:00:00Z' }, now)).toBe(true);
		expect(isRequestOverdue({ status: 'done', due_at: '2020-03-01T00:00:00Z' }, now)).toBe(false);
		expect(isRequestOverdue({ status: 'cancelled', due_at: '2020-03-01T00:00:00Z' }, now)).toBe(false);
		expect(isRequestOverdue({ status: 'open', due_at: '2020-03-03T00:00:00Z' }, now)).toBe(false);
		expect(isRequestOverdue({ status: 'open', due_at: null }, now)).toBe(false);
	});

	it('move forward only, and end at done or cancelled', () => {
		expect(nextRequestStatuses('open')).toEqual(['assigned', 'cancelled']);
		expect(nextRequestStatuses('done')).toEqual([]);
	});
});

describe('a resident for the registry', () => {
	const ok: ResidentInput = {
		household_id: 1087,
		name: '王建国',
		gender: 'male',
		birth_year: 1940,
		id_number: '11010519491231002X',
		phone: '13812345678',
		special_groups: ['elderly_alone'],
		needs: ['food', 'daily_call'],
		isolation_until: null,
		note: null
	};

	it('passes when complete, with optional fields left out', () => {
		expect(residentProblems(ok, 2026)).toEqual([]);
		expect(residentProblems({ ...ok, id_number: null, phone: null, birth_year: null }, 2026)).toEqual([]);
	});

	it('names each problem: no group, bad ID number, bad phone, a future birth year', () => {
		expect(
			residentProblems(
				{ ...ok, special_groups: [], id_number: '110105194912310021', phone: '123', birth_year: 2030 },
				2026
			)
		).toEqual(['birth_year', 'id_number', 'phone', 'groups']);
		expect(residentProblems({ ...ok, name: ' ', household_id: 0 }, 2026)).toEqual(['household', 'name']);
	});
});

describe('the registry list’s search and pages', () => {
	const wang = { name: '王秀英', place: '白招牌社区 · 13号楼 1单元301', special_groups: ['elderly_alone'] };

	it('reads the search from the address, ignoring an unknown group', () => {
		expect(parseRegistrySearch(new URLSearchParams('q=%20王%20&group=elderly_alone'))).toEqual({
			query: '王',
			group: 'elderly_alone'
		});
		expect(parseRegistrySearch(new URLSearchParams('group=nobody'))).toEqual({ query: '', group: null });
	});

	it('finds by name, by room, by building and room together, and by group', () => {
		const all = { query: '', group: null };
		expect(residentMatches(wang, all)).toBe(true);
		expect(residentMatches(wang, { ...all, query: '秀英' })).toBe(true);
		expect(residentMatches(wang, { ...all, query: '301' })).toBe(true);
		expect(residentMatches(wang, { ...all, query: '13号楼 301' })).toBe(true);
		expect(residentMatches(wang, { ...all, query: '白招牌社区' })).toBe(true);
		expect(residentMatches(wang, { ...all, query: '14号楼 301' })).toBe(false);
		expect(residentMatches(wang, { ...all, group: 'elderly_alone' })).toBe(true);
		expect(residentMatches(wang, { ...all, group: 'disabled' })).toBe(false);
	});

	it('cuts pages, clamping a page out of range', () => {
		expect(pageOf(120, 1, 50)).toEqual({ page: 1, pages: 3, from: 0, to: 50 });
		expect(pageOf(120, 3, 50)).toEqual({ page: 3, pages: 3, from: 100, to: 120 });
		expect(pageOf(120, 9, 50)).toEqual({ page: 3, pages: 3, from: 100, to: 120 });
		expect(pageOf(120, 0, 50)).toEqual({ page: 1, pages: 3, from: 0, to: 50 });
		expect(pageOf(0, 2, 50)).toEqual({ page: 1, pages: 1, from: 0, to: 0 });
	});
});
