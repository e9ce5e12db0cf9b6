/**
 * Household import (issue #5): the columns of a secretary's spreadsheet mapped to the fields of a household,
 * and the rows read out for the database, which checks every row and writes all or nothing
 * (public.import_households). Headers are Chinese, as the community's own registers have them; each field
 * knows the usual ways offices write its header, so the mapping is guessed and the secretary corrects it
 * (the generic steps are in ./sheet-import).
 *
 *   const header = findHeaderRow(HOUSEHOLD_SCHEMA, table);
 *   const mapping = guessMapping(HOUSEHOLD_SCHEMA, table[header]);
 *   const rows = readRows(table, header, mapping); // [{ row: 2, building: '35栋', room: '1单元101', ... }]
 */
import { readCells, type Cell, type Mapping, type SheetSchema } from './sheet-import';

export const HOUSEHOLD_FIELDS = ['building', 'room', 'head_name', 'phone', 'members'] as const;
export type HouseholdField = (typeof HOUSEHOLD_FIELDS)[number];

/** Fields a row cannot do without (a phone is optional). */
export const REQUIRED_FIELDS: readonly HouseholdField[] = ['building', 'room', 'head_name', 'members'];

/** Header texts each field is recognised by, after normaliseHeader; the first is the template's. */
export const HEADER_NAMES: Record<HouseholdField, string[]> = {
	building: ['楼栋', '楼栋名称', '楼号', '栋号', '楼栋号', '楼宇', '建筑', '所在楼栋'],
	room: ['房号', '门牌号', '门牌', '房间号', '单元房号', '户号', '住址'],
	head_name: ['户主姓名', '户主', '姓名', '户主名', '联系人'],
	phone: ['联系电话', '电话', '手机', '手机号', '手机号码', '电话号码', '户主电话'],
	members: ['人数', '家庭人数', '户人数', '常住人数', '居住人数', '家庭成员数', '成员数']
};

export const HOUSEHOLD_SCHEMA: SheetSchema<HouseholdField> = {
	fields: HOUSEHOLD_FIELDS,
	required: REQUIRED_FIELDS,
	headers: HEADER_NAMES
};

/** One row as the database takes it: `row` is the sheet's row number (1 is the first row). */
export interface ImportRow {
	row: number;
	building: string;
	room: string;
	head_name: string;
	phone: string;
	members: string;
}

/** The data rows below the header as import rows; rows with every mapped cell empty are skipped. */
export function readRows(table: Cell[][], headerRow: number, mapping: Mapping<HouseholdField>): ImportRow[] {
	return readCells(HOUSEHOLD_SCHEMA, table, headerRow, mapping).map(({ row, text }) => ({
		row,
		building: text('building'),
		room: text('room'),
		head_name: text('head_name'),
		phone: text('phone'),
		members: text('members')
	}));
}
