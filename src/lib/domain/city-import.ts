/**
 * A city's administrative units from a file (issue #16): the national statistical division codes
 * (统计用区划代码, 12 digits zero-padded: 510502000000 is 江阳区), the 6-digit administrative codes (510500 is
 * 泸州市) or the product's own shortened codes (5105 › 510502 › 510502001 › 510502001006), from a JSON list in
 * the shape of supabase/seed/luzhou/admin-units.json or a sheet with Chinese headers (代码, 名称, 上级代码).
 * A unit's parent is its code's prefix; a 上级代码 that says otherwise is a row error, as is a code that fits no
 * form. Grids are not imported here: secretaries draw them.
 *
 *   const { units, errors, skipped } = readUnitRows(fromSheet(table));
 *   // units: [{ row: 2, code: '5105', name: '泸州市', level: 'city', parent: null }, ...]
 */
import {
	cellText,
	findHeaderRow,
	guessMapping,
	readCells,
	type Cell,
	type SheetSchema
} from './sheet-import';
import { LEVEL_CODE_LENGTH, type UnitLevel } from './units';

/** The levels a city import brings in (grids are drawn by their community). */
export type ImportLevel = Exclude<UnitLevel, 'grid'>;

export const IMPORT_LEVELS: readonly ImportLevel[] = ['city', 'district', 'street', 'community'];

/** What a unit is called by level, for reports. */
export const LEVEL_NAMES: Record<ImportLevel, string> = {
	city: '市',
	district: '区县',
	street: '街道乡镇',
	community: '社区村'
};

export const UNIT_FIELDS = ['code', 'name', 'parent'] as const;
export type UnitField = (typeof UNIT_FIELDS)[number];

export const UNIT_SCHEMA: SheetSchema<UnitField> = {
	fields: UNIT_FIELDS,
	required: ['code', 'name'],
	headers: {
		code: [
			'代码',
			'区划代码',
			'统计用区划代码',
			'行政区划代码',
			'单位代码',
			'编码',
			'code',
			'Code',
			'CODE',
			'adcode'
		],
		name: ['名称', '单位名称', '区划名称', '行政区划名称', 'name', 'Name', 'NAME'],
		parent: ['上级代码', '上级区划代码', '父级代码', '上级单位代码', 'parent', 'parent_code', 'parentCode']
	}
};

/** A row of the file as read: its row (sheet row, or item number in a JSON list) and its cells as text. */
export interface RawUnitRow {
	row: number;
	code: string;
	name: string;
	parent: string;
}

export interface UnitRow {
	row: number;
	code: string;
	name: string;
	level: ImportLevel;
	parent: string | null;
}

export interface UnitRowError {
	row: number;
	field: UnitField;
	message: string;
}

/** What {@link normaliseUnitCode} makes of a code: the product's code and level, a level above a city, or nothing. */
export type NormalisedCode = { code: string; level: ImportLevel } | { above: 'province' } | { error: string };

/**
 * A division code in the product's form: 12-digit statistical codes and 6-digit administrative codes lose their
 * zero padding (510502000000 → 510502, 510500 → 5105); the product's own 4/6/9/12-digit codes are taken as they
 * are. Provinces (510000000000, 510000, 51) are above what the product manages.
 */
export function normaliseUnitCode(raw: string): NormalisedCode {
	const code = raw.replace(/\s/g, '');
	if (!/^[0-9]+$/.test(code)) return { error: '代码只能是数字' };
	if (code.length === 2) return { above: 'province' };
	if (code.length === 12) {
		if (code.slice(2) === '0000000000') return { above: 'province' };
		if (code.slice(4) === '00000000') return { code: code.slice(0, 4), level: 'city' };
		if (code.slice(6) === '000000') return { code: code.slice(0, 6), level: 'district' };
		if (code.slice(9) === '000') return { code: code.slice(0, 9), level: 'street' };
		return { code, level: 'community' };
	}
	if (code.length === 6) {
		if (code.slice(2) === '0000') return { above: 'province' };
		if (code.slice(4) === '00') return { code: code.slice(0, 4), level: 'city' };
		return { code, level: 'district' };
	}
	if (code.length === LEVEL_CODE_LENGTH.city) return { code, level: 'city' };
	if (code.length === LEVEL_CODE_LENGTH.street) return { code, level: 'street' };
	return { error: `代码位数不对（${code.length} 位）：应为 12 位统计用区划代码，或 4、6、9 位` };
}

