import { describe, expect, it } from 'vitest';
import {
	cellText,
	columnCount,
	findHeaderRow,
	guessMapping,
	mappingUsable,
	mappingProblems,
	normaliseHeader,
	parseDate,
	readCells,
	type Cell,
	type SheetSchema
} from './sheet-import';

const SCHEMA: SheetSchema<'name' | 'phone' | 'day'> = {
	fields: ['name', 'phone', 'day'],
	required: ['name'],
	headers: { name: ['姓名', '名字'], phone: ['电话', '手机'], day: ['日期'] }
};

describe('sheet import', () => {
	it('normalises headers: spaces, notes in brackets, colons and asterisks', () => {
		expect(normaliseHeader('户主 姓名（必填）：')).toBe('户主姓名');
		expect(normaliseHeader('*人数(人)')).toBe('人数');
	});

	it('shows cells as text', () => {
		expect(cellText(13800138000)).toBe('13800138000');
		expect(cellText(2.5)).toBe('2.5');
		expect(cellText(new Date('2020-02-01T00:00:00Z'))).toBe('2020-02-01');
		expect(cellText('  35栋 ')).toBe('35栋');
		expect(cellText(null)).toBe('');
		expect(cellText(undefined)).toBe('');
	});

	it('reads dates from Excel dates, serial numbers and Chinese text', () => {
		expect(parseDate(new Date(Date.UTC(2020, 1, 1)))).toBe('2020-02-01');
		expect(parseDate(43862)).toBe('2020-02-01');
		expect(parseDate('2020/2/1')).toBe('2020-02-01');
		expect(parseDate('2020年2月1日')).toBe('2020-02-01');
		expect(parseDate('2020.02.01')).toBe('2020-02-01');
		expect(parseDate('2020-02-30')).toBeNull();
		expect(parseDate('二月一日')).toBeNull();
		expect(parseDate(43862.5)).toBeNull();
	});

	it('finds the header row by two named fields, and 0 when no row names two', () => {
		const table: Cell[][] = [['名单'], ['姓名'], ['序号', '名字', '手机'], ['张三', '13800138000']];
		expect(findHeaderRow(SCHEMA, table)).toBe(2);
		expect(findHeaderRow(SCHEMA, [['名单'], ['张三']])).toBe(0);
	});

	it('gives each field the first column that names it', () => {
		expect(guessMapping(SCHEMA, ['姓名', '名字', '备注', '电话'])).toEqual({ name: 0, phone: 3, day: null });
	});

	it('reads cells of mapped fields only, skipping rows whose mapped cells are empty', () => {
		const table: Cell[][] = [
			['姓名', '备注', '日期'],
			['张三', 'x', new Date(Date.UTC(2020, 1, 1))],
			[null, '只有备注', null],
			[' 李四 ']
		];
		const mapping = guessMapping(SCHEMA, table[0]);
		const rows = readCells(SCHEMA, table, 0, mapping);
		expect(rows.map((r) => [r.row, r.text('name'), r.text('phone'), r.text('day')])).toEqual([
			[2, '张三', '', '2020-02-01'],
			[4, '李四', '', '']
		]);
		expect(rows[0].cell('day')).toBeInstanceOf(Date);
		expect(rows[0].cell('phone')).toBeUndefined(); // no column
		expect(rows[1].cell('day')).toBeNull(); // a column, an empty cell
	});

	it('says when a mapping cannot be used', () => {
		const ok = mappingProblems(SCHEMA, { name: 0, phone: null, day: 2 }, 3);
		expect(mappingUsable(ok)).toBe(true);
		const bad = mappingProblems(SCHEMA, { name: null, phone: 1, day: 1 }, 3);
		expect(bad).toEqual({ missing: ['name'], shared: [1], outOfRange: [] });
		expect(mappingUsable(bad)).toBe(false);
		expect(columnCount([[1], [1, 2, 3], []])).toBe(3);
	});
});
