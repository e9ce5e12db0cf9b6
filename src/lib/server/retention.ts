/** The retention policy (migration 20261129001700): when personal data was last purged, for the screens that show it. */
import type { SupabaseClient } from '@supabase/supabase-js';

/** When personal health and location data was purged (ISO time), or null if it never was. */
export async function purgedAt(supabase: SupabaseClient): Promise<string | null> {
	const { data, error } = await supabase.from('retention_policy').select('purged_at').maybeSingle();
	if (error) throw new Error(`retention_policy: ${error.message}`);
	return (data?.purged_at as string | null | undefined) ?? null;
}
