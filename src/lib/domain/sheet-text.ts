/**
 * Spreadsheet text in: a CSV file as rows of cells, decoded whichever way Chinese offices save it (UTF-8 with
 * or without a byte-order mark from WPS and newer Excel, GB18030/GBK from older Excel "CSV" exports).
 *
 *   parseCsv(decodeText(bytes)); // [['楼栋', '房号', ...], ['35栋', '1单元101', ...]]
 */

/** Bytes as text: UTF-8 when they are valid UTF-8 (a BOM is dropped), GB18030 otherwise. */
export function decodeText(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		return new TextDecoder('gb18030').decode(bytes);
	}
}

/**
 * RFC 4180 CSV: fields separated by commas (or the delimiter given), quoted with double quotes where they
 * hold commas, quotes (doubled) or line breaks; CRLF or LF line ends. Trailing empty lines are dropped;
 * cells are kept as text (no number guessing: a phone number or a room 0101 keeps its digits).
 *
 * @example
 * parseCsv('楼栋,房号\n35栋,"1单元,101"'); // [['楼栋', '房号'], ['35栋', '1单元,101']]
 */
export function parseCsv(text: string, delimiter = ','): string[][] {
	if (delimiter.length !== 1 || delimiter === '"')
		throw new Error('delimiter must be one character, not a quote');
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i++;
				} else quoted = false;
			} else field += c;
			continue;
		}
		if (c === '"' && field === '') quoted = true;
		else if (c === delimiter) {
			row.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += c;
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	while (rows.length > 0 && rows[rows.length - 1].every((cell) => cell.trim() === '')) rows.pop();
	return rows;
}

/**
 * The delimiter a CSV file uses: a comma, or a tab or semicolon when the first line has more of those than
 * commas (Excel saves "CSV" with semicolons in some locales; a sheet copied out as text has tabs).
 */
export function guessDelimiter(text: string): string {
	const firstLine = text.slice(0, text.search(/\r?\n|$/));
	const count = (c: string) => firstLine.split(c).length - 1;
	return [',', '\t', ';'].reduce((best, c) => (count(c) > count(best) ? c : best), ',');
}
