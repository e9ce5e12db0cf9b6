import { describe, expect, it } from 'vitest';
import { decodeText, parseCsv } from './table-text';

describe('decodeText', () => {
	it('reads UTF-8 with or without a BOM', () => {
		const bytes = new TextEncoder().encode('姓名,手机号');
		expect(decodeText(bytes)).toBe('姓名,手机号');
		expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]))).toBe('姓名,手机号');
	});

	it('falls back to GB18030 for bytes that are not UTF-8 (CSV saved by Excel on a Chinese system)', () => {
		// 姓名 in GBK: D0 D5 C3 FB
		expect(decodeText(new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0x31]))).toBe('姓名,1');
	});
});

describe('parseCsv', () => {
	it('splits rows and fields, quotes, doubled quotes and line breaks inside quotes', () => {
		expect(parseCsv('姓名,备注\r\n王建国,"住5栋, 2单元"\n李芳,"说""你好""\n第二行"\n\n')).toEqual([
			['姓名', '备注'],
			['王建国', '住5栋, 2单元'],
			['李芳', '说"你好"\n第二行']
		]);
	});

	it('takes tabs or semicolons when the header line has more of them than commas', () => {
		expect(parseCsv('姓名\t手机号\n王建国\t13800000001')).toEqual([
			['姓名', '手机号'],
			['王建国', '13800000001']
		]);
		expect(parseCsv('a;b,c;d\n1;2,3;4')).toEqual([
			['a', 'b,c', 'd'],
			['1', '2,3', '4']
		]);
	});

	it('keeps empty fields and a last line without a line break', () => {
		expect(parseCsv('a,,c\n,,')).toEqual([['a', '', 'c']]);
		expect(parseCsv('a,,c\n1,,3')).toEqual([
			['a', '', 'c'],
			['1', '', '3']
		]);
	});
});
