/**
 * Uploaded spreadsheets read with ExcelJS: an .xlsx (first sheet) or a .csv into rows of cells. (Workbooks are
 * written by ./xlsx.ts.)
 */
import ExcelJS from 'exceljs';
import { type Cell } from '$lib/domain/sheet-import';
import { decodeText, guessDelimiter, parseCsv } from '$lib/domain/sheet-text';

/** Larger files are refused before they are parsed (5,000 households or volunteers take far less). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export type TableResult =
	{ table: Cell[][] } | { error: 'empty' | 'too_large' | 'unreadable' | 'unsupported' };

/** A cell's value as the sheet shows it: formulas by their result, rich text and links by their text. */
function cellValue(value: ExcelJS.CellValue): Cell {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
	if (value instanceof Date) return value;
	if (typeof value === 'object') {
		if ('richText' in value) return value.richText.map((t) => t.text).join('');
		if ('result' in value) return cellValue(value.result as ExcelJS.CellValue);
		if ('text' in value) return String(value.text);
		if ('error' in value) return null;
	}
	return String(value);
}

/** The first sheet of an .xlsx, or a .csv (UTF-8 or GB18030), as rows of cells. */
export async function readTable(file: File): Promise<TableResult> {
	if (file.size === 0) return { error: 'empty' };
	if (file.size > MAX_UPLOAD_BYTES) return { error: 'too_large' };
	const name = file.name.toLowerCase();
	const bytes = new Uint8Array(await file.arrayBuffer());
	if (name.endsWith('.csv') || name.endsWith('.txt')) {
		const text = decodeText(bytes);
		const table = parseCsv(text, guessDelimiter(text));
		return table.length === 0 ? { error: 'empty' } : { table };
	}
	if (!name.endsWith('.xlsx')) return { error: 'unsupported' };
	try {
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(
			bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
		);
		const sheet = workbook.worksheets[0];
		if (!sheet || sheet.rowCount === 0) return { error: 'empty' };
		const table: Cell[][] = [];
		sheet.eachRow({ includeEmpty: true }, (row, n) => {
			const cells: Cell[] = [];
			row.eachCell({ includeEmpty: true }, (cell, c) => {
				cells[c - 1] = cellValue(cell.value);
			});
			table[n - 1] = Array.from(cells, (c) => c ?? null);
		});
		return { table: Array.from(table, (r) => r ?? []) };
	} catch {
		return { error: 'unreadable' };
	}
}
