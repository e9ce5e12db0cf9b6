import { error, fail } from '@sveltejs/kit';
import { isRequestOverdue, REQUEST_STATUSES, type RequestStatus } from '$lib/domain/care';
import { m } from '$lib/paraglide/messages';
import { refuseOutsideScope } from '$lib/server/access';
import { refusal } from '$lib/server/db-error';
import * as tasks from '$lib/server/tasks';
import type { Actions, PageServerLoad } from './$types';

/** A volunteer's own page: their unit's address, their tasks. */
function requireVolunteer(locals: App.Locals, unit: string) {
	const membership = locals.membership;
	if (!membership) error(403, m.login_no_membership());
	if (membership.role !== 'volunteer') error(403, m.tasks_volunteers_only());
	if (unit !== membership.unit_code) refuseOutsideScope();
	return membership;
}

export const load: PageServerLoad = async ({ params, locals }) => {
	requireVolunteer(locals, params.unit);
	const mine = await tasks.mine(locals.supabase);
	const now = Date.now();
	return {
		requests: mine.requests.map((r) => ({ ...r, overdue: isRequestOverdue(r, now) })),
		leads: mine.leads.map((l) => ({
			...l,
			overdue: l.deadline !== null && Date.parse(l.deadline) < now
		}))
	};
};

export const actions: Actions = {
	move: async ({ params, request, locals }) => {
		requireVolunteer(locals, params.unit);
		const form = await request.formData();
		const id = Number(form.get('request_id'));
		const to = String(form.get('to')) as RequestStatus;
		if (!Number.isSafeInteger(id) || id <= 0 || !REQUEST_STATUSES.includes(to))
			return fail(400, { message: m.error_invalid_input() });
		try {
			await tasks.move(locals.supabase, id, to);
			return { ok: true, id, message: to === 'done' ? m.tasks_done_saved() : m.tasks_started() };
		} catch (e) {
			const r = refusal(e);
			if (!r) throw e;
			return fail(r.status, { message: r.message, id });
		}
	}
};
