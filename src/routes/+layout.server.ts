import * as responses from '$lib/server/responses';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	const { locals } = event;
	const ctx = locals.membership ? await responses.context(event) : null;
	return {
		membership: locals.membership,
		email: locals.user?.email ?? null,
		// The response shown and the others the user may switch to (the header's switch, the sections' links).
		responses: ctx?.responses ?? [],
		response: ctx?.response ?? null,
		responseParam: ctx && !ctx.isDefault ? (ctx.response?.id ?? null) : null,
		today: ctx?.today ?? null
	};
};
