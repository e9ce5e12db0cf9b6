import { describe, expect, it } from 'vitest';
import {
	RESIDENT_SCHEMA,
	readBirthYear,
	readGender,
	readRows,
	splitList,
	vocabulary,
	type Labels
} from './resident-import';
import { findHeaderRow, guessMapping, mappingProblems, type Cell } from './sheet-import';

/** Labels as the app's messages give them (two languages), a subset: the rest must come from codes and aliases. */
const LABELS: Labels = {
	groups: {
		elderly_alone: ['独居老人', 'Elderly living alone'],
		chronic_illness: ['慢性病患者', 'Chronic illness'],
		home_isolated: ['居家隔离', 'Home isolation']
	},
	needs: { daily_call: ['每日电话问候', 'Daily phone call'], medicine: ['代购药品', 'Medicine'] }
};
const WORDS = vocabulary(LABELS);

const SHEET: Cell[][] = [
	['白招牌社区特殊群体台账', null],
	[
		'序号',
		'楼栋',
		'门牌号',
		'姓名',
		'性别',
		'出生年月',
		'公民身份号码',
		'联系电话',
		'人员类别',
		'服务需求',
		'隔离至',
		'备注（选填）'
	],
	[
		1,
		'35栋',
		'1单元101',
		'顾芳',
		'女',
		'1948.03',
		'51050219480312 002x',
		13558564283,
		'独居老人、慢性病患者',
		'每日电话问候；代购药品',
		null,
		'子女在外地'
	],
	[
		2,
		'35栋',
		'1单元102',
		'任建国',
		'男性',
		new Date(Date.UTC(1975, 4, 1)),
		'',
		'',
		'居家隔离',
		'',
		'2020/2/14',
		''
	],
	[null, null, null, null, null, null, null, null, null, null, null, null],
	[3, '36栋', '2单元201', '沈德', '不详', '四八年', '', '', '外星人/独居老人/独居', '按摩', '二月', '']
];

describe('resident import mapping', () => {
	it('finds the header row below a title row and guesses every field from register headers', () => {
		const header = findHeaderRow(RESIDENT_SCHEMA, SHEET);
		expect(header).toBe(1);
		const mapping = guessMapping(RESIDENT_SCHEMA, SHEET[header]);
		expect(mapping).toEqual({
			building: 1,
			room: 2,
			name: 3,
			gender: 4,
			birth_year: 5,
			id_number: 6,
			phone: 7,
			special_groups: 8,
			needs: 9,
			isolation_until: 10,
			note: 11
		});
		expect(mappingProblems(RESIDENT_SCHEMA, mapping, 12)).toEqual({
			missing: [],
			shared: [],
			outOfRange: []
		});
	});

	it('needs building, room, name and special groups', () => {
		const mapping = guessMapping(RESIDENT_SCHEMA, ['姓名', '联系电话']);
		expect(mappingProblems(RESIDENT_SCHEMA, mapping, 2).missing).toEqual([
			'building',
			'room',
			'special_groups'
		]);
	});

	it('reads rows into codes and dates, passing on what it cannot read as written', () => {
		const rows = readRows(SHEET, 1, guessMapping(RESIDENT_SCHEMA, SHEET[1]), WORDS);
		expect(rows).toEqual([
			{
				row: 3,
				building: '35栋',
				room: '1单元101',
				name: '顾芳',
				gender: 'female',
				birth_year: '1948',
				id_number: '51050219480312002X',
				phone: '13558564283',
				special_groups: ['elderly_alone', 'chronic_illness'],
				needs: ['daily_call', 'medicine'],
				isolation_until: '',
				note: '子女在外地'
			},
			{
				row: 4,
				building: '35栋',
				room: '1单元102',
				name: '任建国',
				gender: 'male',
				birth_year: '1975',
				id_number: '',
				phone: '',
				special_groups: ['home_isolated'],
				needs: [],
				isolation_until: '2020-02-14',
				note: ''
			},
			{
				row: 6,
				building: '36栋',
				room: '2单元201',
				name: '沈德',
				gender: '不详',
				birth_year: '四八年',
				id_number: '',
				phone: '',
				// an unknown word as written; 独居 is an alias of 独居老人, so the group appears once
				special_groups: ['外星人', 'elderly_alone'],
				needs: ['按摩'],
				isolation_until: '二月',
				note: ''
			}
		]);
	});

	it('leaves out the fields the sheet has no column for, so the database keeps their values', () => {
		const table: Cell[][] = [
			['楼栋', '房号', '姓名', '特殊群体'],
			['35栋', '101', '顾芳', 'elderly_alone']
		];
		const [row] = readRows(table, 0, guessMapping(RESIDENT_SCHEMA, table[0]), WORDS);
		expect(row).toEqual({
			row: 2,
			building: '35栋',
			room: '101',
			name: '顾芳',
			special_groups: ['elderly_alone']
		});
		expect(Object.keys(row)).not.toContain('phone');
	});

	it('knows groups and needs by code, by label in either language and by alias, whatever the case', () => {
		expect(WORDS.groups.get('elderly living alone')).toBe('elderly_alone');
		expect(WORDS.groups.get('left_behind_child')).toBe('left_behind_child');
		expect(WORDS.groups.get('低保')).toBe('low_income');
		expect(WORDS.groups.get('孕妇')).toBe('pregnant');
		expect(WORDS.needs.get('买药')).toBe('medicine');
		expect(WORDS.needs.get('daily phone call')).toBe('daily_call');
		expect(WORDS.groups.get('外星人')).toBeUndefined();
	});

	it('splits lists on 、，, ; and / in half and full width', () => {
		expect(splitList('独居老人、残疾人，孕产妇,低保;留守儿童；慢病/重残／隔离')).toEqual([
			'独居老人',
			'残疾人',
			'孕产妇',
			'低保',
			'留守儿童',
			'慢病',
			'重残',
			'隔离'
		]);
		expect(splitList(' 、 ')).toEqual([]);
	});

	it('reads gender and birth year as registers write them', () => {
		expect(['男', '女', '男性', '女性', 'Male', 'F', ''].map(readGender)).toEqual([
			'male',
			'female',
			'male',
			'female',
			'male',
			'female',
			''
		]);
		expect(readGender('未知')).toBe('未知');
		expect(
			[
				1948,
				'1948',
				'1948年',
				'1948.3',
				'1948年3月',
				'1948-03-02',
				'1948年3月2日',
				new Date(Date.UTC(1948, 2, 2))
			].map(readBirthYear)
		).toEqual(Array(8).fill('1948'));
		expect(readBirthYear('四八年')).toBe('四八年');
		expect(readBirthYear('19480')).toBe('19480');
		expect(readBirthYear(null)).toBe('');
	});
});
