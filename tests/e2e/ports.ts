/**
 * Where the end-to-end stack and app listen: below Linux's ephemeral port range (32768–60999), so a client
 * connection on a busy machine never holds one of them; movable by env for runs side by side.
 */
export const E2E_API_PORT = Number(process.env.E2E_API_PORT ?? 26321);
export const E2E_APP_PORT = Number(process.env.E2E_APP_PORT ?? 24173);
