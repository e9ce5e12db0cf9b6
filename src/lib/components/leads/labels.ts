/** Words of the leads screens in the user's language. */
import type { LeadKind, LeadSource } from '$lib/domain/leads';
import { m } from '$lib/paraglide/messages';
export { leadStatusLabel } from '../labels';

const KINDS: Record<LeadKind, () => string> = {
	travel_history: m.leads_kind_travel_history,
	symptoms: m.leads_kind_symptoms,
	gathering: m.leads_kind_gathering,
	quarantine_breach: m.leads_kind_quarantine_breach,
	supplies: m.leads_kind_supplies,
	other: m.leads_kind_other
};
export const leadKindLabel = (k: string): string => KINDS[k as LeadKind]?.() ?? k;

const SOURCES: Record<LeadSource, () => string> = {
	phone: m.leads_source_phone,
	screening: m.leads_source_screening,
	volunteer: m.leads_source_volunteer,
	public: m.leads_source_public,
	hotline: m.leads_source_hotline
};
export const leadSourceLabel = (s: string): string => SOURCES[s as LeadSource]?.() ?? s;
