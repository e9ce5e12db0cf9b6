/**
 * /people/:unit — the people of a unit and below, for those who manage them (administrators, street commanders,
 * community secretaries): create an account, deactivate or reactivate it, reset its password. Every rule is the
 * database's (…1208000600_people.sql); a one-time password is shown once, in the answer to the action.
 */
import { error, fail } from '@sveltejs/kit';
import { grantableRoles, PEOPLE_MANAGERS, roleFitsLevel } from '$lib/domain/people';
import type { Role } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';
import { requireMember } from '$lib/server/access';
import * as people from '$lib/server/people';
import * as units from '$lib/server/units';
import type { Actions, PageServerLoad } from './$types';

const LEVELS = ['city', 'district', 'street', 'community'] as const;
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const load: PageServerLoad = async ({ params, locals }) => {
	const membership = requireMember(locals.membership, params.unit, PEOPLE_MANAGERS, LEVELS);
	const [[self], children, list] = await Promise.all([
		units.read(locals.supabase, [params.unit]),
		units.listChildren(locals.supabase, params.unit),
		people.list(locals.supabase, params.unit)
	]);
	if (!self) error(404, m.error_not_found());
	const places = [self, ...children.filter((c) => c.level !== 'grid')];
	const roles = grantableRoles(membership.role);
	return {
		unit: self,
		people: list,
		// Each role the caller may give, with the units here it goes with.
		choices: roles
			.map((role) => ({ role, units: places.filter((u) => roleFitsLevel(role, u.level)) }))
			.filter((c) => c.units.length > 0),
		children: children.filter((c) => c.level !== 'grid'),
		me: locals.user?.id ?? null
	};
};

function text(form: FormData, name: string): string {
	return String(form.get(name) ?? '').trim();
}

function userId(form: FormData): string {
	const id = text(form, 'user_id');
	if (!USER_ID.test(id)) error(400, m.error_invalid_input());
	return id;
}

export const actions: Actions = {
	create: async ({ request, params, locals }) => {
		requireMember(locals.membership, params.unit, PEOPLE_MANAGERS, LEVELS);
		const form = await request.formData();
		const input = {
			name: text(form, 'name'),
			email: text(form, 'email'),
			phone: text(form, 'phone'),
			role: text(form, 'role') as Role,
			unit: text(form, 'unit')
		};
		const made = await people.create(locals.supabase, input);
		if ('ok' in made) return { action: 'create', password: made.password, email: input.email };
		return fail(made.status, { action: 'create', message: made.message, values: input });
	},
	active: async ({ request, params, locals }) => {
		requireMember(locals.membership, params.unit, PEOPLE_MANAGERS, LEVELS);
		const form = await request.formData();
		const id = userId(form);
		const done = await people.setActive(
			locals.supabase,
			id,
			text(form, 'active') === 'true',
			text(form, 'reason')
		);
		if ('ok' in done) return { action: 'active', user: id };
		return fail(done.status, { action: 'active', user: id, message: done.message });
	},
	reset: async ({ request, params, locals }) => {
		requireMember(locals.membership, params.unit, PEOPLE_MANAGERS, LEVELS);
		const id = userId(await request.formData());
		const done = await people.resetPassword(locals.supabase, id);
		if ('ok' in done) return { action: 'reset', user: id, password: done.password };
		return fail(done.status, { action: 'reset', user: id, message: done.message });
	}
};
