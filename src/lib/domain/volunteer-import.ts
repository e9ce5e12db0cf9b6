/**
 * Volunteers from a spreadsheet (Excel or CSV, Chinese headers): which column holds which field, and each row
 * read into what `public.import_volunteers` takes, with row-level errors in Chinese. Pure; the database checks
 * every row again and resolves names (community, organisation, team) within the caller's unit.
 *
 *   const mapping = guessMapping(['序号', '姓名', '手机号码', '所在社区']);  // { name: 1, phone: 2, community: 3, ... }
 *   const { rows, errors } = readRows(table, mapping);
 */
import { parseDate, type Cell } from './sheet-import';

export type { Cell };

export const IMPORT_FIELDS = [
	'name',
	'phone',
	'community',
	'organisation',
	'team',
	'kind',
	'skills',
	'joined_on',
	'home_lon',
	'home_lat'
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const REQUIRED_FIELDS: readonly ImportField[] = ['name', 'phone'];

/** Column index per field (0-based), or null when the file has no such column. */
export type Mapping = Record<ImportField, number | null>;

/** Headers people write for each field, lower-case, without spaces; the first match wins. */
const HEADER_ALIASES: Record<ImportField, string[]> = {
	name: ['姓名', '名字', '志愿者姓名', '人员姓名', 'name'],
	phone: ['手机号', '手机号码', '手机', '联系电话', '电话', '联系方式', 'phone', 'mobile'],
	community: ['所在社区', '居住社区', '社区', '社区名称', '社区代码', '所属社区', 'community'],
	organisation: ['所属组织', '组织', '组织名称', '社会组织', '单位', 'organisation', 'organization'],
	team: ['所属队伍', '队伍', '服务队', '志愿服务队', '队伍名称', 'team'],
	kind: ['人员类型', '类型', '身份', '类别', 'kind'],
	skills: ['技能', '特长', '专长', '技能特长', 'skills'],
	joined_on: ['加入日期', '入队日期', '注册日期', '加入时间', 'joined', 'joined_on'],
	home_lon: ['住址经度', '经度', 'lon', 'lng', 'longitude'],
	home_lat: ['住址纬度', '纬度', 'lat', 'latitude']
};

function headerKey(text: string): string {
	return text.replace(/[\s*（）()：:]/g, '').toLowerCase();
}

/** A mapping guessed from the header row: exact alias matches first, then headers that contain an alias. */
export function guessMapping(headers: readonly string[]): Mapping {
	const keys = headers.map((h) => headerKey(String(h ?? '')));
	const taken = new Set<number>();
	const mapping = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as Mapping;
	for (const pass of ['exact', 'contains'] as const) {
		for (const field of IMPORT_FIELDS) {
			if (mapping[field] !== null) continue;
			for (const alias of HEADER_ALIASES[field]) {
				const i = keys.findIndex(
					(k, j) => !taken.has(j) && k !== '' && (pass === 'exact' ? k === alias : k.includes(alias))
				);
				if (i >= 0) {
					mapping[field] = i;
					taken.add(i);
					break;
				}
			}
		}
	}
	return mapping;
}

/** Problems with a mapping before any row is read: a required field without a column, a column used twice. */
export function mappingProblems(mapping: Mapping, options: { communityRequired: boolean }): string[] {
	const problems: string[] = [];
	const required = options.communityRequired ? [...REQUIRED_FIELDS, 'community' as const] : REQUIRED_FIELDS;
	for (const f of required) if (mapping[f] === null) problems.push(`请为「${FIELD_LABELS[f]}」选择一列`);
	const seen = new Map<number, ImportField>();
	for (const f of IMPORT_FIELDS) {
		const c = mapping[f];
		if (c === null) continue;
		const other = seen.get(c);
		if (other) problems.push(`「${FIELD_LABELS[other]}」和「${FIELD_LABELS[f]}」选了同一列`);
		else seen.set(c, f);
	}
	if ((mapping.home_lon === null) !== (mapping.home_lat === null)) problems.push('住址经度和纬度须同时选择');
	return problems;
}

/** The fields' names as the mapping step shows them (Chinese, the product's words). */
export const FIELD_LABELS: Record<ImportField, string> = {
	name: '姓名',
	phone: '手机号',
	community: '所在社区',
	organisation: '所属组织',
	team: '所属队伍',
	kind: '人员类型',
	skills: '技能',
	joined_on: '加入日期',
	home_lon: '住址经度',
	home_lat: '住址纬度'
};

export type VolunteerKind = 'volunteer' | 'grid_worker' | 'social_worker' | 'medical' | 'party_member';
const KIND_LABELS: Record<string, VolunteerKind> = {
	志愿者: 'volunteer',
	网格员: 'grid_worker',
	社工: 'social_worker',
	社会工作者: 'social_worker',
	医护: 'medical',
	医护人员: 'medical',
	医生: 'medical',
	护士: 'medical',
	党员: 'party_member',
	党员志愿者: 'party_member'
};
const KINDS: readonly VolunteerKind[] = [
	'volunteer',
	'grid_worker',
	'social_worker',
	'medical',
	'party_member'
];

/** Skill keys as the seed and the roster's filter use them, by their Chinese names. */
export const SKILL_LABELS: Record<string, string> = {
	phone_screening: '电话摸排',
	door_screening: '入户摸排',
	checkpoint: '卡口值守',
	delivery: '物资配送',
	first_aid: '急救',
	counselling: '心理疏导',
	driving: '驾驶',
	translation: '翻译'
};
const SKILL_ALIASES: Record<string, string> = {
	...Object.fromEntries(Object.entries(SKILL_LABELS).map(([k, v]) => [v, k])),
	值守: 'checkpoint',
	卡口: 'checkpoint',
	配送: 'delivery',
	送货: 'delivery',
	开车: 'driving',
	心理咨询: 'counselling'
};

function text(cell: Cell): string {
	if (cell === null || cell === undefined) return '';
	if (cell instanceof Date) return cell.toISOString().slice(0, 10);
	return String(cell).trim();
}

/**
 * A phone as the database stores it: a mainland mobile as 11 digits (spaces, dashes and +86 dropped), a
 * landline as area code, dash, number. Null when it is neither.
 */
export function normalizePhone(cell: Cell): string | null {
	let s = text(cell).replace(/[\s\u3000()（）]/g, '');
	if (typeof cell === 'number') s = String(Math.round(cell));
	s = s.replace(/^(\+|00)86-?/, '');
	const digits = s.replace(/-/g, '');
	if (/^1[3-9]\d{9}$/.test(digits)) return digits;
	const landline = /^(0\d{2,3})-?(\d{7,8})$/.exec(s);
	return landline ? `${landline[1]}-${landline[2]}` : null;
}

/** A row for `public.import_volunteers`; empty optional fields are left out (the database keeps its value). */
export interface ImportRow {
	/** the row number in the file as a spreadsheet shows it (the header is row 1) */
	row: number;
	name: string;
	phone: string;
	community?: string;
	organisation?: string;
	team?: string;
	kind?: VolunteerKind;
	skills?: string[];
	joined_on?: string;
	home_lon?: number;
	home_lat?: number;
}

export interface RowError {
	row: number;
	field: ImportField;
	message: string;
}

function coordinate(cell: Cell): number | null {
	const s = text(cell);
	if (s === '') return null;
	const n = Number(s);
	return Number.isFinite(n) ? n : NaN;
}

/**
 * Reads the data rows (every row after `headerRow`, blank rows skipped) through a mapping.
 *
 * @param table the sheet as rows of cells
 * @param headerRow index of the header row in `table` (0: the first)
 * @returns the rows that read cleanly, and the errors of the others (a row with an error is not in `rows`)
 */
export function readRows(
	table: readonly (readonly Cell[])[],
	mapping: Mapping,
	headerRow = 0
): { rows: ImportRow[]; errors: RowError[] } {
	const rows: ImportRow[] = [];
	const errors: RowError[] = [];
	const phones = new Map<string, number>();
	for (let r = headerRow + 1; r < table.length; r++) {
		const cells = table[r] ?? [];
		const get = (f: ImportField): Cell => (mapping[f] === null ? null : (cells[mapping[f]!] ?? null));
		if (IMPORT_FIELDS.every((f) => text(get(f)) === '')) continue;
		const line = r + 1;
		const problems: RowError[] = [];
		const fail = (field: ImportField, message: string) => problems.push({ row: line, field, message });

		const name = text(get('name'));
		if (!name) fail('name', '缺少姓名');
		else if ([...name].length > 40) fail('name', '姓名超过40个字');

		const rawPhone = text(get('phone'));
		const phone = normalizePhone(get('phone'));
		if (!rawPhone) fail('phone', '缺少手机号');
		else if (!phone) fail('phone', `手机号格式不正确：${rawPhone}`);
		else if (phones.has(phone)) fail('phone', `手机号与第${phones.get(phone)}行重复`);
		else phones.set(phone, line);

		const row: ImportRow = { row: line, name, phone: phone ?? '' };
		const community = text(get('community'));
		if (community) row.community = community;
		const organisation = text(get('organisation'));
		if (organisation) row.organisation = organisation;
		const team = text(get('team'));
		if (team) row.team = team;

		const kind = text(get('kind'));
		if (kind) {
			const k = KIND_LABELS[kind] ?? (KINDS as readonly string[]).find((x) => x === kind);
			if (k) row.kind = k as VolunteerKind;
			else fail('kind', `人员类型不正确：${kind}（可填：志愿者、网格员、社工、医护、党员）`);
		}

		const skills = text(get('skills'))
			.split(/[,，、;；/\s]+/)
			.filter(Boolean)
			.map((s) => SKILL_ALIASES[s] ?? s);
		if (skills.length > 0) row.skills = [...new Set(skills)];

		const joined = get('joined_on');
		if (text(joined)) {
			const d = parseDate(joined);
			if (d) row.joined_on = d;
			else fail('joined_on', `日期格式不正确：${text(joined)}（如 2020-02-01）`);
		}

		const lon = coordinate(get('home_lon'));
		const lat = coordinate(get('home_lat'));
		if (lon !== null || lat !== null) {
			if (lon === null || lat === null || !(Math.abs(lon) <= 180) || !(Math.abs(lat) <= 90))
				fail('home_lon', '住址经纬度须同时填写，经度在-180到180之间，纬度在-90到90之间');
			else {
				row.home_lon = lon;
				row.home_lat = lat;
			}
		}

		if (problems.length > 0) errors.push(...problems);
		else rows.push(row);
	}
	return { rows, errors };
}

/**
 * The header row: the first of the first five rows in which both name and phone columns are recognised (a
 * title or a note may stand above the headers), else the first row.
 */
export function findHeaderRow(table: readonly (readonly Cell[])[]): number {
	for (let r = 0; r < Math.min(5, table.length); r++) {
		const mapping = guessMapping(table[r].map((c) => text(c)));
		if (mapping.name !== null && mapping.phone !== null) return r;
	}
	return 0;
}

/** A mapping read back from a form: `map_<field>` holds a column index or nothing. */
export function mappingFromForm(
	form: { get(name: string): FormDataEntryValue | null },
	columns: number
): Mapping {
	const mapping = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as Mapping;
	for (const f of IMPORT_FIELDS) {
		const v = String(form.get(`map_${f}`) ?? '');
		const n = Number(v);
		if (v !== '' && Number.isInteger(n) && n >= 0 && n < columns) mapping[f] = n;
	}
	return mapping;
}
