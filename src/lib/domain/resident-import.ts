/**
 * Special-group residents from a spreadsheet (issue #5): the columns of a community's register (Chinese
 * headers) mapped to the fields of a resident, and each row read out for public.import_residents, which checks
 * every row and writes all or nothing. The steps every import shares are in ./sheet-import; this module knows
 * the residents' headers and turns the words offices write into the registry's codes: 男/女 into a gender,
 * "独居老人、慢性病患者" into ['elderly_alone', 'chronic_illness'], 2031年6月2日 into 2031-06-02. A word it does not
 * know is passed on as written, so the database's report can name it.
 *
 *   const words = vocabulary({ groups: { elderly_alone: ['独居老人'] }, needs: {} });
 *   const rows = readRows(table, header, mapping, words);
 *   // [{ row: 3, building: '35栋', room: '1单元101', name: '顾芳', special_groups: ['elderly_alone'], ... }]
 *
 * A field whose column the sheet lacks is left out of the row (the database then keeps what it has); a
 * column's empty cell is sent as '' (or []), which clears the value, except the ID number, which an import
 * never clears.
 */
import { NEEDS, SPECIAL_GROUPS, type Need, type SpecialGroup } from './care';
import { HEADER_NAMES } from './household-import';
import { cellText, parseDate, readCells, type Cell, type Mapping, type SheetSchema } from './sheet-import';

export const RESIDENT_FIELDS = [
	'building',
	'room',
	'name',
	'gender',
	'birth_year',
	'id_number',
	'phone',
	'special_groups',
	'needs',
	'isolation_until',
	'note'
] as const;
export type ResidentField = (typeof RESIDENT_FIELDS)[number];

/** Fields a row cannot do without: where the resident lives, who, and why they are in the registry. */
export const REQUIRED_FIELDS: readonly ResidentField[] = ['building', 'room', 'name', 'special_groups'];

/** Header texts each field is recognised by (after normaliseHeader); the first is the template's. */
export const HEADER_NAMES_RESIDENTS: Record<ResidentField, readonly string[]> = {
	building: HEADER_NAMES.building,
	room: HEADER_NAMES.room,
	name: ['姓名', '居民姓名', '人员姓名', '名字', '服务对象'],
	gender: ['性别'],
	birth_year: ['出生年份', '出生年', '出生年月', '出生日期', '生年'],
	id_number: ['身份证号', '身份证号码', '公民身份号码', '身份证', '证件号码', '证件号'],
	phone: ['联系电话', '电话', '手机', '手机号', '手机号码', '电话号码'],
	special_groups: ['特殊群体', '特殊群体类别', '群体类别', '人群类别', '重点人群', '人员类别', '类别'],
	needs: ['需求', '服务需求', '帮扶需求', '需要'],
	isolation_until: ['隔离截止', '隔离截止日期', '隔离至', '隔离到期日', '隔离结束日期', '解除隔离日期'],
	note: ['备注', '说明']
};

export const RESIDENT_SCHEMA: SheetSchema<ResidentField> = {
	fields: RESIDENT_FIELDS,
	required: REQUIRED_FIELDS,
	headers: HEADER_NAMES_RESIDENTS
};

/**
 * Words registers use besides the app's own labels (which come from its messages, see {@link vocabulary}):
 * shorter forms and the terms of the civil-affairs registers (低保 is the minimum living allowance).
 */
export const GROUP_ALIASES: Record<SpecialGroup, readonly string[]> = {
	elderly_alone: ['独居', '独居老年人'],
	disabled: ['残疾', '残障', '残障人士', '残疾人员'],
	severely_disabled: ['重残', '重度残疾人'],
	home_isolated: ['隔离', '居家隔离人员'],
	pregnant: ['孕妇', '产妇'],
	chronic_illness: ['慢性病', '慢病', '慢病患者'],
	low_income: ['低收入', '低保', '低保户'],
	left_behind_child: ['留守']
};

export const NEED_ALIASES: Record<Need, readonly string[]> = {
	food: ['食品', '买菜', '代买菜', '送餐'],
	medicine: ['药品', '买药', '代购药', '代买药'],
	medical_visit: ['上门医疗', '上门看病'],
	counselling: ['心理咨询', '心理'],
	supplies: ['物资', '口罩'],
	daily_call: ['电话问候', '每日问候'],
	transport: ['接送', '出行']
};

/** The words each code is known by, in any language the app speaks. */
export interface Labels {
	groups: Partial<Record<SpecialGroup, readonly string[]>>;
	needs: Partial<Record<Need, readonly string[]>>;
}

