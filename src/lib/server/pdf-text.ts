/**
 * Makes the Chinese text of a Chromium-made PDF copy and search as what was written.
 *
 * A PDF stores glyphs and, per font, a ToUnicode CMap from glyph codes back to text. Noto Sans CJK (Source Han
 * Sans) draws about 300 characters (网 户 日 门 马 …) with the same glyph as a radical (⽹ ⼾ ⽇ ⻔ ⻢, U+2E80–U+2FDF),
 * and Chromium (Skia) names each glyph by the lowest code point that uses it: the radical. The PDF looks right
 * but its text reads 泸州市疫情防控⽇报, so searching it for 日报 finds nothing
 * (https://github.com/notofonts/noto-cjk/issues/208, https://bugzilla.mozilla.org/show_bug.cgi?id=1881196).
 * The briefing never prints a radical on its own, so every radical in a ToUnicode CMap is mapped back to the
 * ideograph sharing its glyph in Noto CJK SC (./radical-twins.ts, generated from the fonts), or else to its NFKC
 * form (what other fonts that share such glyphs share them with).
 */
import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, decodePDFRawStream } from 'pdf-lib';
import { RADICAL_TWINS } from './radical-twins';

/** Kangxi radicals and CJK radicals supplement: the blocks whose code points have ideograph twins. */
function isRadical(cp: number): boolean {
	return (cp >= 0x2e80 && cp <= 0x2eff) || (cp >= 0x2f00 && cp <= 0x2fdf);
}

const hex = (s: string) => parseInt(s, 16);
const toHex = (n: number, digits: number) => n.toString(16).toUpperCase().padStart(digits, '0');

/** UTF-16BE hex (a CMap destination) → text, and back. */
function decodeUtf16Hex(h: string): string {
	const units: number[] = [];
	for (let i = 0; i < h.length; i += 4) units.push(hex(h.slice(i, i + 4)));
	return String.fromCharCode(...units);
}
function encodeUtf16Hex(s: string): string {
	return [...s]
		.flatMap((ch) => {
			const cp = ch.codePointAt(0)!;
			if (cp <= 0xffff) return [cp];
			const v = cp - 0x10000;
			return [0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff)];
		})
		.map((u) => toHex(u, 4))
		.join('');
}

/** The text a radical stands for in running Chinese: its glyph's twin, or its NFKC form when one character. */
function unify(text: string): string {
	return [...text]
		.map((ch) => {
			const cp = ch.codePointAt(0)!;
			if (!isRadical(cp)) return ch;
			const twin = RADICAL_TWINS.get(cp);
			if (twin) return twin;
			const n = ch.normalize('NFKC');
			return [...n].length === 1 ? n : ch;
		})
		.join('');
}

/**
 * A ToUnicode CMap with every radical destination replaced by its ideograph. The mappings (bfchar entries and
 * bfrange entries, both forms) are read in full and written back as bfchar blocks of at most 100 entries (the
 * limit the CMap format sets); a CMap without radicals comes back unchanged.
 */
export function unifyRadicals(cmap: string): string {
	const start = cmap.search(/\d+\s+begin(bfchar|bfrange)/);
	const end = cmap.lastIndexOf('endcmap');
	if (start < 0 || end < start) return cmap;
	const body = cmap.slice(start, end);

	const mappings: [string, string][] = [];
	for (const block of body.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
		for (const [, src, dst] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g))
			mappings.push([src, decodeUtf16Hex(dst)]);
	for (const block of body.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
		for (const [, lo, hi, dst, list] of block[1].matchAll(
			/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]+)>|\[([^\]]*)\])/g
		)) {
			const digits = lo.length;
			if (list !== undefined) {
				const dsts = [...list.matchAll(/<([0-9A-Fa-f]*)>/g)].map((x) => decodeUtf16Hex(x[1]));
				dsts.forEach((d, i) => mappings.push([toHex(hex(lo) + i, digits), d]));
			} else {
				// A range maps consecutive codes to consecutive values: the last UTF-16 unit counts up.
				const base = decodeUtf16Hex(dst);
				const head = base.slice(0, -1);
				const last = base.charCodeAt(base.length - 1);
				for (let c = hex(lo), i = 0; c <= hex(hi); c++, i++)
					mappings.push([toHex(c, digits), head + String.fromCharCode(last + i)]);
			}
		}

	if (!mappings.some(([, text]) => unify(text) !== text)) return cmap;
	const lines = mappings.map(([src, text]) => `<${src}> <${encodeUtf16Hex(unify(text))}>`);
	const blocks: string[] = [];
	for (let i = 0; i < lines.length; i += 100) {
		const chunk = lines.slice(i, i + 100);
		blocks.push(`${chunk.length} beginbfchar\n${chunk.join('\n')}\nendbfchar\n`);
	}
	return cmap.slice(0, start) + blocks.join('') + cmap.slice(end);
}

/** The PDF with the ToUnicode CMaps of its fonts passed through unifyRadicals. */
export async function unifyPdfText(pdf: Uint8Array): Promise<Uint8Array> {
	const doc = await PDFDocument.load(pdf, { updateMetadata: false });
	const { context } = doc;
	let changed = false;
	for (const [, object] of context.enumerateIndirectObjects()) {
		if (!(object instanceof PDFDict)) continue;
		const ref = object.get(PDFName.of('ToUnicode'));
		if (!(ref instanceof PDFRef)) continue;
		const stream = context.lookup(ref);
		if (!(stream instanceof PDFRawStream)) continue;
		const cmap = new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode());
		const fixed = unifyRadicals(cmap);
		if (fixed === cmap) continue;
		context.assign(ref, context.flateStream(fixed));
		changed = true;
	}
	return changed ? doc.save() : pdf;
}
