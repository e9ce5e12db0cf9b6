import type { HandleClientError } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';

/**
 * An error in the browser that the app did not word itself reaches the error page in the user's language,
 * like the server's (hooks.server.ts): the framework's own message is English ("Internal Error").
 */
export const handleError: HandleClientError = ({ error, status }) => {
	if (status >= 500) console.error(error);
	return {
		message:
			status === 404
				? m.error_page_not_found()
				: status < 500
					? m.error_page_bad_request()
					: m.error_internal()
	};
};
