/**
 * The API gateway: one HTTP server with Supabase's URL layout, doing what Supabase's Kong does in front of
 * PostgREST and GoTrue:
 * - every request needs the anon or service_role key in the `apikey` header (or `?apikey=`), except CORS
 *   preflights and GET /auth/v1/health; a request without Authorization gets `Bearer <apikey>`;
 * - CORS for any origin;
 * - /rest/v1/* is proxied to PostgREST (prefix stripped, bodies streamed, status and headers kept);
 * - /auth/v1/* goes to the local auth service (auth.ts), with the client's address for its sign-in throttling:
 *   the socket's, or — only on a request carrying the service_role key, i.e. from a server — the end user's
 *   address that the server forwards in `Sb-Forwarded-For` (hosted Supabase likewise honours that header only
 *   with a secret key, when IP forwarding is enabled). A browser with the public anon key cannot pick the
 *   address it is counted under;
 * - /realtime/v1/websocket (a WebSocket upgrade, apikey as `?apikey=`) goes to the Realtime server (realtime.ts);
 * - POST /_embedded/reload-schema (service_role key only; not a Supabase route) reloads PostgREST's schema cache
 *   and answers 204 once the new cache is in use. `NOTIFY pgrst, 'reload schema'` works too, as on hosted, but
 *   gives no signal when the reload is done; tests that create functions need that signal;
 * - anything else is 404, with Kong's messages.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { RELOAD_SCHEMA_PATH, type StackKeys } from './keys';
import { handleAuthRequest, type AuthConfig, type AuthDb } from './auth';
import type { RealtimeServer } from './realtime';

export interface GatewayOptions {
	keys: StackKeys;
	/** Where PostgREST listens, e.g. http://127.0.0.1:54330 */
	postgrestUrl: string;
	authDb: AuthDb;
	authConfig: AuthConfig;
	/** Largest request body accepted (bytes). */
	bodyLimit?: number;
	/** Reloads PostgREST's schema cache, resolving when done (POST /_embedded/reload-schema). */
	reloadSchema?: () => Promise<void>;
	/** Honour Sb-Forwarded-For on service_role requests (GOTRUE_SECURITY_SB_FORWARDED_FOR_ENABLED; default on). */
	trustForwardedFor?: boolean;
	/** Serves WebSocket upgrades of /realtime/v1/websocket. */
	realtime?: RealtimeServer;
}

/** The leftmost address of an Sb-Forwarded-For value, if it is an IP address (GoTrue's sbff). */
export function forwardedAddress(value: string | string[] | undefined): string | undefined {
	const first = (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
	return first && isIP(first) ? first : undefined;
}

export const REALTIME_WEBSOCKET_PATH = '/realtime/v1/websocket';

const DEFAULT_BODY_LIMIT = 2 * 1024 * 1024;

const CORS_ALLOW_HEADERS = [
	'authorization',
	'apikey',
	'content-type',
	'x-client-info',
	'prefer',
	'range',
	'accept-profile',
	'content-profile',
	'x-supabase-api-version',
	'x-upsert',
	'accept',
	'accept-encoding'
];
const CORS_EXPOSE_HEADERS = [
	'content-range',
	'content-location',
	'content-profile',
	'x-total-count',
	'preference-applied',
	'x-supabase-api-version',
	'range-unit',
	'link',
	'retry-after'
];

// Headers that describe one hop, not the message: never forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set([
	'connection',
	'keep-alive',
	'proxy-authenticate',
	'proxy-authorization',
	'te',
	'trailer',
	'transfer-encoding',
	'upgrade',
	'host'
]);

function corsHeaders(req: IncomingMessage): Record<string, string> {
	return {
		'access-control-allow-origin': req.headers.origin ?? '*',
		'access-control-allow-credentials': 'true',
		'access-control-expose-headers': CORS_EXPOSE_HEADERS.join(', '),
		vary: 'Origin'
	};
}

function sendJson(
	req: IncomingMessage,
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
): void {
	if (res.headersSent) {
		res.destroy();
		return;
	}
	const text = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, {
		...corsHeaders(req),
		...(text
			? { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }
			: {}),
		...headers
	});
	res.end(text);
}

function preflight(req: IncomingMessage, res: ServerResponse): void {
	// Echo what the browser asks for on top of Supabase's list, as Kong's cors plugin does.
	const requested = String(req.headers['access-control-request-headers'] ?? '')
		.split(',')
		.map((h) => h.trim().toLowerCase())
		.filter(Boolean);
	res.writeHead(200, {
		...corsHeaders(req),
		'access-control-allow-methods': 'GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS',
		'access-control-allow-headers': [...new Set([...CORS_ALLOW_HEADERS, ...requested])].join(', '),
		'access-control-max-age': '3600',
		'content-length': '0'
	});
	res.end();
}

class BodyTooLarge extends Error {}

/** Reads a whole (small) body, refusing more than `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limit) throw new BodyTooLarge();
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

type ApiKeyCheck = { ok: true; key: string } | { ok: false; message: string };

/** Kong's key-auth: the apikey header (or query parameter) must be one of the project's keys. */
function checkApiKey(
	headers: IncomingMessage['headers'],
	query: URLSearchParams,
	keys: StackKeys
): ApiKeyCheck {
	const raw = headers.apikey ?? query.get('apikey') ?? undefined;
	const key = Array.isArray(raw) ? raw[0] : raw;
	if (!key) return { ok: false, message: 'No API key found in request' };
	if (key !== keys.anonKey && key !== keys.serviceRoleKey) return { ok: false, message: 'Invalid API key' };
	return { ok: true, key };
}

