/** The daily briefing's words in the user's language, for the page and for its Excel download alike. */
import type { BriefingKpi, BriefingLabels } from '$lib/domain/briefing';
import type { IncubationLevel } from '$lib/domain/organisations';
import { m } from '$lib/paraglide/messages';
import { coverageWords } from './kpi-labels';

const LEVELS: Record<IncubationLevel, () => string> = {
	city: m.org_level_city,
	district: m.org_level_district,
	street: m.org_level_street,
	community: m.org_level_community
};

export function briefingLabels(staleDays: number): BriefingLabels {
	// The briefing counts by round (unit_dashboard's KPIs), in the words the map's panel uses.
	const words = coverageWords(null);
	const kpis: Record<BriefingKpi, () => string> = {
		households: () => words.households,
		screened: () => words.screened,
		coverage: () => m.kpi_coverage_of({ how: words.coverageHow }),
		remaining: () => words.remaining,
		never_screened: m.kpi_never,
		rescreen_due: () => m.kpi_rescreen_due({ days: String(staleDays) }),
		open_leads: m.kpi_open_leads,
		overdue_leads: m.overview_overdue_leads,
		volunteers_on_duty: m.kpi_on_duty,
		understaffed_checkpoints: m.kpi_understaffed
	};
	return {
		kpi: (id) => kpis[id](),
		level: (l) => LEVELS[l](),
		titles: {
			kpis: m.briefing_table_kpis(),
			children: m.briefing_table_children(),
			lagging: m.briefing_table_lagging(),
			leads: m.briefing_table_leads(),
			deployment: m.briefing_table_deployment(),
			deployment_levels: m.briefing_table_deployment_levels()
		},
		indicator: m.briefing_indicator(),
		today: m.briefing_today(),
		yesterday: m.briefing_yesterday(),
		change: m.briefing_change(),
		unit: m.table_unit(),
		parent: m.overview_parent(),
		rank: m.overview_rank(),
		households: m.kpi_households(),
		screened: m.kpi_screened(),
		coverage: m.kpi_coverage(),
		overdueLeads: m.overview_overdue_leads(),
		understaffed: m.overview_understaffed(),
		count: m.briefing_count(),
		platform: m.org_platform(),
		volunteers: m.org_volunteers(),
		hours: m.org_hours(),
		leads: {
			opened: m.briefing_leads_opened(),
			verifying: m.briefing_leads_verifying(),
			assigned: m.briefing_leads_assigned(),
			handled: m.briefing_leads_handled(),
			closed: m.briefing_leads_closed(),
			dismissed: m.briefing_leads_dismissed()
		},
		deployment: {
			shifts: m.briefing_deploy_shifts(),
			volunteers: m.briefing_deploy_volunteers(),
			hours: m.briefing_deploy_hours(),
			organisations: m.briefing_deploy_organisations(),
			no_shows: m.briefing_deploy_no_shows()
		}
	};
}
