/**
 * POST /briefing/:unit/xlsx?date (the briefing page's form): the daily briefing's tables as an Excel workbook, the
 * same tables the page shows, counts only. The download is written to the audit log first (a POST, so no other
 * site can make a browser write it).
 */
import { error } from '@sveltejs/kit';
import { briefingLabels } from '$lib/components/briefing-labels';
import { briefingTables } from '$lib/domain/briefing';
import { m } from '$lib/paraglide/messages';
import * as briefing from '$lib/server/briefing';
import { workbook } from '$lib/server/xlsx';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const { params, locals } = event;
	const { code, date, period } = await briefing.parseRequest(event, params.unit);
	const data = await briefing.read(locals.supabase, code, date, period.first);
	if (!data) error(404, m.error_not_found());
	await briefing.auditDownload(locals.supabase, code, date, 'xlsx');
	const b = data.briefing;
	const title = m.briefing_title({ unit: b.unit.name });
	const body = await workbook(briefingTables(b, briefingLabels(b.staleDays)), {
		title: `${title} ${date}`,
		creator: m.app_name()
	});
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': attachment(`${title}-${date}.xlsx`),
			'cache-control': 'private, no-store'
		}
	});
};

/** An attachment with a Chinese file name (RFC 6266/5987), and an ASCII fallback for old clients. */
function attachment(filename: string): string {
	return `attachment; filename="briefing.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