function forwardHeaders(req: IncomingMessage, upstreamHost: string): http.OutgoingHttpHeaders {
	const out: http.OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
	}
	out.host = upstreamHost;
	out['x-forwarded-for'] = req.socket.remoteAddress ?? '';
	out['x-forwarded-proto'] = 'http';
	return out;
}

export function createGateway(options: GatewayOptions): http.Server {
	const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
	const upstream = new URL(options.postgrestUrl);
	// PostgREST runs one database connection; a few kept-alive sockets are plenty and avoid connect churn.
	const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

	function proxyToPostgrest(req: IncomingMessage, res: ServerResponse, url: URL): void {
		const declared = Number(req.headers['content-length'] ?? 0);
		if (declared > limit) return sendJson(req, res, 413, { message: 'Request size limit exceeded' });

		url.searchParams.delete('apikey'); // Kong hides the credential; PostgREST would read it as a column filter
		const path =
			(url.pathname.slice('/rest/v1'.length) || '/') + (url.searchParams.size ? `?${url.searchParams}` : '');
		const upstreamReq = http.request({
			agent,
			host: upstream.hostname,
			port: upstream.port,
			method: req.method,
			path,
			headers: forwardHeaders(req, upstream.host)
		});
		upstreamReq.on('response', (upstreamRes) => {
			const headers: http.OutgoingHttpHeaders = {};
			for (const [name, value] of Object.entries(upstreamRes.headers)) {
				if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
			}
			Object.assign(headers, corsHeaders(req)); // the gateway's CORS wins over PostgREST's, as with Kong
			res.writeHead(upstreamRes.statusCode ?? 502, headers);
			upstreamRes.pipe(res);
		});
		upstreamReq.on('error', () => {
			if (!res.headersSent)
				sendJson(req, res, 502, { message: 'An invalid response was received from the upstream server' });
			else if (!res.writableEnded) res.destroy(); // PostgREST died mid-answer: cut the answer off too
		});
		res.on('close', () => {
			if (!res.writableFinished) upstreamReq.destroy(); // the client went away
		});

		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				req.unpipe(upstreamReq);
				upstreamReq.destroy();
				sendJson(req, res, 413, { message: 'Request size limit exceeded' });
				req.resume();
			}
		});
		req.pipe(upstreamReq);
	}

	async function toAuth(req: IncomingMessage, res: ServerResponse, url: URL, apiKey?: string): Promise<void> {
		let body: string;
		try {
			body = (await readBody(req, limit)).toString('utf8');
		} catch (err) {
			if (err instanceof BodyTooLarge)
				return sendJson(req, res, 413, { message: 'Request size limit exceeded' });
			throw err;
		}
		// The auth service parses the body itself, so malformed JSON gets its error in GoTrue's shape.
		const answer = await handleAuthRequest(options.authDb, options.authConfig, {
			method: req.method ?? 'GET',
			path: url.pathname.slice('/auth/v1'.length) || '/',
			query: url.searchParams,
			headers: req.headers,
			body,
			address:
				(options.trustForwardedFor !== false && apiKey === options.keys.serviceRoleKey
					? forwardedAddress(req.headers['sb-forwarded-for'])
					: undefined) ??
				(req.socket.remoteAddress || 'unknown')
		});
		sendJson(req, res, answer.status, answer.body, answer.headers);
	}

	async function reloadSchema(req: IncomingMessage, res: ServerResponse, apiKey: string): Promise<void> {
		if (!options.reloadSchema)
			return sendJson(req, res, 404, { message: 'no Route matched with those values' });
		if (apiKey !== options.keys.serviceRoleKey)
			return sendJson(req, res, 403, { message: 'the service_role key is required' });
		try {
			await options.reloadSchema();
			return sendJson(req, res, 204, undefined);
		} catch (err) {
			return sendJson(req, res, 500, { message: (err as Error).message });
		}
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://gateway');
		if (req.method === 'OPTIONS') return preflight(req, res);

		const isRest = url.pathname === '/rest/v1' || url.pathname.startsWith('/rest/v1/');
		const isAuth = url.pathname === '/auth/v1' || url.pathname.startsWith('/auth/v1/');
		if (isAuth && req.method === 'GET' && url.pathname.replace(/\/+$/, '') === '/auth/v1/health')
			return toAuth(req, res, url); // the one route open without a key

		const check = checkApiKey(req.headers, url.searchParams, options.keys);
		if (!check.ok) return sendJson(req, res, 401, { message: check.message });
		if (!req.headers.authorization) req.headers.authorization = `Bearer ${check.key}`;

		if (isRest) return proxyToPostgrest(req, res, url);
		if (isAuth) return toAuth(req, res, url, check.key);
		if (url.pathname === RELOAD_SCHEMA_PATH && req.method === 'POST')
			return reloadSchema(req, res, check.key);
		return sendJson(req, res, 404, { message: 'no Route matched with those values' });
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((err) => {
			console.error('[gateway] unexpected error:', err);
			sendJson(req, res, 500, { message: 'An unexpected error occurred' });
		});
	});
	server.on('upgrade', (req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
		const url = new URL(req.url ?? '/', 'http://gateway');
		const refuse = (status: number, text: string, message: string) => {
			const body = JSON.stringify({ message });
			socket.end(
				`HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json; charset=utf-8\r\n` +
					`content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
			);
		};
		if (url.pathname.replace(/\/+$/, '') !== REALTIME_WEBSOCKET_PATH || !options.realtime)
			return refuse(404, 'Not Found', 'no Route matched with those values');
		const check = checkApiKey(req.headers, url.searchParams, options.keys);
		if (!check.ok) return refuse(401, 'Unauthorized', check.message);
		options.realtime.handleUpgrade(req, socket, head, check.key);
	});
	server.on('close', () => agent.destroy());
	return server;
}
