/**
 * Text tables from uploaded files: bytes decoded (UTF-8, or GB18030 as Excel on a Chinese Windows saves CSV)
 * and CSV split into rows (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes, CRLF).
 *
 *   parseCsv(decodeText(bytes)) → [['姓名', '手机号'], ['王建国', '13800000001']]
 */

/**
 * Decodes a file's bytes: UTF-8 (a BOM dropped) when they are valid UTF-8, else GB18030 (a superset of GBK
 * and GB2312, what "CSV" from Excel on a Chinese system is written in).
 */
export function decodeText(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		return new TextDecoder('gb18030').decode(bytes);
	}
}

/**
 * Splits CSV text into rows of fields. The delimiter is a comma, or a tab or semicolon when the first line
 * has more of those than commas. Trailing empty lines are dropped.
 */
export function parseCsv(text: string): string[][] {
	const firstLine = text.slice(0, text.search(/\r?\n|$/));
	const count = (c: string) => firstLine.split(c).length - 1;
	const delimiter = [',', '\t', ';'].reduce((best, c) => (count(c) > count(best) ? c : best), ',');

	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	let i = 0;
	while (i < text.length) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i += 2;
					continue;
				}
				quoted = false;
			} else field += ch;
			i++;
			continue;
		}
		if (ch === '"' && field === '') quoted = true;
		else if (ch === delimiter) {
			row.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			if (ch === '\r' && text[i + 1] === '\n') i++;
		} else field += ch;
		i++;
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	while (rows.length > 0 && rows[rows.length - 1].every((f) => f === '')) rows.pop();
	return rows;
}
