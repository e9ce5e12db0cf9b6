/** Screening rounds of a response that apply to a unit (over it, above it or below it), oldest first. */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { ManagedRound, Round } from '$lib/domain/response';
import { check, refusal, type Refusal } from './db-error';

export async function forUnit(supabase: SupabaseClient, unit: string, response: number): Promise<Round[]> {
	const { data, error } = await supabase
		.from('screening_rounds')
		.select('id, name, unit_code, starts_on, ends_on, closed_at')
		.eq('response_id', response)
		.order('starts_on');
	if (error) throw new Error(`screening_rounds: ${error.message}`);
	return (data as (Round & { unit_code: string })[])
		.filter((r) => unit.startsWith(r.unit_code) || r.unit_code.startsWith(unit))
		.map(({ id, name, unit_code, starts_on, ends_on, closed_at }) => ({
			id,
			name,
			unit_code,
			starts_on,
			ends_on,
			closed_at
		}));
}

/** Every round of a response the caller may see (over, above or below their unit), in order of their first day. */
export async function ofResponse(supabase: SupabaseClient, response: number): Promise<ManagedRound[]> {
	const answer = await supabase
		.from('screening_rounds')
		.select('id, response_id, name, unit_code, starts_on, ends_on, valid_days, closed_at')
		.eq('response_id', response)
		.order('starts_on')
		.order('unit_code');
	return check('screening_rounds', answer) as ManagedRound[];
}

/** Calls one of the RPCs that run responses and rounds; a refusal comes back in the database's words. */
async function run(
	supabase: SupabaseClient,
	fn: 'open_response' | 'end_response' | 'open_round' | 'extend_round' | 'close_round',
	args: Record<string, unknown>
): Promise<{ ok: true } | Refusal> {
	try {
		check(fn, await supabase.rpc(fn, args));
		return { ok: true };
	} catch (e) {
		const r = refusal(e);
		if (!r) throw e;
		return r;
	}
}

export const openResponse = (
	supabase: SupabaseClient,
	a: { unit: string; name: string; startedOn: string; retentionDays: number }
) =>
	run(supabase, 'open_response', {
		p_unit: a.unit,
		p_name: a.name,
		p_started_on: a.startedOn,
		p_retention_days: a.retentionDays
	});

export const endResponse = (supabase: SupabaseClient, id: number, reason: string) =>
	run(supabase, 'end_response', { p_response_id: id, p_reason: reason });

export const openRound = (
	supabase: SupabaseClient,
	a: { unit: string; name: string; startsOn: string; endsOn: string; validDays: number }
) =>
	run(supabase, 'open_round', {
		p_unit: a.unit,
		p_name: a.name,
		p_starts_on: a.startsOn,
		p_ends_on: a.endsOn,
		p_valid_days: a.validDays
	});

export const extendRound = (supabase: SupabaseClient, id: number, endsOn: string) =>
	run(supabase, 'extend_round', { p_round_id: id, p_ends_on: endsOn });

export const closeRound = (supabase: SupabaseClient, id: number) =>
	run(supabase, 'close_round', { p_round_id: id });
