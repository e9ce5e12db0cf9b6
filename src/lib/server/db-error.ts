/**
 * Refusals from the database, kept apart from failures. The app's RPCs and triggers raise Chinese messages with
 * a HINT naming the case (listed in each migration's comments); row-level security and plain CHECKs raise
 * English ones without a hint. A route shows the first as they are and puts its own words on the second;
 * anything else is a failure (a 500), not something to tell the user.
 *
 *   try { await board.claim(...) } catch (e) { const r = refusal(e); if (!r) throw e; return fail(r.status, r) }
 */
import type { PostgrestError } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';

export class DbError extends Error {
	readonly code: string;
	readonly hint: string | null;
	readonly details: string | null;

	constructor(what: string, error: PostgrestError) {
		super(error.message);
		this.name = `DbError(${what})`;
		this.code = error.code;
		this.hint = error.hint || null;
		this.details = error.details || null;
	}
}

/** Throws the error of a supabase-js answer, if any, as a DbError naming what was asked. */
export function check<T>(what: string, answer: { data: T; error: PostgrestError | null }): T {
	if (answer.error) throw new DbError(what, answer.error);
	return answer.data;
}

export interface Refusal {
	status: number;
	message: string;
	hint: string | null;
}

const STATUS_BY_CODE: Record<string, number> = {
	'42501': 403, // insufficient_privilege, row-level security
	P0002: 404, // no_data_found
	'23P01': 409, // exclusion_violation: a claim or shift held by someone else
	'23505': 409, // unique_violation
	'23514': 400, // check_violation
	'23503': 400, // foreign_key_violation
	'22023': 400, // invalid_parameter_value
	'22P02': 400, // invalid_text_representation
	'23502': 400 // not_null_violation
};

/** A refusal the user should read (status and words), or null when the error is a failure. */
export function refusal(e: unknown): Refusal | null {
	if (!(e instanceof DbError)) return null;
	const status = STATUS_BY_CODE[e.code];
	if (status === undefined) return null;
	// The app's own refusals carry a hint and a Chinese message; the database's generic ones do not.
	if (e.hint) return { status, message: e.message, hint: e.hint };
	if (status === 403) return { status, message: m.error_write_forbidden(), hint: null };
	return { status, message: m.error_invalid_input(), hint: null };
}
