/**
 * POST /briefing/:unit/pdf?date (the briefing page's form): the daily briefing as a PDF, the printable page
 * rendered by headless Chromium with the user's own session ($lib/server/pdf). The download is written to the
 * audit log first (a POST, so no other site can make a browser write it). Without Chromium on the server the
 * answer is 503 with a message saying to print from the browser instead.
 */
import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { m } from '$lib/paraglide/messages';
import * as briefing from '$lib/server/briefing';
import { PdfUnavailable, renderPdf } from '$lib/server/pdf';
import * as units from '$lib/server/units';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const { params, url, locals, cookies } = event;
	const { code, date, responseParam } = await briefing.parseRequest(event, params.unit);
	const [unit] = await units.read(locals.supabase, [code]);
	if (!unit) error(404, m.error_not_found());
	await briefing.auditDownload(locals.supabase, code, date, 'pdf');
	// The app renders its own page: at BRIEFING_RENDER_ORIGIN when the public origin is not reachable from the
	// server itself (behind a proxy), else at the origin this request came to.
	const origin = env.BRIEFING_RENDER_ORIGIN || url.origin;
	const target = new URL(
		`/briefing/${code}?date=${date}${responseParam ? `&response=${responseParam}` : ''}`,
		origin
	);
	let pdf: Buffer;
	try {
		// cookies.getAll() includes any session the hooks just refreshed, so the headless browser presents a
		// fresh token and never rotates the refresh token behind the user's back.
		pdf = await renderPdf(target, cookies.getAll(), {
			executablePath: env.CHROMIUM_PATH || '/usr/bin/chromium',
			ready: '[data-print-ready="true"]'
		});
	} catch (e) {
		if (e instanceof PdfUnavailable) error(503, m.briefing_pdf_unavailable());
		console.error('briefing pdf:', e);
		error(502, m.briefing_pdf_failed());
	}
	const filename = `${m.briefing_title({ unit: unit.name })}-${date}.pdf`;
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="briefing.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
			'cache-control': 'private, no-store'
		}
	});
};
