import { error, fail } from '@sveltejs/kit';
import {
	nextRequestStatuses,
	pageOf,
	parseRegistrySearch,
	REQUEST_KINDS,
	residentMatches,
	REQUEST_STATUSES,
	residentProblems,
	type Need,
	type RequestKind,
	type RequestStatus,
	type ResidentInput,
	type SpecialGroup
} from '$lib/domain/care';
import { fromShanghaiLocal, shanghaiDay } from '$lib/domain/time';
import { ancestorCodes, levelOfCode, placeLabel } from '$lib/domain/units';
import { m } from '$lib/paraglide/messages';
import { requireMember } from '$lib/server/access';
import * as care from '$lib/server/care';
import { refusal } from '$lib/server/db-error';
import * as units from '$lib/server/units';
import * as volunteers from '$lib/server/volunteers';
import * as retention from '$lib/server/retention';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['secretary', 'commander'] as const;
const LEVELS = ['street', 'community', 'grid'] as const;

function positive(value: FormDataEntryValue | string | null): number | null {
	const n = Number(value);
	return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export const load: PageServerLoad = async ({ params, url, locals }) => {
	const membership = requireMember(locals.membership, params.unit, ROLES, LEVELS);
	const code = params.unit;
	const view = url.searchParams.get('view') === 'requests' ? 'requests' : 'residents';
	const buildingId = positive(url.searchParams.get('building'));
	const search = parseRegistrySearch(url.searchParams);
	const [trail, registry, requests, people, buildings, households, communities, purgedAt] = await Promise.all(
		[
			units.read(
				locals.supabase,
				ancestorCodes(code).filter((c) => c.length >= membership.unit_code.length)
			),
			care.residents(locals.supabase, code),
			care.requests(locals.supabase, code),
			volunteers.forUnit(locals.supabase, code),
			care.buildings(locals.supabase, code),
			buildingId ? care.households(locals.supabase, buildingId) : Promise.resolve([]),
			// A street's list names each place with its community.
			levelOfCode(code) === 'street' ? units.listChildren(locals.supabase, code) : Promise.resolve([]),
			retention.purgedAt(locals.supabase)
		]
	);
	const unit = trail.find((t) => t.code === code);
	if (!unit) error(404, m.error_not_found());
	const names = new Map(communities.map((c) => [c.code, c.name]));
	const place = (gridCode: string, label: string) => placeLabel(code, gridCode, label, names);
	// The registry is read whole (care_registry, audited once per read); the page gets the residents that match
	// its search, one page of them, so a street's hundreds are not one 17,000-pixel list.
	const residents = registry.map((r) => ({
		...r,
		place: place(r.grid_code, [r.household?.building?.name, r.household?.room].filter(Boolean).join(' '))
	}));
	const matching = residents.filter((r) => residentMatches(r, search));
	const shown = pageOf(matching.length, positive(url.searchParams.get('page')) ?? 1);
	return {
		purgedAt,
		unit,
		trail,
		view,
		now: new Date().toISOString(),
		search,
		residents: matching.slice(shown.from, shown.to),
		registry: { total: residents.length, matching: matching.length, ...shown },
		// The request form picks any resident of the unit: names and places only.
		residentOptions:
			view === 'requests' ? residents.map((r) => ({ id: r.id, name: r.name, place: r.place })) : [],
		requests: withResidentNames(requests, residents),
		volunteers: people.map((p) => ({ id: p.id, name: p.name, kind: p.kind })),
		buildings: buildings.map((b) => ({ ...b, name: place(b.grid_code, b.name) })),
		buildingId,
		households
	};
};

/** Each request with its resident's name and place, from the registry (the audited read of names). */
function withResidentNames(
	requests: care.ServiceRequest[],
	residents: (care.Resident & { place: string })[]
): (care.ServiceRequest & { resident: { name: string; place: string } | null })[] {
	const byId = new Map(residents.map((r) => [r.id, r]));
	return requests.map((r) => {
		const resident = byId.get(r.resident_id);
		return { ...r, resident: resident ? { name: resident.name, place: resident.place } : null };
	});
}

/** The fields of a form, trimmed; empty ones as null. */
function reader(form: FormData) {
	return (k: string): string | null => {
		const v = String(form.get(k) ?? '').trim();
		return v === '' ? null : v;
	};
}

export const actions: Actions = {
	addResident: async ({ params, request, locals }) => {
		requireMember(locals.membership, params.unit, ROLES, LEVELS);
		const form = await request.formData();
		const get = reader(form);
		const input: ResidentInput = {
			household_id: positive(form.get('household_id')) ?? 0,
			name: get('name') ?? '',
			gender:
				get('gender') === 'female' || get('gender') === 'male' ? (get('gender') as 'female' | 'male') : null,
			birth_year: get('birth_year') ? Number(get('birth_year')) : null,
			id_number: get('id_number')?.toUpperCase() ?? null,
			phone: get('phone')?.replace(/\s/g, '') ?? null,
			special_groups: form.getAll('special_groups').map(String) as SpecialGroup[],
			needs: form.getAll('needs').map(String) as Need[],
			isolation_until: get('isolation_until'),
			note: get('note')
		};
		const problems = residentProblems(input, Number(shanghaiDay(new Date()).slice(0, 4)));
		// What was typed goes back to the form, so nothing has to be typed twice.
		const values = input;
		if (problems.length > 0)
			return fail(400, { action: 'addResident', message: m.care_check_fields(), problems, values });
		try {
			const id = await care.addResident(locals.supabase, input);
			return { action: 'addResident', ok: true, message: m.care_resident_added({ name: input.name }), id };
		} catch (e) {
			const r = refusal(e);
			if (!r) throw e;
			return fail(r.status, { action: 'addResident', message: r.message, problems, values });
		}
	},

	/** Shows a full phone or ID number once, in this answer only; the database writes the audit row. */
	reveal: async ({ params, request, locals }) => {
		requireMember(locals.membership, params.unit, ROLES, LEVELS);
		const form = await request.formData();
		const residentId = positive(form.get('resident_id'));
		const field = form.get('field') === 'id_number' ? 'id_number' : 'phone';
		const purpose = String(form.get('purpose') ?? '').trim();
		if (!residentId) return fail(400, { action: 'reveal', message: m.error_invalid_input() });
		if (purpose.length < 2)
			return fail(400, { action: 'reveal', residentId, field, message: m.care_purpose_needed() });
		try {
			const value =
				field === 'phone'
					? await care.revealPhone(locals.supabase, residentId, purpose)
					: await care.revealIdNumber(locals.supabase, residentId, purpose);
			return { action: 'reveal', ok: true, residentId, field, value: value ?? m.care_none() };
		} catch (e) {
			const r = refusal(e);
			if (!r) throw e;
			return fail(r.status, { action: 'reveal', residentId, field, message: r.message });
		}
	},

	createRequest: async ({ params, request, locals }) => {
		requireMember(locals.membership, params.unit, ROLES, LEVELS);
		const form = await request.formData();
		const get = reader(form);
		const residentId = positive(form.get('resident_id'));
		const kind = get('kind') as RequestKind;
		const due = fromShanghaiLocal(get('due_at') ?? '');
		const detail = get('detail');
		if (!residentId || !REQUEST_KINDS.includes(kind) || !due || (detail && [...detail].length > 1000))
			return fail(400, { action: 'createRequest', message: m.care_check_fields() });
		try {
			await care.createRequest(locals.supabase, {
				resident_id: residentId,
				kind,
				detail,
				due_at: due,
				assigned_volunteer_id: positive(form.get('volunteer_id'))
			});
			return { action: 'createRequest', ok: true, message: m.care_request_created() };
		} catch (e) {
			const r = refusal(e);
			if (!r) throw e;
			return fail(r.status, { action: 'createRequest', message: r.message });
		}
	},

	updateRequest: async ({ params, request, locals }) => {
		requireMember(locals.membership, params.unit, ROLES, LEVELS);
		const form = await request.formData();
		const id = positive(form.get('request_id'));
		const from = String(form.get('from')) as RequestStatus;
		const to = String(form.get('to')) as RequestStatus;
		const volunteer = positive(form.get('volunteer_id'));
		if (!id || !REQUEST_STATUSES.includes(from) || !nextRequestStatuses(from).includes(to))
			return fail(400, { action: 'updateRequest', message: m.error_invalid_input() });
		if (to === 'assigned' && !volunteer)
			return fail(400, { action: 'updateRequest', message: m.care_pick_volunteer() });
		try {
			await care.updateRequest(locals.supabase, id, to, to === 'assigned' ? volunteer : null);
			return { action: 'updateRequest', ok: true, message: m.care_request_updated() };
		} catch (e) {
			const r = refusal(e);
			if (!r) throw e;
			return fail(r.status, { action: 'updateRequest', message: r.message });
		}
	}
};
