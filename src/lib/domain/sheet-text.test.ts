import { describe, expect, it } from 'vitest';
import { decodeText, guessDelimiter, parseCsv } from './sheet-text';

describe('parseCsv', () => {
	it('reads quoted fields with commas, doubled quotes and line breaks', () => {
		const text = '楼栋,房号,备注\r\n35栋,"1单元,101","他说""在家"""\n36栋,2单元202,"两行\n备注"\n';
		expect(parseCsv(text)).toEqual([
			['楼栋', '房号', '备注'],
			['35栋', '1单元,101', '他说"在家"'],
			['36栋', '2单元202', '两行\n备注']
		]);
	});

	it('keeps empty cells, drops trailing empty lines, reads a last line without a line end', () => {
		expect(parseCsv('a,,c\n,,\n\n')).toEqual([['a', '', 'c']]);
		expect(parseCsv('a,b\nc,d')).toEqual([
			['a', 'b'],
			['c', 'd']
		]);
		expect(parseCsv('')).toEqual([]);
	});

	it('takes another delimiter, and refuses a quote as one', () => {
		expect(parseCsv('a;b\n1;2', ';')).toEqual([
			['a', 'b'],
			['1', '2']
		]);
		expect(() => parseCsv('a', '"')).toThrow('delimiter');
	});
});

describe('decodeText', () => {
	it('reads UTF-8 with and without a byte-order mark', () => {
		const utf8 = new TextEncoder().encode('楼栋,房号');
		expect(decodeText(utf8)).toBe('楼栋,房号');
		expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toBe('楼栋,房号');
	});

	it('falls back to GB18030 for older Excel exports', () => {
		// 楼栋 in GBK: C2 A5 B6 B0
		expect(decodeText(new Uint8Array([0xc2, 0xa5, 0xb6, 0xb0, 0x2c, 0x31]))).toBe('楼栋,1');
	});
});

describe('guessDelimiter', () => {
	it('takes tabs or semicolons when the header line has more of them than commas', () => {
		const tabs = '姓名\t手机号\n王建国\t13800000001';
		expect(guessDelimiter(tabs)).toBe('\t');
		expect(parseCsv(tabs, guessDelimiter(tabs))).toEqual([
			['姓名', '手机号'],
			['王建国', '13800000001']
		]);
		const semicolons = 'a;b,c;d\n1;2,3;4';
		expect(parseCsv(semicolons, guessDelimiter(semicolons))).toEqual([
			['a', 'b,c', 'd'],
			['1', '2,3', '4']
		]);
		expect(guessDelimiter('楼栋,房号\n35栋,"1\t2"')).toBe(',');
		expect(guessDelimiter('')).toBe(',');
	});
});
