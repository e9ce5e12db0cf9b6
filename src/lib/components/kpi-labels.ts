/**
 * The coverage KPIs' names in the user's language. What "screened" counts depends on the view: households
 * reached in the current round, or reached within the last N days when coverage expires. The map's panel, the
 * overview and the daily briefing all name these numbers from here, so one number has one name everywhere and
 * the coverage says what it divides.
 */
import { m } from '$lib/paraglide/messages';

export interface CoverageWords {
	households: string;
	/** reached in the round, or within the window */
	screened: string;
	/** households − screened */
	remaining: string;
	/** how the coverage is computed, in the same words: "本轮已摸排 ÷ 总户数" */
	coverageHow: string;
}

/** `validDays`: null for coverage by round, else the window in days. */
export function coverageWords(validDays: number | null): CoverageWords {
	const days = validDays === null ? null : String(validDays);
	const households = m.kpi_total_households();
	const screened = days ? m.kpi_screened_within({ days }) : m.kpi_screened_round();
	return {
		households,
		screened,
		remaining: days ? m.kpi_remaining_within({ days }) : m.kpi_remaining_round(),
		coverageHow: `${screened} ÷ ${households}`
	};
}

/** "较前一日 +3": what a change beside a KPI is. */
export const sinceYesterday = (change: string): string => m.leader_since_yesterday({ change });
