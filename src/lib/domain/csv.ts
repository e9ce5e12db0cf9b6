/**
 * CSV for exports that open in Excel: a UTF-8 byte-order mark (Excel reads Chinese right only with it), CRLF
 * line ends, and fields quoted when they hold a comma, quote or line break (RFC 4180). A field starting with
 * =, +, - or @ is prefixed with an apostrophe so a spreadsheet never runs it as a formula.
 *
 *   toCsv([{ name: '王**', groups: ['独居老人'] }], [{ key: 'name', title: '姓名' }, { key: 'groups', title: '群体' }])
 */
export interface CsvColumn<T> {
	key: keyof T & string;
	title: string;
	/** How a value is written; arrays are joined with 、 by default. */
	format?: (value: T[keyof T], row: T) => string;
}

function cell(value: unknown): string {
	if (value === null || value === undefined) return '';
	const text = Array.isArray(value) ? value.join('、') : String(value);
	const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
	const lines = [columns.map((c) => cell(c.title)).join(',')];
	for (const row of rows)
		lines.push(columns.map((c) => cell(c.format ? c.format(row[c.key], row) : row[c.key])).join(','));
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}
