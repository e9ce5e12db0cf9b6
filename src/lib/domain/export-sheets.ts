/**
 * The community's exports as spreadsheet tables (issue #5): which columns each export has, for records (staff)
 * and for counts (leaders), and each row's cells, with codes turned into the words people use. The database
 * decides what a role may see (public.export_unit); this only lays it out, so the same rows always make the
 * same sheet.
 */

export type ExportKind = 'progress' | 'special_groups' | 'leads';

export interface Column {
	key: string;
	/** a message key's text, given by the caller (i18n stays in the app) */
	head: string;
	format?: 'count' | 'share' | 'date' | 'datetime';
	/** turns a code into words (a status, a group) */
	words?: (value: string) => string;
}

export type Cell = string | number | null;

/** China Standard Time as people read it: 2020-02-03 14:05. */
export function chinaTime(iso: string): string {
	const t = new Date(iso);
	if (Number.isNaN(t.getTime())) return iso;
	return new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** One row's cells in column order: numbers stay numbers, lists joined with 、, times in China time. */
export function rowCells(row: Record<string, unknown>, columns: Column[]): Cell[] {
	return columns.map((c) => {
		const v = row[c.key];
		if (v === null || v === undefined) return null;
		if (Array.isArray(v)) return v.map((x) => (c.words ? c.words(String(x)) : String(x))).join('、');
		if (c.format === 'count' || c.format === 'share') return typeof v === 'number' ? v : Number(v);
		if (c.format === 'datetime') return chinaTime(String(v));
		if (typeof v === 'boolean') return c.words ? c.words(String(v)) : String(v);
		return c.words ? c.words(String(v)) : String(v);
	});
}
