/** The unit's exports through public.export_unit: records for staff (masked), counts for leaders; audited. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { DbRefusal } from './grids';

export const EXPORT_KINDS = ['progress', 'special_groups', 'leads'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportData {
	level: 'records' | 'counts';
	round_id: number | null;
	rows: Record<string, unknown>[];
}

export async function exportUnit(
	supabase: SupabaseClient,
	unit: string,
	kind: ExportKind,
	purpose: string
): Promise<ExportData> {
	const { data, error } = await supabase.rpc('export_unit', {
		p_unit: unit,
		p_kind: kind,
		p_purpose: purpose
	});
	if (error) {
		if (error.hint) throw new DbRefusal(error.message, error.hint);
		throw new Error(`export_unit: ${error.message}`);
	}
	return data as ExportData;
}
