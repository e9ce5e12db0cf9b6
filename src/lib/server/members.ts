/** Memberships: a user's role and unit, read through the user's own session (RLS: own row only). */
import type { SupabaseClient } from '@supabase/supabase-js';

export type Role = 'secretary' | 'commander' | 'leader' | 'volunteer';

export interface Membership {
	role: Role;
	unit_code: string;
	display_name: string;
	volunteer_id: number | null;
}

export async function readOwn(supabase: SupabaseClient, userId: string): Promise<Membership | null> {
	const { data, error } = await supabase
		.from('memberships')
		.select('role, unit_code, display_name, volunteer_id')
		.eq('user_id', userId)
		.maybeSingle();
	if (error) throw new Error(`memberships: ${error.message}`);
	return data as Membership | null;
}
