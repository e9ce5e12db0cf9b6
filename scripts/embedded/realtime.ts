/**
 * The Realtime API of the embedded stack: `/realtime/v1/websocket` on the gateway, speaking the Phoenix channel
 * protocol as `@supabase/realtime-js` does with hosted Supabase Realtime (see realtime-protocol.ts), for
 * Broadcast: private channels authorized by RLS on `realtime.messages` and fed from the database by
 * `realtime.send` / `realtime.broadcast_changes`, and client-to-client broadcast.
 *
 * - connect: `?apikey=` must be a project key (the gateway checks it, as Kong does), `vsn` 1.0.0 or 2.0.0;
 * - heartbeat on topic `phoenix`: answered ok;
 * - phx_join `realtime:<topic>` with { config: { broadcast: { ack, self }, presence, private }, access_token }:
 *   the token (else the apikey) is verified (HS256 with the project's secret, `role` and `exp` required); a
 *   private channel is joined only if, with the caller's role and claims set and realtime.topic() = the topic,
 *   the caller can SELECT a probe row of realtime.messages (RLS), as hosted Realtime checks it. Refusals answer
 *   with hosted's reasons ("Unauthorized: You do not have permissions to read from this Channel topic: …");
 * - access_token: the channel's token is replaced and the channel re-authorized; an invalid token or a lost
 *   permission ends the channel (a `system` message, then phx_close), and so does the token's expiry;
 * - broadcast from a client: relayed to the topic's other members (and to the sender with `self`), answered ok
 *   with `ack`; on a private channel only if RLS lets the caller INSERT into realtime.messages for the topic;
 * - phx_leave: answered ok, the channel ends.
 * - from the database: realtime.messages rows are announced by bootstrap.sql's trigger through NOTIFY
 *   `realtime_messages` (after commit); each goes to the PRIVATE channels joined to its topic. Public channels
 *   never receive anything from the database (only client broadcast).
 * Not offered: Presence, Postgres Changes (joins asking for them are refused, saying so), replay, the REST
 * broadcast endpoint.
 *
 * PGlite is one session: authorization runs in a short transaction of its own (SET LOCAL via set_config(...,
 * true), always rolled back) on one connection through the socket, queued like every other client.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { AuthDb } from './auth';
import {
	POSTGRES_CHANGES_REASON,
	PRESENCE_REASON,
	ProtocolError,
	TOPIC_REQUIRED_REASON,
	UNMATCHED_TOPIC_REASON,
	decodeFrame,
	encodeBroadcast,
	encodeMessage,
	encodeReply,
	joinTokenReason,
	parseJoin,
	parseVsn,
	secondsSinceExpiry,
	shutdownTokenMessage,
	systemMessage,
	unauthorizedMessage,
	unauthorizedReason,
	type PhxMessage,
	type TokenProblem,
	type Vsn
} from './realtime-protocol';

/** The NOTIFY channel bootstrap.sql's trigger on realtime.messages announces rows on. */
export const REALTIME_NOTIFY_CHANNEL = 'realtime_messages';

/** Roles a token may name (what PostgREST's authenticator may become). */
const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);
const HS_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
/** Hosted Realtime drops realtime.messages partitions after about three days. */
const KEEP_MESSAGES = '3 days';
const MAX_FRAME = 1024 * 1024;

export interface RealtimeOptions {
	jwtSecret: string;
	/** The apikeys: a connection without a user token acts with the apikey's claims. */
	db: AuthDb;
	log?: (line: string) => void;
}

export interface RealtimeServer {
	/** Takes over an HTTP upgrade of /realtime/v1/websocket (the gateway has checked the apikey). */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, apiKey: string): void;
	/** A NOTIFY on REALTIME_NOTIFY_CHANNEL (a realtime.messages row, or its id). */
	notify(payload: string): void;
	/** Open connections (for tests and the benchmark). */
	connections(): number;
	close(): Promise<void>;
}

interface Claims extends JWTPayload {
	role?: string;
	sub?: string;
}

type TokenCheck = { ok: true; claims: Claims } | { ok: false; problem: TokenProblem };

interface Channel {
	topic: string; // realtime:<sub>
	subTopic: string;
	joinRef: string | null;
	private: boolean;
	ack: boolean;
	self: boolean;
	token: string;
	claims: Claims;
	canRead: boolean;
	/** Cached on the first broadcast from this member (private channels). */
	canWrite: boolean | null;
	expiry?: NodeJS.Timeout;
}

interface Conn {
	ws: WebSocket;
	vsn: Vsn;
	apiKey: string;
	channels: Map<string, Channel>;
}

interface StoredMessage {
	id: string;
	topic: string;
	event: string;
	private: boolean;
	payload: unknown;
}

