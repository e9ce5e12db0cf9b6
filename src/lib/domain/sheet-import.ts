/**
 * What every spreadsheet import shares (issue #5): a sheet's cells as text, the header row found below any
 * title rows, each field's column guessed from the Chinese headers offices write and corrected by the
 * secretary, and the data rows read through that mapping. A kind of import (households, special-group
 * residents) is a {@link SheetSchema}: its fields, the ones it cannot do without, and the header texts each
 * field is known by. The database checks every row again and writes all or nothing.
 *
 *   const header = findHeaderRow(SCHEMA, table);
 *   const mapping = guessMapping(SCHEMA, table[header]);
 *   for (const { row, text } of readCells(SCHEMA, table, header, mapping)) ...
 */

/** A cell as read from a sheet: text, a number, a date, a boolean, or empty. */
export type Cell = string | number | boolean | Date | null;

/** The fields of one kind of import and how their headers are written. */
export interface SheetSchema<F extends string> {
	fields: readonly F[];
	/** Fields a row cannot do without. */
	required: readonly F[];
	/** Header texts each field is recognised by, after {@link normaliseHeader}; the first is the template's. */
	headers: Record<F, readonly string[]>;
}

/** A mapping from field to the index of its column, or null when the sheet has no such column. */
export type Mapping<F extends string> = Record<F, number | null>;

/** A header without spaces, bracketed notes or a trailing colon: '户主 姓名（必填）：' → '户主姓名'. */
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

/** Excel counts days from 1899-12-30 (its 1900 leap-year bug included). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A date as YYYY-MM-DD from an Excel date, an Excel serial number, or text such as 2020-02-01, 2020/2/1,
 * 2020.2.1, 2020年2月1日. Null when it is none of these or not a real day.
 */
export function parseDate(cell: Cell): string | null {
	if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString().slice(0, 10);
	if (typeof cell === 'number') {
		if (!Number.isInteger(cell) || cell < 1 || cell > 2_958_465) return null;
		return new Date(EXCEL_EPOCH_MS + cell * 86_400_000).toISOString().slice(0, 10);
	}
	const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(cellText(cell));
	if (!m) return null;
	const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
	const d = new Date(`${iso}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

/** The field a header names, or null. */
export function fieldOf<F extends string>(schema: SheetSchema<F>, header: Cell | undefined): F | null {
	const text = normaliseHeader(cellText(header));
	if (!text) return null;
	for (const field of schema.fields) if (schema.headers[field].includes(text)) return field;
	return null;
}

/**
 * The index of the header row: the first of the first 10 rows in which at least two cells name a field
 * (sheets often open with a title row such as "白招牌社区住户登记表"); 0 when none does.
 */
export function findHeaderRow<F extends string>(schema: SheetSchema<F>, table: Cell[][]): number {
	for (let r = 0; r < Math.min(10, table.length); r++) {
		const named = new Set(table[r].map((h) => fieldOf(schema, h)).filter((f) => f !== null));
		if (named.size >= 2) return r;
	}
	return 0;
}

/** Each field's column from its header text, the first column that names it. */
export function guessMapping<F extends string>(schema: SheetSchema<F>, headers: Cell[]): Mapping<F> {
	const mapping = Object.fromEntries(schema.fields.map((f) => [f, null])) as Mapping<F>;
	headers.forEach((h, i) => {
		const field = fieldOf(schema, h);
		if (field && mapping[field] === null) mapping[field] = i;
	});
	return mapping;
}

export interface MappingProblems<F extends string> {
	/** required fields without a column */
	missing: F[];
	/** columns given to two fields */
	shared: number[];
	/** fields given a column the sheet does not have */
	outOfRange: F[];
}

/** What keeps a mapping from being used: see {@link MappingProblems}. */
export function mappingProblems<F extends string>(
	schema: SheetSchema<F>,
	mapping: Mapping<F>,
	columns: number
): MappingProblems<F> {
	const missing = schema.required.filter((f) => mapping[f] === null);
	const outOfRange = schema.fields.filter((f) => {
		const c = mapping[f];
		return c !== null && (!Number.isInteger(c) || c < 0 || c >= columns);
	});
	const used = schema.fields.map((f) => mapping[f]).filter((c): c is number => c !== null);
	const shared = [...new Set(used.filter((c, i) => used.indexOf(c) !== i))];
	return { missing, shared, outOfRange };
}

/** Whether a mapping can be used as it is. */
export function mappingUsable<F extends string>(problems: MappingProblems<F>): boolean {
	return !problems.missing.length && !problems.shared.length && !problems.outOfRange.length;
}

/** A data row: its sheet row number (1 is the first row), and each mapped field's cell. */
export interface SheetRow<F extends string> {
	row: number;
	/** the field's cell as read (for dates and numbers), undefined when the field has no column */
	cell: (field: F) => Cell | undefined;
	/** the field's cell as text ('' when empty or without a column) */
	text: (field: F) => string;
}

/** The data rows below the header; rows with every mapped cell empty are skipped. */
export function readCells<F extends string>(
	schema: SheetSchema<F>,
	table: Cell[][],
	headerRow: number,
	mapping: Mapping<F>
): SheetRow<F>[] {
	const out: SheetRow<F>[] = [];
	for (let r = headerRow + 1; r < table.length; r++) {
		const cells = table[r] ?? [];
		const cell = (f: F): Cell | undefined => {
			const c = mapping[f];
			return c === null ? undefined : (cells[c] ?? null);
		};
		const text = (f: F) => cellText(cell(f));
		if (schema.fields.every((f) => text(f) === '')) continue;
		out.push({ row: r + 1, cell, text });
	}
	return out;
}

/** The column count of a table (its widest row). */
export function columnCount(table: Cell[][]): number {
	return table.reduce((n, row) => Math.max(n, row.length), 0);
}

/** A mapping from form values (column index as text, '' for none), falling back to none on bad input. */
export function mappingFromForm<F extends string>(
	schema: SheetSchema<F>,
	get: (field: F) => string | null
): Mapping<F> {
	const mapping = {} as Mapping<F>;
	for (const f of schema.fields) {
		const v = get(f);
		mapping[f] = v !== null && /^[0-9]{1,3}$/.test(v) ? Number(v) : null;
	}
	return mapping;
}
