/** Memberships: a user's role and unit, read through the user's own session (RLS: own row only). */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Role, TitleUnit } from '$lib/domain/roles';

export type { Role };

export interface Membership {
	role: Role;
	unit_code: string;
	display_name: string;
	volunteer_id: number | null;
	/** The member's unit (its level and name give a leader's title); null if it could not be read. */
	unit: TitleUnit | null;
}

export async function readOwn(supabase: SupabaseClient, userId: string): Promise<Membership | null> {
	const { data, error } = await supabase
		.from('memberships')
		.select('role, unit_code, display_name, volunteer_id, unit:units(level, name)')
		.eq('user_id', userId)
		// A deactivated person holds no role (the database agrees: private.my_role()).
		.is('deactivated_at', null)
		.maybeSingle();
	if (error) throw new Error(`memberships: ${error.message}`);
	return data as unknown as Membership | null;
}
