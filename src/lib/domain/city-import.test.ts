import { describe, expect, it } from 'vitest';
import { fromJson, fromSheet, normaliseUnitCode, readUnitRows, type RawUnitRow } from './city-import';

const raw = (row: number, code: string, name: string, parent = ''): RawUnitRow => ({
	row,
	code,
	name,
	parent
});

describe('normaliseUnitCode', () => {
	it('reads 12-digit statistical codes, 6-digit administrative codes and the product codes', () => {
		expect(normaliseUnitCode('510500000000')).toEqual({ code: '5105', level: 'city' });
		expect(normaliseUnitCode('510502000000')).toEqual({ code: '510502', level: 'district' });
		expect(normaliseUnitCode('510502001000')).toEqual({ code: '510502001', level: 'street' });
		expect(normaliseUnitCode('510502001006')).toEqual({ code: '510502001006', level: 'community' });
		expect(normaliseUnitCode('510500')).toEqual({ code: '5105', level: 'city' });
		expect(normaliseUnitCode('510502')).toEqual({ code: '510502', level: 'district' });
		expect(normaliseUnitCode('5105')).toEqual({ code: '5105', level: 'city' });
		expect(normaliseUnitCode(' 510502001 ')).toEqual({ code: '510502001', level: 'street' });
	});

	it('leaves provinces out and refuses what fits no form', () => {
		expect(normaliseUnitCode('510000000000')).toEqual({ above: 'province' });
		expect(normaliseUnitCode('510000')).toEqual({ above: 'province' });
		expect(normaliseUnitCode('51')).toEqual({ above: 'province' });
		expect(normaliseUnitCode('5105a')).toEqual({ error: '代码只能是数字' });
		expect(normaliseUnitCode('51050')).toMatchObject({ error: expect.stringContaining('5 位') });
	});
});

describe('readUnitRows', () => {
	it('gives the units parents first, each parent by prefix', () => {
		const { units, errors, skipped } = readUnitRows([
			raw(1, '510000000000', '四川省'),
			raw(2, '510502001000', '南城街道', '510502000000'),
			raw(3, '510500000000', '泸州市'),
			raw(4, '510502000000', '江阳区', '510500')
		]);
		expect(errors).toEqual([]);
		expect(skipped).toEqual([1]);
		expect(units.map((u) => [u.code, u.level, u.parent])).toEqual([
			['5105', 'city', null],
			['510502', 'district', '5105'],
			['510502001', 'street', '510502']
		]);
	});

	it('lists every row error: code, name, twin, wrong parent, missing parent', () => {
		const { units, errors } = readUnitRows(
			[
				raw(2, '5105', '泸州市'),
				raw(3, '', '无码'),
				raw(4, '510502', ''),
				raw(5, '510502', '江阳区'),
				raw(6, '510502', '江阳区二'),
				raw(7, '510503', '纳溪区', '5106'),
				raw(8, '510601001', '某街道'),
				raw(9, '510602', '某区')
			],
			new Set(['5106'])
		);
		expect(errors.map((e) => [e.row, e.field])).toEqual([
			[3, 'code'],
			[4, 'name'],
			[6, 'code'],
			[7, 'parent'],
			[8, 'parent']
		]);
		expect(errors[3].message).toContain('上级应为 5105');
		// 510602's parent 5106 is in the database
		expect(units.map((u) => u.code)).toEqual(['5105', '510502', '510602', '510601001']);
	});
});

describe('file shapes', () => {
	it('reads a sheet by its Chinese headers under a title row', () => {
		const rows = fromSheet([
			['青石市区划'],
			['区划代码', '名称（全称）', '上级代码'],
			['990100000000', '青石市', null]
		]);
		expect(rows).toEqual([{ row: 3, code: '990100000000', name: '青石市', parent: '' }]);
		expect(fromSheet([['a', 'b']])).toMatchObject({ error: expect.stringContaining('代码') });
	});

	it('reads the admin-units.json shape, numbering items from 1', () => {
		expect(fromJson([{ code: '5105', name: '泸州市', level: 'city', parent: null }])).toEqual([
			{ row: 1, code: '5105', name: '泸州市', parent: '' }
		]);
		expect(fromJson({ nope: 1 })).toMatchObject({ error: expect.any(String) });
	});
});
