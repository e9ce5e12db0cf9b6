import { describe, expect, it } from 'vitest';
import {
	findHeaderRow,
	guessMapping,
	mappingFromForm,
	mappingProblems,
	normalizePhone,
	readRows,
	type Cell,
	type Mapping
} from './volunteer-import';

describe('guessMapping', () => {
	it('maps Chinese headers, exact names before headers that merely contain one', () => {
		const mapping = guessMapping([
			'序号',
			'姓名',
			'联系电话',
			'所在社区',
			'所属组织',
			'服务队',
			'技能特长',
			'加入日期'
		]);
		expect(mapping).toEqual({
			name: 1,
			phone: 2,
			community: 3,
			organisation: 4,
			team: 5,
			kind: null,
			skills: 6,
			joined_on: 7,
			home_lon: null,
			home_lat: null
		});
		// "手机号码（必填）" contains an alias; "社区" must not take the column already taken by "所在社区".
		expect(guessMapping(['手机号码（必填）', '志愿者姓名', '所在社区', '社区备注'])).toMatchObject({
			phone: 0,
			name: 1,
			community: 2
		});
	});

	it('leaves fields without a column unmapped and reports what is missing or used twice', () => {
		const mapping = guessMapping(['名字', '备注']);
		expect(mapping.name).toBe(0);
		expect(mapping.phone).toBeNull();
		expect(mappingProblems(mapping, { communityRequired: true })).toEqual([
			'请为「手机号」选择一列',
			'请为「所在社区」选择一列'
		]);
		expect(mappingProblems(mapping, { communityRequired: false })).toEqual(['请为「手机号」选择一列']);
		const twice: Mapping = { ...mapping, phone: 0, home_lon: 1 };
		expect(mappingProblems(twice, { communityRequired: false })).toEqual([
			'「姓名」和「手机号」选了同一列',
			'住址经度和纬度须同时选择'
		]);
	});
});

describe('cells', () => {
	it('normalises phones as the database stores them', () => {
		expect(normalizePhone('138 0000 0001')).toBe('13800000001');
		expect(normalizePhone('+86 138-0000-0001')).toBe('13800000001');
		expect(normalizePhone(13800000001)).toBe('13800000001');
		expect(normalizePhone('0830-1234567')).toBe('0830-1234567');
		expect(normalizePhone('08301234567')).toBe('0830-1234567');
		expect(normalizePhone('1380000000')).toBeNull();
		expect(normalizePhone('12800000001')).toBeNull();
		expect(normalizePhone(null)).toBeNull();
	});
});

describe('readRows', () => {
	const headers = ['姓名', '手机号', '社区', '组织', '队伍', '类型', '技能', '加入日期', '经度', '纬度'];
	const mapping = guessMapping(headers);

	it('reads clean rows into what import_volunteers takes, row numbers as the sheet shows them', () => {
		const table: Cell[][] = [
			headers,
			[
				'王建国',
				'138 0000 0001',
				'白招牌社区',
				'泸州警察学院志愿者联盟',
				'',
				'党员',
				'卡口值守、驾驶',
				'2020/2/1',
				105.44,
				28.88
			],
			[null, null, null, null, null, null, null, null, null, null],
			['李芳', 13900000002, '', '', '', '', '', null, null, null]
		];
		expect(readRows(table, mapping)).toEqual({
			rows: [
				{
					row: 2,
					name: '王建国',
					phone: '13800000001',
					community: '白招牌社区',
					organisation: '泸州警察学院志愿者联盟',
					kind: 'party_member',
					skills: ['checkpoint', 'driving'],
					joined_on: '2020-02-01',
					home_lon: 105.44,
					home_lat: 28.88
				},
				{ row: 4, name: '李芳', phone: '13900000002' }
			],
			errors: []
		});
	});

	it('reports every problem of every row in Chinese and keeps bad rows out', () => {
		const table: Cell[][] = [
			['说明：请从第3行填写'],
			headers,
			['', '12345', '', '', '', '厨师', '', '2020-13-01', 105.44, ''],
			['张三', '13800000001', '', '', '', '', '', '', '', ''],
			['李四', '138-0000-0001', '', '', '', '', '', '', '', '']
		];
		const { rows, errors } = readRows(table, mapping, 1);
		expect(rows.map((r) => r.row)).toEqual([4]);
		expect(errors).toEqual([
			{ row: 3, field: 'name', message: '缺少姓名' },
			{ row: 3, field: 'phone', message: '手机号格式不正确：12345' },
			{ row: 3, field: 'kind', message: '人员类型不正确：厨师（可填：志愿者、网格员、社工、医护、党员）' },
			{ row: 3, field: 'joined_on', message: '日期格式不正确：2020-13-01（如 2020-02-01）' },
			{
				row: 3,
				field: 'home_lon',
				message: '住址经纬度须同时填写，经度在-180到180之间，纬度在-90到90之间'
			},
			{ row: 5, field: 'phone', message: '手机号与第4行重复' }
		]);
	});
});

describe('header row and mapping form', () => {
	it('finds the header row under a title, else takes the first', () => {
		expect(
			findHeaderRow([['南城街道志愿者名册'], ['序号', '姓名', '手机号'], ['1', '王建国', '13800000001']])
		).toBe(1);
		expect(
			findHeaderRow([
				['a', 'b'],
				['1', '2']
			])
		).toBe(0);
	});

	it('reads a mapping from a form, ignoring columns that do not exist', () => {
		const form = new FormData();
		form.set('map_name', '1');
		form.set('map_phone', '2');
		form.set('map_community', '');
		form.set('map_team', '9');
		expect(mappingFromForm(form, 3)).toMatchObject({ name: 1, phone: 2, community: null, team: null });
	});
});
