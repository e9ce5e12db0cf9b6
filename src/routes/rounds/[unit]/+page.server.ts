/**
 * /rounds/:unit — the responses over the unit and the screening rounds of the one shown. Leaders open and end
 * responses over their unit; commanders and secretaries open, extend and close rounds inside a running one.
 * Every rule is the database's (the RPCs of …_response_runs.sql); a refusal is shown in its words.
 */
import { error, fail } from '@sveltejs/kit';
import { addDays, isRunning } from '$lib/domain/response';
import { m } from '$lib/paraglide/messages';
import { requireMember } from '$lib/server/access';
import * as responses from '$lib/server/responses';
import * as rounds from '$lib/server/rounds';
import * as units from '$lib/server/units';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['leader', 'commander', 'secretary'] as const;
const LEVELS = ['city', 'district', 'street', 'community'] as const;

export const load: PageServerLoad = async (event) => {
	const { params, locals } = event;
	const membership = requireMember(locals.membership, params.unit, ROLES, LEVELS);
	const ctx = await responses.context(event);
	const [roundList, children] = await Promise.all([
		ctx.response ? rounds.ofResponse(locals.supabase, ctx.response.id) : Promise.resolve([]),
		units.listChildren(locals.supabase, params.unit)
	]);
	const codes = [
		...new Set([...ctx.responses.map((r) => r.unit_code), ...roundList.map((r) => r.unit_code)])
	];
	const [self] = await units.read(locals.supabase, [params.unit]);
	if (!self) error(404, m.error_not_found());
	const named = await units.read(locals.supabase, codes);
	return {
		unit: self,
		role: membership.role,
		today: ctx.today,
		responses: ctx.responses,
		response: ctx.response,
		rounds: roundList,
		unitNames: Object.fromEntries([...named, self, ...children].map((u) => [u.code, u.name])),
		// Where a round or a response may be opened: the unit itself and the level below it.
		choices: [self, ...children.filter((c) => c.level !== 'grid' || self.level === 'community')].map((u) => ({
			code: u.code,
			name: u.name,
			level: u.level
		})),
		defaultEnd: addDays(ctx.today, 13),
		canRunRounds: membership.role !== 'leader' && !!ctx.response && isRunning(ctx.response)
	};
};

function text(form: FormData, name: string): string {
	return String(form.get(name) ?? '').trim();
}

function id(form: FormData, name: string): number | null {
	const v = text(form, name);
	return /^[1-9]\d{0,12}$/.test(v) ? Number(v) : null;
}

type Outcome = { ok: true } | { status: number; message: string };

function answer(action: string, outcome: Outcome) {
	if ('ok' in outcome) return { action, saved: true };
	return fail(outcome.status, { action, message: outcome.message });
}

export const actions: Actions = {
	openResponse: async ({ request, params, locals }) => {
		requireMember(locals.membership, params.unit, ['leader'], LEVELS);
		const form = await request.formData();
		return answer(
			'openResponse',
			await rounds.openResponse(locals.supabase, {
				unit: text(form, 'unit'),
				name: text(form, 'name'),
				startedOn: text(form, 'started_on'),
				retentionDays: Number(text(form, 'retention_days') || 180)
			})
		);
	},
	endResponse: async ({ request, params, locals }) => {
		requireMember(locals.membership, params.unit, ['leader'], LEVELS);
		const form = await request.formData();
		const responseId = id(form, 'response');
		if (!responseId) return fail(400, { action: 'endResponse', message: m.error_invalid_input() });
		return answer('endResponse', await rounds.endResponse(locals.supabase, responseId, text(form, 'reason')));
	},
	openRound: async ({ request, params, locals }) => {
		requireMember(locals.membership, params.unit, ['commander', 'secretary'], LEVELS);
		const form = await request.formData();
		return answer(
			'openRound',
			await rounds.openRound(locals.supabase, {
				unit: text(form, 'unit'),
				name: text(form, 'name'),
				startsOn: text(form, 'starts_on'),
				endsOn: text(form, 'ends_on'),
				validDays: Number(text(form, 'valid_days') || 14)
			})
		);
	},
	extendRound: async ({ request, params, locals }) => {
		requireMember(locals.membership, params.unit, ['commander', 'secretary'], LEVELS);
		const form = await request.formData();
		const roundId = id(form, 'round');
		if (!roundId) return fail(400, { action: 'extendRound', message: m.error_invalid_input() });
		return answer('extendRound', await rounds.extendRound(locals.supabase, roundId, text(form, 'ends_on')));
	},
	closeRound: async ({ request, params, locals }) => {
		requireMember(locals.membership, params.unit, ['commander', 'secretary'], LEVELS);
		const form = await request.formData();
		const roundId = id(form, 'round');
		if (!roundId) return fail(400, { action: 'closeRound', message: m.error_invalid_input() });
		return answer('closeRound', await rounds.closeRound(locals.supabase, roundId));
	}
};
