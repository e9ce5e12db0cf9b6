import { describe, expect, it } from 'vitest';
import { defaultRankingLevel, overviewHref, parseRanking, rankingLevels } from './ranking';

const P2020 = { first: '2020-01-24', last: '2020-03-15', running: false };

const q = (s: string) => new URLSearchParams(s);

describe('ranking levels', () => {
	it('offer the next levels down, grids only inside a street or community', () => {
		expect(rankingLevels('5105')).toEqual(['district', 'street', 'community']);
		expect(rankingLevels('510502')).toEqual(['street', 'community']);
		expect(rankingLevels('510502001')).toEqual(['community', 'grid']);
		expect(rankingLevels('510502001006')).toEqual(['grid']);
		expect(rankingLevels('510502001006001')).toEqual([]);
		expect(rankingLevels('51050')).toEqual([]);
	});

	it('rank communities by default, grids inside a community, nothing in a grid', () => {
		expect(defaultRankingLevel('5105')).toBe('community');
		expect(defaultRankingLevel('510502001')).toBe('community');
		expect(defaultRankingLevel('510502001006')).toBe('grid');
		expect(defaultRankingLevel('510502001006001')).toBeNull();
	});
});

describe('parseRanking', () => {
	it('fills in the last day of the response and the default level', () => {
		expect(parseRanking(q(''), '5105', P2020)).toEqual({
			date: '2020-03-15',
			level: 'community',
			validDays: null
		});
		expect(parseRanking(q('date=2020-02-05&level=street&valid=14'), '5105', P2020)).toEqual({
			date: '2020-02-05',
			level: 'street',
			validDays: 14
		});
		expect(parseRanking(q('valid='), '510502001006001', P2020)).toEqual({
			date: '2020-03-15',
			level: null,
			validDays: null
		});
	});

	it('refuses dates outside the response, levels not below the unit, and windows outside 1–60 days', () => {
		expect(parseRanking(q('date=2020-03-16'), '5105', P2020)).toEqual({ error: 'bad_date' });
		expect(parseRanking(q('date=2020-02-30'), '5105', P2020)).toEqual({ error: 'bad_date' });
		expect(parseRanking(q('level=grid'), '5105', P2020)).toEqual({ error: 'bad_level' });
		expect(parseRanking(q('level=district'), '510502', P2020)).toEqual({ error: 'bad_level' });
		expect(parseRanking(q('level=community'), '510502001006001', P2020)).toEqual({ error: 'bad_level' });
		expect(parseRanking(q('valid=0'), '5105', P2020)).toEqual({ error: 'bad_valid_days' });
		expect(parseRanking(q('valid=61'), '5105', P2020)).toEqual({ error: 'bad_valid_days' });
		expect(parseRanking(q('valid=7.5'), '5105', P2020)).toEqual({ error: 'bad_valid_days' });
	});

	it('reopens what overviewHref wrote', () => {
		const href = overviewHref('5105', { date: '2020-02-05', level: 'street', validDays: 7 });
		expect(href).toBe('/overview/5105?date=2020-02-05&level=street&valid=7');
		expect(parseRanking(new URL(href, 'http://x').searchParams, '5105', P2020)).toEqual({
			date: '2020-02-05',
			level: 'street',
			validDays: 7
		});
		expect(overviewHref('5105', { level: 'community', validDays: null })).toBe('/overview/5105');
	});
});
