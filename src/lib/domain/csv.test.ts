import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('CSV exports', () => {
	it('starts with a byte-order mark and writes a header and one line per row', () => {
		const csv = toCsv(
			[{ name: '莫婷莉', groups: ['severely_disabled', 'disabled'], year: 1956 }],
			[
				{ key: 'name', title: '姓名' },
				{
					key: 'groups',
					title: '群体',
					format: (g) => (g as string[]).map((x) => x.toUpperCase()).join('/')
				},
				{ key: 'year', title: '出生年份' }
			]
		);
		expect(csv).toBe('\uFEFF姓名,群体,出生年份\r\n莫婷莉,SEVERELY_DISABLED/DISABLED,1956\r\n');
	});

	it('quotes commas, quotes and line breaks, leaves empty values empty, and defuses formulas', () => {
		const csv = toCsv(
			[{ a: '备注, "急"\n次日', b: null, c: '=HYPERLINK("x")', d: ['一', '二'] }],
			[
				{ key: 'a', title: 'a' },
				{ key: 'b', title: 'b' },
				{ key: 'c', title: 'c' },
				{ key: 'd', title: 'd' }
			]
		);
		expect(csv.split('\r\n')[1]).toBe('"备注, ""急""\n次日",,"\'=HYPERLINK(""x"")",一、二');
	});
});
