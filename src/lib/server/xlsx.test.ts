import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sheetName, workbook } from './xlsx';

describe('sheetName', () => {
	it('keeps names within Excel\u2019s rules and unique', () => {
		const taken = new Set<string>();
		expect(sheetName('下级单位: 覆盖率/变化', taken)).toBe('下级单位  覆盖率 变化');
		expect(sheetName('a'.repeat(40), taken)).toBe('a'.repeat(31));
		expect(sheetName('A'.repeat(40), taken)).toBe(`${'A'.repeat(29)}-2`);
		expect(sheetName('', taken)).toBe('Sheet');
	});
});

describe('workbook', () => {
	it('writes one sheet per table that reads back with the same heads, texts and numbers', async () => {
		const buffer = await workbook(
			[
				{
					title: '指标',
					head: ['指标', '当日', '变化'],
					rows: [
						['户数', { value: 117412, format: 'count' }, { value: -12, format: 'change' }],
						['覆盖率', { value: 0.8765, format: 'share' }, { value: null, format: 'share_change' }]
					]
				},
				{ title: '志愿者', head: ['平台', '小时'], rows: [['市级', { value: 1234.5, format: 'hours' }]] }
			],
			{ title: '日报', creator: '网格通' }
		);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(buffer as unknown as ArrayBuffer);
		expect(wb.worksheets.map((w) => w.name)).toEqual(['指标', '志愿者']);
		const rows = wb.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
		expect(rows.map((r) => r.slice(1))).toEqual([
			['指标', '当日', '变化'],
			['户数', 117412, -12],
			['覆盖率', 0.8765]
		]);
		expect(wb.worksheets[0].getCell('B3').numFmt).toBe('0.0%');
		expect(wb.worksheets[1].getCell('B2').value).toBe(1234.5);
	});
});
