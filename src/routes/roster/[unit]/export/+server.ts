/**
 * POST /roster/:unit/export?day&slots (the roster screen's form) → the day's roster as an .xlsx (the gap grid and
 * the shifts). The database records each export in the audit log (who, which unit, which day), so it is a POST:
 * a link or image on another site cannot make a signed-in browser export (SvelteKit refuses cross-site form
 * posts, and the session cookie is SameSite=Lax). A GET is answered 405.
 */
import { checkpointKindLabel } from '$lib/components/labels';
import { rosterGrid } from '$lib/domain/roster';
import * as roster from '$lib/server/roster';
import { rosterWorkbook } from '$lib/server/roster-workbook';
import * as units from '$lib/server/units';
import { requireRosterStaff, rosterView } from '../access';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const { params, locals } = event;
	requireRosterStaff(locals, params.unit);
	const view = await rosterView(event, params.unit);
	const [rows, shifts, [unit]] = await Promise.all([
		roster.day(locals.supabase, params.unit, view.day, view.slots),
		roster.exportShifts(locals.supabase, params.unit, view.day),
		units.read(locals.supabase, [params.unit])
	]);
	const file = await rosterWorkbook(
		unit?.name ?? params.unit,
		view.day,
		rosterGrid(rows),
		shifts,
		checkpointKindLabel
	);
	const name = `排班_${unit?.name ?? params.unit}_${view.day}.xlsx`;
	return new Response(new Uint8Array(file), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="roster-${params.unit}-${view.day}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
			'cache-control': 'private, no-store'
		}
	});
};
