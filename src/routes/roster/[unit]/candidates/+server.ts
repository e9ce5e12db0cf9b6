/**
 * GET /roster/:unit/candidates?checkpoint&starts&ends&organisation&team&skill&home&free → volunteers who could
 * fill a cell, nearest home first, with who is busy and why (public.roster_candidates scopes them).
 */
import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import * as roster from '$lib/server/roster';
import { requireRosterStaff } from '../access';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	requireRosterStaff(locals, params.unit);
	const q = url.searchParams;
	const id = (name: string) => {
		const v = q.get(name);
		if (!v) return null;
		const n = Number(v);
		if (!Number.isInteger(n) || n <= 0) error(400, m.roster_bad_request());
		return n;
	};
	const checkpoint = id('checkpoint');
	const starts = q.get('starts') ?? '';
	const ends = q.get('ends') ?? '';
	if (!checkpoint || Number.isNaN(Date.parse(starts)) || Number.isNaN(Date.parse(ends)))
		error(400, m.roster_bad_request());
	const list = await roster.candidates(locals.supabase, checkpoint, starts, ends, {
		organisation: id('organisation'),
		team: id('team'),
		skill: q.get('skill') || null,
		home: q.get('home') || null,
		freeOnly: q.get('free') === '1'
	});
	return json(list, { headers: { 'cache-control': 'private, no-cache' } });
};