export function createRealtime(options: RealtimeOptions): RealtimeServer {
	const key = new TextEncoder().encode(options.jwtSecret);
	const log = options.log ?? ((line: string) => console.log(`[realtime] ${line}`));
	const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
	const conns = new Set<Conn>();
	let closed = false;

	// ------------------------------------------------------------------ tokens
	async function checkToken(token: string): Promise<TokenCheck> {
		const clean = token.replace(/\s/g, '');
		let header: ReturnType<typeof decodeProtectedHeader>;
		try {
			decodeJwt(clean);
			header = decodeProtectedHeader(clean);
		} catch {
			return { ok: false, problem: { kind: 'malformed' } };
		}
		if (!header.alg || !HS_ALGORITHMS.includes(header.alg)) return { ok: false, problem: { kind: 'signer' } };
		try {
			const { payload } = await jwtVerify(clean, key, { algorithms: HS_ALGORITHMS });
			if (typeof payload.exp !== 'number' || typeof (payload as Claims).role !== 'string')
				return { ok: false, problem: { kind: 'missing_claims' } };
			return { ok: true, claims: payload as Claims };
		} catch (err) {
			if (err instanceof errors.JWTExpired) {
				const exp = Number((err.payload as JWTPayload).exp);
				return { ok: false, problem: { kind: 'expired', secondsAgo: secondsSinceExpiry(exp, Date.now()) } };
			}
			return { ok: false, problem: { kind: 'signature' } };
		}
	}

	// ------------------------------------------------------------------ authorization (RLS on realtime.messages)
	/**
	 * Whether `claims` may read (and, with `write`, send on) `subTopic`: hosted Realtime's probe. Reading: a
	 * probe row is inserted as the superuser, then selected as the caller. Writing: inserted as the caller.
	 * Always rolled back. A role the API does not know, or a policy that fails, reads as "not allowed".
	 */
	async function authorize(subTopic: string, claims: Claims, write = false): Promise<boolean> {
		const role = String(claims.role);
		if (!API_ROLES.has(role)) return false;
		return options.db.run(async (q) => {
			await q('begin');
			try {
				const probe = randomUUID();
				if (!write)
					await q(`insert into realtime.messages (id, topic, extension) values ($1, $2, 'broadcast')`, [
						probe,
						subTopic
					]);
				await q(
					`select set_config('role', $1, true), set_config('realtime.topic', $2, true),
						set_config('request.jwt.claims', $3, true), set_config('request.jwt.claim.sub', $4, true),
						set_config('request.jwt.claim.role', $1, true), set_config('request.headers', '{}', true)`,
					[role, subTopic, JSON.stringify(claims), claims.sub ?? '']
				);
				if (write) {
					await q(`insert into realtime.messages (id, topic, extension) values ($1, $2, 'broadcast')`, [
						probe,
						subTopic
					]);
					return true;
				}
				const rows = await q<{ id: string }>('select id from realtime.messages where id = $1', [probe]);
				return rows.length === 1;
			} catch {
				return false;
			} finally {
				await q('rollback').catch(() => {});
			}
		});
	}

	// ------------------------------------------------------------------ sending
	function send(conn: Conn, data: string | Buffer): void {
		if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(data);
	}
	const reply = (
		conn: Conn,
		m: Pick<PhxMessage, 'join_ref' | 'ref' | 'topic'>,
		status: 'ok' | 'error',
		response: unknown
	) => send(conn, encodeReply(conn.vsn, m.join_ref, m.ref, m.topic, status, response));
	const push = (conn: Conn, ch: Channel, event: string, payload: unknown) =>
		send(conn, encodeMessage(conn.vsn, { join_ref: ch.joinRef, ref: null, topic: ch.topic, event, payload }));

	function dropChannel(ch: Channel, conn: Conn): void {
		clearTimeout(ch.expiry);
		if (conn.channels.get(ch.topic) === ch) conn.channels.delete(ch.topic);
	}

	/** Ends a channel as hosted's shutdown_response does: a `system` error message, then phx_close. */
	function shutdown(conn: Conn, ch: Channel, message: string): void {
		push(conn, ch, 'system', systemMessage(ch.subTopic, message));
		send(
			conn,
			encodeMessage(conn.vsn, {
				join_ref: ch.joinRef,
				ref: ch.joinRef,
				topic: ch.topic,
				event: 'phx_close',
				payload: {}
			})
		);
		dropChannel(ch, conn);
	}

	/** Ends the channel when its token expires (hosted confirms the token at its expiry). */
	function armExpiry(conn: Conn, ch: Channel): void {
		clearTimeout(ch.expiry);
		const ms = Math.max(0, Number(ch.claims.exp) * 1000 - Date.now());
		// setTimeout's limit is about 24.8 days; a token living longer is checked again then.
		ch.expiry = setTimeout(
			async () => {
				if (conn.channels.get(ch.topic) !== ch) return;
				const check = await checkToken(ch.token);
				if (!check.ok) shutdown(conn, ch, shutdownTokenMessage(check.problem));
				else armExpiry(conn, ch);
			},
			Math.min(ms + 5, 2 ** 31 - 1)
		);
	}

	// ------------------------------------------------------------------ handlers
	async function join(conn: Conn, m: PhxMessage): Promise<void> {
		const subTopic = m.topic.slice('realtime:'.length);
		if (!subTopic) return reply(conn, m, 'error', { reason: TOPIC_REQUIRED_REASON });
		const existing = conn.channels.get(m.topic);
		if (existing) {
			// Phoenix closes the earlier join of the same topic on this socket.
			send(
				conn,
				encodeMessage(conn.vsn, {
					join_ref: existing.joinRef,
					ref: existing.joinRef,
					topic: existing.topic,
					event: 'phx_close',
					payload: {}
				})
			);
			dropChannel(existing, conn);
		}
		const config = parseJoin(m.payload);
		if (config.postgresChanges > 0) return reply(conn, m, 'error', { reason: POSTGRES_CHANGES_REASON });
		if (config.presenceEnabled) return reply(conn, m, 'error', { reason: PRESENCE_REASON });
		const token =
			config.accessToken && !config.accessToken.startsWith('sb_') ? config.accessToken : conn.apiKey;
		const check = await checkToken(token);
		if (!check.ok) return reply(conn, m, 'error', { reason: joinTokenReason(check.problem) });
		const canRead = config.private ? await authorize(subTopic, check.claims) : true;
		if (!canRead) return reply(conn, m, 'error', { reason: unauthorizedReason(subTopic) });
		if (conn.ws.readyState !== conn.ws.OPEN) return;
		const ch: Channel = {
			topic: m.topic,
			subTopic,
			joinRef: m.join_ref,
			private: config.private,
			ack: config.ackBroadcast,
			self: config.selfBroadcast,
			token,
			claims: check.claims,
			canRead,
			canWrite: null
		};
		const raced = conn.channels.get(m.topic);
		if (raced) dropChannel(raced, conn);
		conn.channels.set(m.topic, ch);
		armExpiry(conn, ch);
		reply(conn, m, 'ok', { postgres_changes: [] });
	}

	async function accessToken(conn: Conn, ch: Channel, m: PhxMessage): Promise<void> {
		const token = (m.payload as { access_token?: unknown } | null)?.access_token;
		if (typeof token !== 'string' || token.startsWith('sb_') || token === ch.token) return;
		const check = await checkToken(token);
		if (conn.channels.get(ch.topic) !== ch) return;
		if (!check.ok) return shutdown(conn, ch, shutdownTokenMessage(check.problem));
		if (ch.private) {
			const canRead = await authorize(ch.subTopic, check.claims);
			if (conn.channels.get(ch.topic) !== ch) return;
			if (!canRead) return shutdown(conn, ch, unauthorizedMessage(ch.subTopic));
		}
		ch.token = token;
		ch.claims = check.claims;
		ch.canWrite = null;
		armExpiry(conn, ch);
	}

	async function clientBroadcast(conn: Conn, ch: Channel, m: PhxMessage): Promise<void> {
		const body = (m.payload ?? {}) as { event?: unknown; payload?: unknown; binary?: Uint8Array };
		if (typeof body.event !== 'string') return;
		if (ch.private) {
			if (ch.canWrite === null) ch.canWrite = await authorize(ch.subTopic, ch.claims, true);
			if (!ch.canWrite) {
				if (ch.ack)
					reply(conn, m, 'error', {
						reason: unauthorizedReason(ch.subTopic).replace('read from', 'write to')
					});
				return;
			}
		}
		for (const other of conns) {
			const target = other.channels.get(ch.topic);
			if (!target || target.private !== ch.private || (other === conn && !ch.self)) continue;
			send(
				other,
				encodeBroadcast(other.vsn, {
					topic: ch.topic,
					event: body.event,
					payload: body.payload,
					binary: other.vsn === '2.0.0' ? body.binary : undefined
				})
			);
		}
		if (ch.ack) reply(conn, m, 'ok', {});
	}

	async function onMessage(conn: Conn, m: PhxMessage): Promise<void> {
		if (m.topic === 'phoenix') {
			if (m.event === 'heartbeat') reply(conn, m, 'ok', {});
			return;
		}
		if (m.event === 'phx_join') {
			if (!m.topic.startsWith('realtime:'))
				return reply(conn, m, 'error', { reason: UNMATCHED_TOPIC_REASON });
			return join(conn, m);
		}
		const ch = conn.channels.get(m.topic);
		if (!ch || (m.join_ref !== null && ch.joinRef !== null && m.join_ref !== ch.joinRef))
			return reply(conn, m, 'error', { reason: UNMATCHED_TOPIC_REASON });
		switch (m.event) {
			case 'phx_leave':
				dropChannel(ch, conn);
				return reply(conn, m, 'ok', {});
			case 'access_token':
				return accessToken(conn, ch, m);
			case 'broadcast':
				return clientBroadcast(conn, ch, m);
			case 'presence':
				return reply(conn, m, 'error', { reason: PRESENCE_REASON });
			default:
				return; // hosted ignores unexpected events
		}
	}

	// ------------------------------------------------------------------ from the database
	function deliver(msg: StoredMessage): void {
		if (!msg.private) return; // the database feeds private channels only
		const topic = `realtime:${msg.topic}`;
		const frames = new Map<Vsn, string | Buffer>();
		for (const conn of conns) {
			const ch = conn.channels.get(topic);
			if (!ch || !ch.private || !ch.canRead) continue;
			let frame = frames.get(conn.vsn);
			if (!frame) {
				frame = encodeBroadcast(conn.vsn, {
					topic,
					event: msg.event,
					payload: msg.payload,
					meta: { id: msg.id }
				});
				frames.set(conn.vsn, frame);
			}
			send(conn, frame);
		}
	}

	async function readMessage(id: string): Promise<StoredMessage | undefined> {
		const rows = await options.db.run((q) =>
			q<StoredMessage>(
				`select id::text, topic, event, coalesce(private, false) as private, payload
				from realtime.messages where id = $1::uuid`,
				[id]
			)
		);
		return rows[0];
	}

	function notify(text: string): void {
		let msg: Partial<StoredMessage>;
		try {
			msg = JSON.parse(text);
		} catch {
			return;
		}
		if (!msg.id) return;
		if (typeof msg.topic === 'string' && typeof msg.event === 'string') deliver(msg as StoredMessage);
		else
			readMessage(msg.id)
				.then((row) => row && deliver(row))
				.catch((err) => log(`cannot read message ${msg.id}: ${(err as Error).message}`));
	}

	// ------------------------------------------------------------------ connections
	function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, apiKey: string): void {
		const url = new URL(req.url ?? '/', 'http://gateway');
		const vsn = parseVsn(url.searchParams.get('vsn'));
		if (closed || !vsn) {
			socket.end(
				`HTTP/1.1 ${closed ? 503 : 400} ${closed ? 'Service Unavailable' : 'Bad Request'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`
			);
			return;
		}
		wss.handleUpgrade(req, socket, head, (ws) => {
			const conn: Conn = { ws, vsn, apiKey, channels: new Map() };
			conns.add(conn);
			// One message at a time per connection, in order (a join's authorization awaits the database).
			let queue: Promise<void> = Promise.resolve();
			ws.on('message', (data, isBinary) => {
				let m: PhxMessage;
				try {
					m = decodeFrame(vsn, data as Buffer, isBinary);
				} catch (err) {
					if (err instanceof ProtocolError) ws.close(1003, err.message);
					return;
				}
				queue = queue
					.then(() => onMessage(conn, m))
					.catch((err) => log(`message failed: ${(err as Error).message}`));
			});
			ws.on('close', () => {
				for (const ch of conn.channels.values()) clearTimeout(ch.expiry);
				conn.channels.clear();
				conns.delete(conn);
			});
			ws.on('error', () => ws.terminate());
		});
	}

	const prune = () =>
		options.db
			.run((q) => q(`delete from realtime.messages where inserted_at < now() - interval '${KEEP_MESSAGES}'`))
			.catch((err) => log(`cannot prune realtime.messages: ${(err as Error).message}`));
	void prune();
	const pruneTimer = setInterval(prune, 3600_000);
	pruneTimer.unref();

	return {
		handleUpgrade,
		notify,
		connections: () => conns.size,
		async close() {
			closed = true;
			clearInterval(pruneTimer);
			for (const conn of conns) {
				for (const ch of conn.channels.values()) clearTimeout(ch.expiry);
				conn.ws.close(1001, 'server shutting down');
			}
			// Give the close frames a moment, then cut what is left.
			await new Promise((r) => setTimeout(r, 50));
			for (const conn of conns) conn.ws.terminate();
			conns.clear();
			await new Promise<void>((resolve) => wss.close(() => resolve()));
		}
	};
}
