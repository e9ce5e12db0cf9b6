import { describe, expect, it } from 'vitest';
import {
	cellText,
	findHeaderRow,
	guessMapping,
	mappingFromForm,
	mappingProblems,
	normaliseHeader,
	readRows,
	type Cell
} from './household-import';

const SHEET: Cell[][] = [
	['白招牌社区住户登记表', null, null, null, null],
	['序号', '楼栋', '门牌号', '户主 姓名（必填）', '联系电话', '家庭人数'],
	[1, '35栋', '1单元101', '顾芳', 13558564283, 4],
	[2, '35栋', '1单元102', '任婷', '178 4629 9594', '3'],
	[null, null, null, null, null, null],
	[3, '36栋', '2单元201', '沈德', null, 1]
];

describe('household import mapping', () => {
	it('finds the header row below a title row and guesses every field', () => {
		const header = findHeaderRow(SHEET);
		expect(header).toBe(1);
		expect(guessMapping(SHEET[header])).toEqual({ building: 1, room: 2, head_name: 3, phone: 4, members: 5 });
	});

	it('normalises headers: spaces, notes in brackets, colons and asterisks', () => {
		expect(normaliseHeader('户主 姓名（必填）：')).toBe('户主姓名');
		expect(normaliseHeader('*人数(人)')).toBe('人数');
	});

	it('reads rows with their sheet row numbers, skipping empty rows, numbers as the sheet shows them', () => {
		const rows = readRows(SHEET, 1, guessMapping(SHEET[1]));
		expect(rows).toEqual([
			{ row: 3, building: '35栋', room: '1单元101', head_name: '顾芳', phone: '13558564283', members: '4' },
			{ row: 4, building: '35栋', room: '1单元102', head_name: '任婷', phone: '178 4629 9594', members: '3' },
			{ row: 6, building: '36栋', room: '2单元201', head_name: '沈德', phone: '', members: '1' }
		]);
	});

	it('says which required fields have no column, which columns are used twice, which are out of range', () => {
		const mapping = { building: 0, room: 0, head_name: null, phone: 9, members: 2 };
		expect(mappingProblems(mapping, 5)).toEqual({
			missing: ['head_name'],
			shared: [0],
			outOfRange: ['phone']
		});
		expect(mappingProblems(guessMapping(SHEET[1]), 6)).toEqual({ missing: [], shared: [], outOfRange: [] });
	});

	it('reads a mapping from a form, ignoring anything but column numbers', () => {
		const form: Record<string, string> = {
			building: '1',
			room: '2',
			head_name: 'x',
			phone: '',
			members: '12'
		};
		expect(mappingFromForm((f) => form[f] ?? null)).toEqual({
			building: 1,
			room: 2,
			head_name: null,
			phone: null,
			members: 12
		});
	});

	it('shows cells as text', () => {
		expect(cellText(13800138000)).toBe('13800138000');
		expect(cellText(2.5)).toBe('2.5');
		expect(cellText(new Date('2020-02-01T00:00:00Z'))).toBe('2020-02-01');
		expect(cellText('  35栋 ')).toBe('35栋');
		expect(cellText(null)).toBe('');
	});
});
