/**
 * A page of this app printed to PDF by headless Chromium (playwright-core), as the signed-in user sees it: the
 * user's cookies go to a fresh browser context for the app's own origin only, every request to any other origin
 * is aborted (nothing leaves the machine while the PDF is made), and the PDF is taken once the page says it is
 * ready (the map has drawn). Chromium prints real text with embedded font subsets, so the PDF's text (Chinese
 * included) can be searched and extracted, once ./pdf-text.ts has mapped the radicals Chromium writes for some
 * ideographs back to those ideographs.
 *
 * Without a Chromium to run, `PdfUnavailable` is thrown and the caller tells the user to print from the browser
 * instead.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from './chromium';
import { unifyPdfText } from './pdf-text';

export class PdfUnavailable extends Error {}

/** At most this many PDFs are made at once; further requests wait their turn (each is a browser process). */
const MAX_RENDERS = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function turn<T>(work: () => Promise<T>): Promise<T> {
	if (running >= MAX_RENDERS) await new Promise<void>((resolve) => waiting.push(resolve));
	running++;
	try {
		return await work();
	} finally {
		running--;
		waiting.shift()?.();
	}
}

export interface PdfOptions {
	/** The Chromium (or Chrome) executable: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
	executablePath: string;
	/** A selector the page shows once it is ready to print. */
	ready: string;
	/** How long the page may take to load and get ready. */
	timeoutMs?: number;
}

/**
 * Prints `target` (a page of this app) to an A4 PDF with the given cookies. The page's own print CSS decides the
 * layout (`@page`); backgrounds are printed (map, legend swatches).
 */
export async function renderPdf(
	target: URL,
	cookies: { name: string; value: string }[],
	options: PdfOptions
): Promise<Buffer> {
	const { executablePath } = options;
	if (!existsSync(executablePath)) throw new PdfUnavailable(`no Chromium at ${executablePath}`);
	const { chromium } = await import('playwright-core');
	const timeout = options.timeoutMs ?? 30_000;
	return turn(async () => {
		let browser: Browser;
		try {
			browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], headless: true, timeout });
		} catch (e) {
			throw new PdfUnavailable(`Chromium did not start: ${(e as Error).message}`);
		}
		try {
			const context = await browser.newContext({
				locale: 'zh-CN',
				timezoneId: 'Asia/Shanghai',
				// A4 at 96 dpi, so the screen layout before printing is the printed one.
				viewport: { width: 794, height: 1123 }
			});
			// HttpOnly as the app sets them (hooks.server.ts): the printed page's scripts never see the session.
			await context.addCookies(
				cookies.map((c) => ({ name: c.name, value: c.value, url: target.origin, httpOnly: true }))
			);
			await context.route('**/*', (route) =>
				new URL(route.request().url()).origin === target.origin ? route.continue() : route.abort()
			);
			const page = await context.newPage();
			const response = await page.goto(target.href, { waitUntil: 'load', timeout });
			if (!response?.ok()) throw new Error(`${target.pathname} answered ${response?.status()}`);
			await page.locator(options.ready).waitFor({ timeout });
			const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
			return Buffer.from(await unifyPdfText(pdf));
		} finally {
			await browser.close();
		}
	});
}
