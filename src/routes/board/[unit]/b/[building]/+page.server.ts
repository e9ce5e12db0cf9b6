import { error, fail } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { parseSubmission } from '$lib/domain/screening';
import { isWithin } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import * as board from '$lib/server/board';
import { refusal } from '$lib/server/db-error';
import type { Actions, PageServerLoad } from './$types';

const CLAIM_MINUTES = [60, 120, 240] as const;

function roundParam(url: URL): number | null {
	const r = url.searchParams.get('round');
	return r && /^[1-9]\d{0,5}$/.test(r) ? Number(r) : null;
}

function buildingId(param: string): number {
	if (!/^[1-9]\d{0,12}$/.test(param)) error(404, m.error_not_found());
	return Number(param);
}

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const id = buildingId(params.building);
	const detail = await board.building(locals.supabase, id, roundParam(url)).catch((e: unknown) => {
		if (refusal(e)) error(404, m.board_building_not_found());
		throw e;
	});
	if (!isWithin(detail.building.grid_code, params.unit)) error(404, m.board_building_not_found());
	return {
		detail,
		claimMinutes: CLAIM_MINUTES,
		// One key per household form, so a form posted twice without JavaScript (reload, double tap) lands once.
		formKeys: Object.fromEntries(detail.households.map((h) => [h.id, randomUUID()])) as Record<string, string>
	};
};

export const actions: Actions = {
	claim: async ({ params, request, url, locals }) => {
		const form = await request.formData();
		const minutes = Number(form.get('minutes'));
		if (!CLAIM_MINUTES.includes(minutes as (typeof CLAIM_MINUTES)[number]))
			return fail(400, { action: 'claim', message: m.error_invalid_input() });
		try {
			await board.claim(locals.supabase, buildingId(params.building), roundParam(url), minutes);
		} catch (e) {
			const r = refusal(e);
			if (!r) throw e;
			return fail(r.status, { action: 'claim', message: r.message });
		}
		return { action: 'claim', ok: true, message: m.board_claim_done() };
	},

	release: async ({ request, locals }) => {
		const form = await request.formData();
		const claimId = Number(form.get('claim_id'));
		if (!Number.isSafeInteger(claimId) || claimId <= 0)
			return fail(400, { action: 'release', message: m.error_invalid_input() });
		try {
			await board.release(locals.supabase, claimId);
		} catch (e) {
			const r = refusal(e);
			if (!r) throw e;
			return fail(r.status, { action: 'release', message: r.message });
		}
		return { action: 'release', ok: true, message: m.board_release_done() };
	},

	/** The form posted without JavaScript (with it, screenings go through the phone's queue instead). */
	record: async ({ request, locals }) => {
		const form = await request.formData();
		// Without JavaScript the flags show whatever the outcome: they count only for a flagged household.
		const flagged = form.get('outcome') === 'flagged';
		const submission = parseSubmission({
			key: form.get('key'),
			household_id: Number(form.get('household_id')),
			round_id: Number(form.get('round_id')),
			method: form.get('method'),
			outcome: form.get('outcome'),
			flags: flagged ? form.getAll('flags') : [],
			note: form.get('note') ?? '',
			screened_at: new Date().toISOString()
		});
		if ('problems' in submission)
			return fail(400, {
				action: 'record',
				message: m.board_form_incomplete(),
				problems: submission.problems
			});
		try {
			const { stored } = await board.record(locals.supabase, submission);
			return { action: 'record', ok: true, message: stored ? m.board_recorded() : m.board_recorded_before() };
		} catch (e) {
			const r = refusal(e);
			if (!r) throw e;
			return fail(r.status, { action: 'record', message: r.message });
		}
	}
};
