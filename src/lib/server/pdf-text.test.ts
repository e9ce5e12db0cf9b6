import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, decodePDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { unifyPdfText, unifyRadicals } from './pdf-text';

/** A ToUnicode CMap as Chromium writes it, with the given mapping blocks. */
const cmap = (blocks: string) => `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
${blocks}endcmap
CMapName currentdict /CMap defineresource pop
end
end`;

/** The mappings of a CMap written as bfchar entries, as code → text. */
function mappings(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	const body = text.slice(text.indexOf('endcodespacerange'));
	for (const [, src, dst] of body.matchAll(/<([0-9A-F]+)> <([0-9A-F]+)>/g)) {
		let s = '';
		for (let i = 0; i < dst.length; i += 4) s += String.fromCharCode(parseInt(dst.slice(i, i + 4), 16));
		out[src] = s;
	}
	return out;
}

describe('unifyRadicals', () => {
	it('maps radicals to the ideographs sharing their glyphs in Noto CJK SC and keeps everything else', () => {
		// ⽹ (U+2F79) → 网, ⽇ (U+2F47) → 日, ⻔ (U+2ED4, no NFKC form) → 门, ⼾ (U+2F3E) → 户 (its NFKC form is 戶),
		// ⿔ (U+2FD4, not shared in Noto SC) → 龜 by NFKC; 格 stays.
		const fixed = unifyRadicals(
			cmap(
				'6 beginbfchar\n<1D> <2F79>\n<1E> <683C>\n<1F> <2F47>\n<20> <2ED4>\n<21> <2F3E>\n<22> <2FD4>\nendbfchar\n'
			)
		);
		expect(mappings(fixed)).toEqual({
			'1D': '网',
			'1E': '格',
			'1F': '日',
			'20': '门',
			'21': '户',
			'22': '龜'
		});
		expect(fixed).toContain('1 begincodespacerange\n<00> <FF>\nendcodespacerange');
		expect(fixed).toContain('endcmap\nCMapName currentdict');
	});

	it('expands ranges, in both forms, and leaves a CMap without radicals untouched', () => {
		const ranges = cmap(
			'2 beginbfrange\n<01> <03> <2F00>\n<10> <11> [<2F3E> <0041>]\nendbfrange\n1 beginbfchar\n<20> <D840DC00>\nendbfchar\n'
		);
		expect(mappings(unifyRadicals(ranges))).toEqual({
			'01': '一',
			'02': '丨',
			'03': '丶',
			'10': '户',
			'11': 'A',
			'20': '\ud840\udc00' // a character beyond the BMP (U+20000) is kept as its surrogate pair
		});
		const plain = cmap('1 beginbfrange\n<01> <03> <4E00>\nendbfrange\n');
		expect(unifyRadicals(plain)).toBe(plain);
	});

	it('writes at most 100 entries per block', () => {
		const many = Array.from(
			{ length: 150 },
			(_, i) => `<${(i + 1).toString(16).toUpperCase().padStart(4, '0')}> <2F00>`
		);
		const fixed = unifyRadicals(cmap(`${many.length} beginbfchar\n${many.join('\n')}\nendbfchar\n`));
		expect([...fixed.matchAll(/(\d+) beginbfchar/g)].map((x) => Number(x[1]))).toEqual([100, 50]);
		expect(Object.values(mappings(fixed)).every((t) => t === '一')).toBe(true);
	});
});

describe('unifyPdfText', () => {
	it('rewrites the ToUnicode CMaps inside a PDF', async () => {
		const doc = await PDFDocument.create();
		doc.addPage();
		const stream = doc.context.flateStream(cmap('1 beginbfchar\n<1D> <2F79>\nendbfchar\n'));
		const streamRef = doc.context.register(stream);
		const font = doc.context.obj({ Type: 'Font', ToUnicode: streamRef });
		doc.context.register(font);
		const fixed = await PDFDocument.load(await unifyPdfText(await doc.save()));
		const texts: string[] = [];
		for (const [, object] of fixed.context.enumerateIndirectObjects()) {
			if (!(object instanceof PDFDict)) continue;
			const ref = object.get(PDFName.of('ToUnicode'));
			if (!(ref instanceof PDFRef)) continue;
			const s = fixed.context.lookup(ref) as PDFRawStream;
			texts.push(new TextDecoder('latin1').decode(decodePDFRawStream(s).decode()));
		}
		expect(texts.map(mappings)).toEqual([{ '1D': '网' }]);
	});

	it('hands back a PDF without radicals as it was', async () => {
		const doc = await PDFDocument.create();
		doc.addPage();
		const bytes = await doc.save();
		expect(await unifyPdfText(bytes)).toBe(bytes);
	});
});