/** The parent's code by prefix, or null for a city. */
export function parentCodeOf(code: string, level: ImportLevel): string | null {
	const i = IMPORT_LEVELS.indexOf(level);
	return i === 0 ? null : code.slice(0, LEVEL_CODE_LENGTH[IMPORT_LEVELS[i - 1]]);
}

/** The rows of a sheet (first sheet of an .xlsx, or a .csv), found by their headers. */
export function fromSheet(table: Cell[][]): RawUnitRow[] | { error: string } {
	const header = findHeaderRow(UNIT_SCHEMA, table);
	const mapping = guessMapping(UNIT_SCHEMA, table[header] ?? []);
	if (mapping.code === null || mapping.name === null)
		return { error: '找不到“代码”和“名称”两列：请在表头写明（代码、名称，可加上级代码）' };
	return readCells(UNIT_SCHEMA, table, header, mapping).map(({ row, text }) => ({
		row,
		code: text('code'),
		name: text('name'),
		parent: text('parent')
	}));
}

/** The items of a JSON list such as admin-units.json ({code, name, parent?, level?}), numbered from 1. */
export function fromJson(value: unknown): RawUnitRow[] | { error: string } {
	const list = Array.isArray(value)
		? value
		: Array.isArray((value as { units?: unknown })?.units)
			? (value as { units: unknown[] }).units
			: null;
	if (!list) return { error: 'JSON 应是单位列表：[{"code": "5105", "name": "泸州市", "parent": null}, …]' };
	return list.map((item, i) => {
		const o = (item ?? {}) as Record<string, unknown>;
		const text = (v: unknown) => (v === null || v === undefined ? '' : cellText(v as Cell));
		return {
			row: i + 1,
			code: text(o.code ?? o.adcode),
			name: text(o.name),
			parent: text(o.parent ?? o.parent_code)
		};
	});
}

export interface UnitRows {
	units: UnitRow[];
	errors: UnitRowError[];
	/** rows above the city level (a province), left out */
	skipped: number[];
}

/**
 * The units of the rows, parents first, with every row error: a code that fits no form, an empty or long
 * name, a code given twice, a 上级代码 that is not the code's prefix, a parent that is neither in the file
 * nor among `existing` (the codes the database has).
 */
export function readUnitRows(
	rows: readonly RawUnitRow[],
	existing: ReadonlySet<string> = new Set()
): UnitRows {
	const errors: UnitRowError[] = [];
	const skipped: number[] = [];
	const byCode = new Map<string, UnitRow>();
	for (const raw of rows) {
		const n = normaliseUnitCode(raw.code);
		if ('above' in n) {
			skipped.push(raw.row);
			continue;
		}
		if ('error' in n) {
			errors.push({
				row: raw.row,
				field: 'code',
				message: raw.code ? `${n.error}：${raw.code}` : '缺少代码'
			});
			continue;
		}
		const name = raw.name.trim();
		if (!name || name.length > 60) {
			errors.push({ row: raw.row, field: 'name', message: name ? '名称超过 60 个字' : '缺少名称' });
			continue;
		}
		const parent = parentCodeOf(n.code, n.level);
		if (raw.parent) {
			const p = normaliseUnitCode(raw.parent);
			const given = 'code' in p ? p.code : null;
			if (given !== parent && !(parent === null && 'above' in p)) {
				errors.push({
					row: raw.row,
					field: 'parent',
					message: `上级代码 ${raw.parent} 与代码 ${raw.code} 不符：上级应为 ${parent ?? '（无，市级）'}`
				});
				continue;
			}
		}
		const twin = byCode.get(n.code);
		if (twin) {
			errors.push({ row: raw.row, field: 'code', message: `代码 ${n.code} 重复（第 ${twin.row} 行已有）` });
			continue;
		}
		byCode.set(n.code, { row: raw.row, code: n.code, name, level: n.level, parent });
	}
	for (const unit of byCode.values()) {
		if (unit.parent && !byCode.has(unit.parent) && !existing.has(unit.parent))
			errors.push({
				row: unit.row,
				field: 'parent',
				message: `上级单位 ${unit.parent} 不在文件中，也不在系统中`
			});
	}
	const units = [...byCode.values()].sort(
		(a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code)
	);
	return { units, errors: errors.sort((a, b) => a.row - b.row), skipped };
}
