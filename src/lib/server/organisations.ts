/** A unit's social organisations, teams, volunteers and hours served (public.organisation_overview). */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { OrganisationOverview } from '$lib/domain/organisations';

export async function overview(
	supabase: SupabaseClient,
	unit: string,
	asOf: string
): Promise<OrganisationOverview> {
	const { data, error } = await supabase.rpc('organisation_overview', { p_unit: unit, p_as_of: asOf });
	if (error) throw new Error(`organisation_overview: ${error.message}`);
	return data as OrganisationOverview;
}
