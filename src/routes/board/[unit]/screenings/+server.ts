/**
 * POST /board/:unit/screenings: one screening from the phone's queue, stored once per key. Answers
 * { stored: true } for a new record, { stored: false } for one stored before (a replay), or
 * { message } with 400 (malformed), 403 (outside the unit), 404, 409 ... as the database refused it.
 */
import { error, json } from '@sveltejs/kit';
import { parseSubmission } from '$lib/domain/screening';
import { m } from '$lib/paraglide/messages';
import { requireMember } from '$lib/server/access';
import * as board from '$lib/server/board';
import { refusal } from '$lib/server/db-error';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ params, request, locals }) => {
	requireMember(
		locals.membership,
		params.unit,
		['secretary', 'commander', 'volunteer'],
		['street', 'community', 'grid']
	);
	const body: unknown = await request.json().catch(() => error(400, m.error_invalid_input()));
	const submission = parseSubmission(body);
	if ('problems' in submission)
		return json({ message: m.error_invalid_input(), problems: submission.problems }, { status: 400 });
	try {
		return json(await board.record(locals.supabase, submission));
	} catch (e) {
		const r = refusal(e);
		if (!r) throw e;
		return json({ message: r.message, hint: r.hint }, { status: r.status });
	}
};
