import { describe, expect, it } from 'vitest';
import { currentRound, parseBoardView } from './board';

const rounds = [
	{ id: 1, name: '第一轮地毯式摸排', starts_on: '2020-01-24', ends_on: '2020-02-09' },
	{ id: 2, name: '第二轮复核摸排', starts_on: '2020-02-10', ends_on: '2020-03-15' },
	{ id: 3, name: '第三轮', starts_on: '2026-12-01', ends_on: '2026-12-31' }
];
const q = (s: string) => new URLSearchParams(s);

describe('the current round', () => {
	it('is the latest that has started, ended or not', () => {
		expect(currentRound(rounds, '2020-02-01')?.id).toBe(1);
		expect(currentRound(rounds, '2026-11-29')?.id).toBe(2);
		expect(currentRound(rounds, '2026-12-01')?.id).toBe(3);
		expect(currentRound(rounds, '2019-12-31')).toBeNull();
	});
});

describe('the board’s view from its URL', () => {
	it('defaults to the buildings of the current round, 7 days counted from today', () => {
		expect(parseBoardView(q(''), { first: '2020-01-24', last: '2026-11-29' }, rounds)).toEqual({
			round: 2,
			view: 'buildings',
			days: 7,
			asOf: '2026-11-29'
		});
	});

	it('reads a chosen round, the stale list, its days and day', () => {
		expect(
			parseBoardView(
				q('round=1&view=stale&days=14&as_of=2020-03-15'),
				{ first: '2020-01-24', last: '2026-11-29' },
				rounds
			)
		).toEqual({
			round: 1,
			view: 'stale',
			days: 14,
			asOf: '2020-03-15'
		});
	});

	it('refuses rounds not started or unknown, bad views, days outside 1–60 and days not yet come', () => {
		expect(parseBoardView(q('round=3'), { first: '2020-01-24', last: '2026-11-29' }, rounds)).toEqual({
			error: 'bad_round'
		});
		expect(parseBoardView(q('round=x'), { first: '2020-01-24', last: '2026-11-29' }, rounds)).toEqual({
			error: 'bad_round'
		});
		expect(parseBoardView(q('view=map'), { first: '2020-01-24', last: '2026-11-29' }, rounds)).toEqual({
			error: 'bad_view'
		});
		expect(parseBoardView(q('days=0'), { first: '2020-01-24', last: '2026-11-29' }, rounds)).toEqual({
			error: 'bad_days'
		});
		expect(parseBoardView(q('days=61'), { first: '2020-01-24', last: '2026-11-29' }, rounds)).toEqual({
			error: 'bad_days'
		});
		expect(parseBoardView(q('days=7.5'), { first: '2020-01-24', last: '2026-11-29' }, rounds)).toEqual({
			error: 'bad_days'
		});
		expect(
			parseBoardView(q('as_of=2026-11-30'), { first: '2020-01-24', last: '2026-11-29' }, rounds)
		).toEqual({ error: 'bad_date' });
		expect(
			parseBoardView(q('as_of=2020-02-30'), { first: '2020-01-24', last: '2026-11-29' }, rounds)
		).toEqual({ error: 'bad_date' });
		expect(
			parseBoardView(q('as_of=2019-12-31'), { first: '2020-01-24', last: '2026-11-29' }, rounds)
		).toEqual({ error: 'bad_date' });
	});
});
