/**
 * The response a request shows, from the URL's `response` parameter or the user's default (see chooseResponse),
 * read once per request: the layout and the page share it through `locals`. Responses are written only through
 * the open_response / end_response RPCs.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import {
	chooseResponse,
	parseResponseParam,
	periodOf,
	todayInShanghai,
	type Response,
	type ResponsePeriod
} from '$lib/domain/response';
import { m } from '$lib/paraglide/messages';
import { check } from './db-error';

export interface ResponseContext {
	/** Every response the user may see, newest first. */
	responses: Response[];
	/** The one shown; null when the user's unit has none (an empty start). */
	response: Response | null;
	period: ResponsePeriod | null;
	today: string;
	/** Whether `response` is the one a link without the parameter opens (links then leave it out). */
	isDefault: boolean;
}

const COLUMNS = 'id, unit_code, name, started_on, ended_on, retention_days';

export async function list(event: Pick<RequestEvent, 'locals'>): Promise<Response[]> {
	const answer = await event.locals.supabase
		.from('responses')
		.select(COLUMNS)
		.order('started_on', { ascending: false })
		.order('id', { ascending: false });
	return check('responses', answer) as Response[];
}

function build(event: Pick<RequestEvent, 'locals' | 'url'>): Promise<ResponseContext> {
	return (async () => {
		const today = todayInShanghai();
		const unit = event.locals.membership?.unit_code ?? '';
		const responses = event.locals.membership ? await list(event) : [];
		const requested = parseResponseParam(event.url.searchParams.get('response'));
		if (requested === 'bad') error(400, m.error_bad_response());
		const fallback = chooseResponse(responses, unit, null);
		const response = chooseResponse(responses, unit, requested);
		if (requested !== null && !response) error(404, m.error_response_not_found());
		return {
			responses,
			response,
			period: response ? periodOf(response, today) : null,
			today,
			isDefault: response?.id === fallback?.id
		};
	})();
}

/** The response context of this request (one read, shared by the layout and the page). */
export function context(event: Pick<RequestEvent, 'locals' | 'url'>): Promise<ResponseContext> {
	event.locals.responseContext ??= build(event);
	return event.locals.responseContext;
}

/**
 * The response a page about `unit` shows, with its period; a 404 when the unit lies outside it (a link to a
 * district's response opened on another district), and a page that needs one says so when there is none.
 */
export async function forUnit(
	event: Pick<RequestEvent, 'locals' | 'url'>,
	unit: string
): Promise<{ response: Response; period: ResponsePeriod; context: ResponseContext }> {
	const ctx = await context(event);
	if (!ctx.response || !ctx.period) error(404, m.error_no_response());
	const r = ctx.response.unit_code;
	if (!(unit.startsWith(r) || r.startsWith(unit))) error(404, m.error_unit_outside_response());
	return { response: ctx.response, period: ctx.period, context: ctx };
}

/** `href` with the response named when it is not the user's default, so a link stays in the same response. */
export function withResponse(href: string, ctx: Pick<ResponseContext, 'response' | 'isDefault'>): string {
	if (!ctx.response || ctx.isDefault) return href;
	return `${href}${href.includes('?') ? '&' : '?'}response=${ctx.response.id}`;
}
