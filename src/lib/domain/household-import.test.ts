import { describe, expect, it } from 'vitest';
import { HOUSEHOLD_SCHEMA, readRows } from './household-import';
import { findHeaderRow, guessMapping, mappingFromForm, mappingProblems, type Cell } from './sheet-import';

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
		const header = findHeaderRow(HOUSEHOLD_SCHEMA, SHEET);
		expect(header).toBe(1);
		expect(guessMapping(HOUSEHOLD_SCHEMA, SHEET[header])).toEqual({
			building: 1,
			room: 2,
			head_name: 3,
			phone: 4,
			members: 5
		});
	});

	it('reads rows with their sheet row numbers, skipping empty rows, numbers as the sheet shows them', () => {
		const rows = readRows(SHEET, 1, guessMapping(HOUSEHOLD_SCHEMA, SHEET[1]));
		expect(rows).toEqual([
			{ row: 3, building: '35栋', room: '1单元101', head_name: '顾芳', phone: '13558564283', members: '4' },
			{ row: 4, building: '35栋', room: '1单元102', head_name: '任婷', phone: '178 4629 9594', members: '3' },
			{ row: 6, building: '36栋', room: '2单元201', head_name: '沈德', phone: '', members: '1' }
		]);
	});

	it('says which required fields have no column, which columns are used twice, which are out of range', () => {
		const mapping = { building: 0, room: 0, head_name: null, phone: 9, members: 2 };
		expect(mappingProblems(HOUSEHOLD_SCHEMA, mapping, 5)).toEqual({
			missing: ['head_name'],
			shared: [0],
			outOfRange: ['phone']
		});
		expect(mappingProblems(HOUSEHOLD_SCHEMA, guessMapping(HOUSEHOLD_SCHEMA, SHEET[1]), 6)).toEqual({
			missing: [],
			shared: [],
			outOfRange: []
		});
	});

	it('reads a mapping from a form, ignoring anything but column numbers', () => {
		const form: Record<string, string> = {
			building: '1',
			room: '2',
			head_name: 'x',
			phone: '',
			members: '12'
		};
		expect(mappingFromForm(HOUSEHOLD_SCHEMA, (f) => form[f] ?? null)).toEqual({
			building: 1,
			room: 2,
			head_name: null,
			phone: null,
			members: 12
		});
	});
});
