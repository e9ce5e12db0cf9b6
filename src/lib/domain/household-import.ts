/**
 * Household import (issue #5): the columns of a secretary's spreadsheet mapped to the fields of a household,
 * and the rows read out for the database, which checks every row and writes all or nothing
 * (public.import_households). Headers are Chinese, as the community's own registers have them; each field
 * knows the usual ways offices write its header, so the mapping is guessed and the secretary corrects it.
 *
 *   const table = parseCsv(decodeText(bytes));
 *   const header = findHeaderRow(table);
 *   const mapping = guessMapping(table[header]);
 *   const rows = readRows(table, header, mapping); // [{ row: 2, building: '35栋', room: '1单元101', ... }]
 */

export const HOUSEHOLD_FIELDS = ['building', 'room', 'head_name', 'phone', 'members'] as const;
export type HouseholdField = (typeof HOUSEHOLD_FIELDS)[number];

/** Fields a row cannot do without (a phone is optional). */
export const REQUIRED_FIELDS: readonly HouseholdField[] = ['building', 'room', 'head_name', 'members'];

/** Header texts each field is recognised by, after {@link normaliseHeader}; the first is the template's. */
export const HEADER_NAMES: Record<HouseholdField, string[]> = {
	building: ['楼栋', '楼栋名称', '楼号', '栋号', '楼栋号', '楼宇', '建筑', '所在楼栋'],
	room: ['房号', '门牌号', '门牌', '房间号', '单元房号', '户号', '住址'],
	head_name: ['户主姓名', '户主', '姓名', '户主名', '联系人'],
	phone: ['联系电话', '电话', '手机', '手机号', '手机号码', '电话号码', '户主电话'],
	members: ['人数', '家庭人数', '户人数', '常住人数', '居住人数', '家庭成员数', '成员数']
};

/** A cell as read from a sheet: text, a number, a date, a boolean, or empty. */
export type Cell = string | number | boolean | Date | null;

/** A mapping from field to the index of its column, or null when the sheet has no such column. */
export type Mapping = Record<HouseholdField, number | null>;

/** One row as the database takes it: `row` is the sheet's row number (1 is the first row). */
export interface ImportRow {
	row: number;
	building: string;
	room: string;
	head_name: string;
	phone: string;
	members: string;
}

/** A header without spaces, full-width brackets' contents or a trailing colon: '户主 姓名（必填）：' → '户主姓名'. */
export function normaliseHeader(text: string): string {
	return text
		.replace(/[（(][^）)]*[）)]/g, '')
		.replace(/[\s:：*＊]/g, '')
		.trim();
}

/**
 * A cell as text the way the sheet shows it: whole numbers without a decimal point or exponent (a phone
 * number saved as a number), dates as YYYY-MM-DD, everything trimmed.
 */
export function cellText(cell: Cell | undefined): string {
	if (cell === null || cell === undefined) return '';
	if (typeof cell === 'number') {
		if (Number.isInteger(cell)) return BigInt(cell).toString();
		return String(cell);
	}
	if (cell instanceof Date) return cell.toISOString().slice(0, 10);
	return String(cell).trim();
}

function fieldOf(header: Cell | undefined): HouseholdField | null {
	const text = normaliseHeader(cellText(header));
	if (!text) return null;
	for (const field of HOUSEHOLD_FIELDS) if (HEADER_NAMES[field].includes(text)) return field;
	return null;
}

/**
 * The index of the header row: the first of the first 10 rows in which at least two cells name a field
 * (sheets often open with a title row such as "白招牌社区住户登记表"); 0 when none does.
 */
export function findHeaderRow(table: Cell[][]): number {
	for (let r = 0; r < Math.min(10, table.length); r++) {
		const named = new Set(table[r].map(fieldOf).filter((f) => f !== null));
		if (named.size >= 2) return r;
	}
	return 0;
}

/** Each field's column from its header text, the first column that names it. */
export function guessMapping(headers: Cell[]): Mapping {
	const mapping: Mapping = { building: null, room: null, head_name: null, phone: null, members: null };
	headers.forEach((h, i) => {
		const field = fieldOf(h);
		if (field && mapping[field] === null) mapping[field] = i;
	});
	return mapping;
}

/** Required fields without a column, and columns given to two fields. */
export function mappingProblems(
	mapping: Mapping,
	columns: number
): { missing: HouseholdField[]; shared: number[]; outOfRange: HouseholdField[] } {
	const missing = REQUIRED_FIELDS.filter((f) => mapping[f] === null);
	const outOfRange = HOUSEHOLD_FIELDS.filter((f) => {
		const c = mapping[f];
		return c !== null && (!Number.isInteger(c) || c < 0 || c >= columns);
	});
	const used = HOUSEHOLD_FIELDS.map((f) => mapping[f]).filter((c): c is number => c !== null);
	const shared = [...new Set(used.filter((c, i) => used.indexOf(c) !== i))];
	return { missing, shared, outOfRange };
}

/** The data rows below the header as import rows; rows with every mapped cell empty are skipped. */
export function readRows(table: Cell[][], headerRow: number, mapping: Mapping): ImportRow[] {
	const out: ImportRow[] = [];
	for (let r = headerRow + 1; r < table.length; r++) {
		const cells = table[r] ?? [];
		const value = (f: HouseholdField) => {
			const c = mapping[f];
			return c === null ? '' : cellText(cells[c]);
		};
		const row: ImportRow = {
			row: r + 1,
			building: value('building'),
			room: value('room'),
			head_name: value('head_name'),
			phone: value('phone'),
			members: value('members')
		};
		if (HOUSEHOLD_FIELDS.every((f) => row[f] === '')) continue;
		out.push(row);
	}
	return out;
}

/** The column count of a table (its widest row). */
export function columnCount(table: Cell[][]): number {
	return table.reduce((n, row) => Math.max(n, row.length), 0);
}

/** A mapping from form values (column index as text, '' for none), falling back to none on bad input. */
export function mappingFromForm(get: (field: HouseholdField) => string | null): Mapping {
	const mapping = {} as Mapping;
	for (const f of HOUSEHOLD_FIELDS) {
		const v = get(f);
		mapping[f] = v !== null && /^[0-9]{1,3}$/.test(v) ? Number(v) : null;
	}
	return mapping;
}
