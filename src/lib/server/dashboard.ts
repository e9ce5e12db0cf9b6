/** The unit's side panel (KPIs and chart series) from public.unit_dashboard, computed in SQL. */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Dashboard } from '$lib/domain/dashboard';
import { momentOf, type View } from '$lib/domain/view';

export async function read(supabase: SupabaseClient, unit: string, view: View): Promise<Dashboard> {
	const { data, error } = await supabase.rpc('unit_dashboard', {
		p_unit: unit,
		p_as_of: view.date,
		p_at: momentOf(view.date, view.time),
		p_round_id: view.round,
		// Coverage that expires after N days: "not re-screened" counts over the same N days, so the panel's
		// numbers add up (else the round's validity).
		p_stale_days: view.valid ?? undefined
	});
	if (error) throw new Error(`unit_dashboard: ${error.message}`);
	return data as Dashboard;
}
