/**
 * Everything the daily briefing of a unit shows, read through the user's own session: the KPIs of the day and
 * the day before (public.unit_dashboard), the children's coverage (coverage_by_unit), the lagging units, the
 * day's leads and deployment (public.daily_briefing), and the children's boundaries for the map. The page, the
 * PDF and the Excel download all come from this one read.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { error, type RequestEvent } from '@sveltejs/kit';
import type { FeatureCollection } from 'geojson';
import { dayBefore, kpiChanges, type Briefing, type DailyActivity } from '$lib/domain/briefing';
import { coverageChoropleth } from '$lib/domain/choropleth';
import { defaultRankingLevel } from '$lib/domain/ranking';
import { parseDayIn, type ResponsePeriod } from '$lib/domain/response';
import { DEFAULT_TIME, type View } from '$lib/domain/view';
import { m } from '$lib/paraglide/messages';
import * as coverage from './coverage';
import * as dashboard from './dashboard';
import { requireLeaderView } from './leader-access';
import * as ranking from './ranking';
import * as responses from './responses';
import * as units from './units';

/** How many lagging units a briefing lists. */
export const BRIEFING_LAGGING = 10;

export interface BriefingData {
	briefing: Briefing;
	/** The children's coverage as a choropleth, and the unit's bounds for the map. */
	choropleth: FeatureCollection;
	bounds: [number, number, number, number];
}

async function activity(supabase: SupabaseClient, unit: string, date: string): Promise<DailyActivity> {
	const { data, error } = await supabase.rpc('daily_briefing', { p_unit: unit, p_as_of: date });
	if (error) throw new Error(`daily_briefing: ${error.message}`);
	return data as DailyActivity;
}

/** The unit's panel as of a day, at the panel's usual hour for "on duty", in the round current that day. */
function dayView(date: string): View {
	return { response: null, date, round: null, time: DEFAULT_TIME, layers: [], basemap: 'light', valid: null };
}

/** The briefing of `code` on `date`, a day of the response whose first day is `first`. */
export async function read(
	supabase: SupabaseClient,
	code: string,
	date: string,
	first: string
): Promise<BriefingData | null> {
	const level = defaultRankingLevel(code);
	const [areas, rows, today, yesterday, lagging, day] = await Promise.all([
		units.listWithChildren(supabase, code),
		coverage.byUnit(supabase, code, date),
		dashboard.read(supabase, code, dayView(date)),
		date > first ? dashboard.read(supabase, code, dayView(dayBefore(date))) : null,
		level ? ranking.lagging(supabase, code, { date, level, validDays: null }, BRIEFING_LAGGING) : [],
		activity(supabase, code, date)
	]);
	const unit = areas.find((a) => a.code === code);
	if (!unit) return null;
	const children = areas.filter((a) => a.code !== code);
	return {
		briefing: {
			unit: { code: unit.code, name: unit.name },
			date,
			kpis: kpiChanges(today.kpis, yesterday?.kpis ?? null),
			staleDays: today.stale_days,
			children: rows
				.filter((r) => !r.is_parent)
				.map(({ code, name, households, screened, screened_prev, coverage }) => ({
					code,
					name,
					households,
					screened,
					screened_prev,
					coverage
				})),
			lagging,
			activity: day
		},
		// A grid has no children: it shows itself.
		choropleth: coverageChoropleth(children.length > 0 ? children : [unit], rows),
		bounds: await units.mapExtent(supabase, unit, children)
	};
}

/** Writes a download of the briefing (PDF or Excel) to the audit log; refused for those who may not read it. */
export async function auditDownload(
	supabase: SupabaseClient,
	code: string,
	date: string,
	format: 'pdf' | 'xlsx'
): Promise<void> {
	const { error } = await supabase.rpc('audit_briefing_download', {
		p_unit: code,
		p_as_of: date,
		p_format: format
	});
	if (error) throw new Error(`audit_briefing_download: ${error.message}`);
}

/** The unit and day a briefing request asks for, after checking the member may read it. */
export async function parseRequest(
	event: Pick<RequestEvent, 'locals' | 'url'>,
	code: string
): Promise<{ code: string; date: string; period: ResponsePeriod; responseParam: number | null }> {
	requireLeaderView(event.locals.membership, code);
	const { response, period, context } = await responses.forUnit(event, code);
	const dateParam = event.url.searchParams.get('date');
	const date = dateParam ? parseDayIn(dateParam, period) : period.last;
	if (!date) error(400, m.error_bad_date(period));
	return { code, date, period, responseParam: context.isDefault ? null : response.id };
}
