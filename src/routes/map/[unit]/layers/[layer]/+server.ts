/**
 * GET /map/:unit/layers/:layer?date=&time=&round=&response= → the layer as GeoJSON, for the map's layer components.
 * The view parameters are the page's own (same parser); the database scopes and shapes the data by role.
 */
import { error, json } from '@sveltejs/kit';
import { isWithin, levelOfCode } from '$lib/domain/units';
import { isLayerId, layersAvailable, parseView } from '$lib/domain/view';
import { m } from '$lib/paraglide/messages';
import { refuseOutsideScope } from '$lib/server/access';
import { layerData } from '$lib/server/layers';
import * as responses from '$lib/server/responses';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const { params, url, locals } = event;
	const membership = locals.membership;
	if (!membership) error(403, m.login_no_membership());
	const { unit, layer } = params;
	if (levelOfCode(unit) === null || !isLayerId(layer) || layer === 'units') error(404, m.error_not_found());
	if (!isWithin(unit, membership.unit_code)) refuseOutsideScope();
	if (!layersAvailable(unit).includes(layer)) error(400, m.error_layer_level());
	const { period } = await responses.forUnit(event, unit);
	const view = parseView(url.searchParams, unit, period);
	if ('error' in view) error(400, m.error_bad_view());
	const data = await layerData(locals.supabase, layer, unit, view);
	// Never from a cache: a screening recorded a moment ago must show on the next look.
	return json(data, { headers: { 'cache-control': 'private, no-cache' } });
};
