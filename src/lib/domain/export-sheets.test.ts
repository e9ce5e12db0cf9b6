import { describe, expect, it } from 'vitest';
import { chinaTime, rowCells, type Column } from './export-sheets';

describe('rowCells', () => {
	const columns: Column[] = [
		{ key: 'grid_name', head: '网格' },
		{ key: 'households', head: '户数', format: 'count' },
		{ key: 'coverage', head: '覆盖率', format: 'share' },
		{
			key: 'special_groups',
			head: '类别',
			words: (v) => ({ elderly_alone: '独居老人', disabled: '残疾人' })[v] ?? v
		},
		{ key: 'reported_at', head: '上报时间', format: 'datetime' },
		{ key: 'overdue', head: '超期', words: (v) => (v === 'true' ? '是' : '否') }
	];

	it('keeps numbers as numbers, joins lists in words, shows times in China time, empties as null', () => {
		expect(
			rowCells(
				{
					grid_name: '第1网格',
					households: 660,
					coverage: '0.9697',
					special_groups: ['elderly_alone', 'disabled'],
					reported_at: '2020-01-25T11:29:37.928907+00:00',
					overdue: false
				},
				columns
			)
		).toEqual(['第1网格', 660, 0.9697, '独居老人、残疾人', '2020-01-25 19:29', '否']);
		expect(rowCells({}, columns)).toEqual([null, null, null, null, null, null]);
	});

	it('leaves a time it cannot read as it is', () => {
		expect(chinaTime('soon')).toBe('soon');
	});
});