/** Word → code, for groups and needs; keys as {@link labelKey} makes them. */
export interface Vocabulary {
	groups: ReadonlyMap<string, SpecialGroup>;
	needs: ReadonlyMap<string, Need>;
}

/** A word as looked up: trimmed, inner spaces single, lower case (for English labels and codes). */
export function labelKey(text: string): string {
	return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

function index<C extends string>(
	codes: readonly C[],
	labels: Partial<Record<C, readonly string[]>>,
	aliases: Record<C, readonly string[]>
): Map<string, C> {
	const out = new Map<string, C>();
	for (const code of codes)
		for (const word of [code, ...(labels[code] ?? []), ...aliases[code]]) out.set(labelKey(word), code);
	return out;
}

/** The vocabulary of an import: the codes themselves, the given labels and the aliases above. */
export function vocabulary(labels: Labels): Vocabulary {
	return {
		groups: index(SPECIAL_GROUPS, labels.groups, GROUP_ALIASES),
		needs: index(NEEDS, labels.needs, NEED_ALIASES)
	};
}

/** A list cell's items: separated by 、，, ; or / (half or full width), trimmed, empty ones dropped. */
export function splitList(text: string): string[] {
	return text
		.split(/[、，,;；/／]+/)
		.map((s) => s.trim())
		.filter(Boolean);
}

/** Each item as its code when the vocabulary knows it, as written otherwise; each once, in the sheet's order. */
function codes<C extends string>(text: string, words: ReadonlyMap<string, C>): string[] {
	return [...new Set(splitList(text).map((item) => words.get(labelKey(item)) ?? item))];
}

const GENDERS: Record<string, 'female' | 'male'> = {
	男: 'male',
	男性: 'male',
	m: 'male',
	male: 'male',
	女: 'female',
	女性: 'female',
	f: 'female',
	female: 'female'
};

/** 男/女 (or English) as the registry's code; anything else as written, for the database to report. */
export function readGender(text: string): string {
	return GENDERS[labelKey(text)] ?? text;
}

/**
 * A birth year from a year (1948, 1948年), a date (1948-03-02, 1948年3月2日, an Excel date) or a year and month
 * (1948.03, 1948年3月, as 出生年月 columns have it); anything else as written, for the database to report.
 */
export function readBirthYear(cell: Cell | undefined): string {
	if (cell === undefined || cell === null) return '';
	const text = cellText(cell);
	const date = parseDate(cell instanceof Date ? cell : text);
	if (date) return date.slice(0, 4);
	const year = /^(\d{4})\s*(?:年|[-/.年]\s*\d{1,2}\s*月?)?$/.exec(text);
	return year ? year[1] : text;
}

/** One row as public.import_residents takes it; optional fields only when the sheet has their column. */
export interface ResidentRow {
	/** the sheet's row number (1 is the first row) */
	row: number;
	building: string;
	room: string;
	name: string;
	/** codes, or words the vocabulary does not know */
	special_groups: string[];
	/** 'female', 'male', '' or a word that is neither */
	gender?: string;
	birth_year?: string;
	/** spaces dropped, a lower-case check character x raised */
	id_number?: string;
	phone?: string;
	needs?: string[];
	/** YYYY-MM-DD when it reads as a date, as written otherwise */
	isolation_until?: string;
	note?: string;
}

/** The data rows below the header as import rows; rows with every mapped cell empty are skipped. */
export function readRows(
	table: Cell[][],
	headerRow: number,
	mapping: Mapping<ResidentField>,
	words: Vocabulary
): ResidentRow[] {
	const has = (f: ResidentField) => mapping[f] !== null;
	return readCells(RESIDENT_SCHEMA, table, headerRow, mapping).map(({ row, cell, text }) => {
		const out: ResidentRow = {
			row,
			building: text('building'),
			room: text('room'),
			name: text('name'),
			special_groups: codes(text('special_groups'), words.groups)
		};
		if (has('gender')) out.gender = readGender(text('gender'));
		if (has('birth_year')) out.birth_year = readBirthYear(cell('birth_year'));
		if (has('id_number')) out.id_number = text('id_number').replace(/\s/g, '').toUpperCase();
		if (has('phone')) out.phone = text('phone');
		if (has('needs')) out.needs = codes(text('needs'), words.needs);
		if (has('isolation_until')) {
			const raw = cell('isolation_until') ?? null;
			out.isolation_until = parseDate(raw) ?? cellText(raw);
		}
		if (has('note')) out.note = text('note');
		return out;
	});
}
