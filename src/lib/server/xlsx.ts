/**
 * Tables as an Excel workbook (.xlsx, through exceljs): one sheet per table, its head as the first row (bold,
 * frozen), numbers as numbers with a display format, so a reader can sum and sort them. `workbook` writes the
 * briefing's tables (the same ones the page shows, see $lib/domain/briefing, so the download and the page cannot
 * disagree); `writeWorkbook` plain rows with a format per column (exports, import templates).
 */
import ExcelJS from 'exceljs';
import type { Cell, NumberFormat } from '$lib/domain/briefing';

export interface SheetTable {
	title: string;
	head: string[];
	rows: Cell[][];
}

const FORMATS: Record<NumberFormat, string> = {
	count: '#,##0',
	change: '+#,##0;-#,##0;0',
	share: '0.0%',
	share_change: '+0.0%;-0.0%;0.0%',
	hours: '#,##0.0'
};

/** Excel's rules for sheet names: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
export function sheetName(title: string, taken: Set<string>): string {
	const base =
		title
			.replace(/[:\\/?*[\]]/g, ' ')
			.trim()
			.slice(0, 31) || 'Sheet';
	let name = base;
	for (let i = 2; taken.has(name.toLowerCase()); i++)
		name = `${base.slice(0, 31 - String(i).length - 1)}-${i}`;
	taken.add(name.toLowerCase());
	return name;
}

/** Wide enough for the longest text in a column (CJK characters count double), between 8 and 48 characters. */
function columnWidth(values: unknown[]): number {
	const widest = Math.max(
		...values.map((v) =>
			typeof v === 'string' ? [...v].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0) : 10
		)
	);
	return Math.min(48, Math.max(8, widest + 2));
}

export async function workbook(
	tables: SheetTable[],
	meta: { title: string; creator: string }
): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = meta.creator;
	wb.title = meta.title;
	// A fixed date keeps the same briefing byte-for-byte comparable between downloads.
	wb.created = wb.modified = new Date(0);
	const taken = new Set<string>();
	for (const t of tables) {
		const ws = wb.addWorksheet(sheetName(t.title, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
		ws.addRow(t.head).font = { bold: true };
		for (const row of t.rows) {
			const added = ws.addRow(row.map((c) => (typeof c === 'string' ? c : c.value)));
			row.forEach((c, i) => {
				if (typeof c !== 'string') added.getCell(i + 1).numFmt = FORMATS[c.format];
			});
		}
		ws.columns.forEach((col, i) => {
			col.width = columnWidth([t.head[i], ...t.rows.map((r) => r[i])]);
		});
	}
	return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface Sheet {
	name: string;
	head: string[];
	rows: (string | number | null)[][];
	/** Excel number formats by column index (e.g. '0.0%'). */
	formats?: Record<number, string>;
}

/** Sheets as an .xlsx file. */
export async function writeWorkbook(
	sheets: Sheet[],
	meta: { title: string; creator: string }
): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = meta.creator;
	wb.title = meta.title;
	const taken = new Set<string>();
	for (const s of sheets) {
		const ws = wb.addWorksheet(sheetName(s.name, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
		ws.addRow(s.head).font = { bold: true };
		for (const row of s.rows) ws.addRow(row);
		s.head.forEach((h, i) => {
			const column = ws.getColumn(i + 1);
			const format = s.formats?.[i];
			if (format) column.numFmt = format;
			column.width = columnWidth([h, ...s.rows.map((r) => r[i])]);
		});
	}
	return Buffer.from(await wb.xlsx.writeBuffer());
}
