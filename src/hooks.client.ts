import type { HandleClientError } from '@sveltejs/kit';
import { errorPageMessage } from '$lib/components/labels';

/**
 * An error in the browser that the app did not word itself reaches the error page in the user's language,
 * like the server's (hooks.server.ts): the framework's own message is English ("Internal Error").
 */
export const handleError: HandleClientError = ({ error, status }) => {
	if (status >= 500) console.error(error);
	return { message: errorPageMessage(status) };
};
