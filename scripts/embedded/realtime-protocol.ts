/**
 * The Phoenix channel protocol as `@supabase/realtime-js` speaks it to Supabase Realtime, and the words hosted
 * Realtime answers with: pure functions (no sockets, no database), used by realtime.ts and unit-tested.
 *
 * Two serializers, chosen by the `vsn` query parameter of the WebSocket URL:
 * - 1.0.0: every frame is a JSON object { join_ref, ref, topic, event, payload };
 * - 2.0.0 (realtime-js's default): text frames are JSON arrays [join_ref, ref, topic, event, payload]; a
 *   client's broadcast arrives as a binary "user broadcast push" (kind 3) and a broadcast to a client leaves as
 *   a binary "user broadcast" (kind 4), as hosted Realtime's V2 serializer frames them.
 */

export type Vsn = '1.0.0' | '2.0.0';

export interface PhxMessage {
	join_ref: string | null;
	ref: string | null;
	topic: string;
	event: string;
	payload: unknown;
}

/** A broadcast to clients: its event and JSON payload (or raw bytes), and optional metadata (e.g. { id }). */
export interface UserBroadcast {
	topic: string;
	event: string;
	payload: unknown;
	/** Set instead of `payload` for a binary payload. */
	binary?: Uint8Array;
	meta?: Record<string, unknown>;
}

const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;
const ENCODING_BINARY = 0;
const ENCODING_JSON = 1;

export class ProtocolError extends Error {}

/** The vsn a connection asked for (Phoenix's default is 1.0.0), or null when it is one we do not speak. */
export function parseVsn(raw: string | null): Vsn | null {
	if (raw === null || raw === '' || raw === '1.0.0') return '1.0.0';
	if (raw === '2.0.0') return '2.0.0';
	return null;
}

const asRef = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Decodes one frame from a client. Throws ProtocolError for anything that is not a message. */
export function decodeFrame(vsn: Vsn, data: Buffer | string, isBinary: boolean): PhxMessage {
	if (isBinary) {
		if (vsn !== '2.0.0') throw new ProtocolError('binary frames need vsn 2.0.0');
		return decodeUserBroadcastPush(typeof data === 'string' ? Buffer.from(data) : data);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
	} catch {
		throw new ProtocolError('frame is not JSON');
	}
	if (vsn === '2.0.0') {
		if (
			!Array.isArray(parsed) ||
			parsed.length < 5 ||
			typeof parsed[2] !== 'string' ||
			typeof parsed[3] !== 'string'
		)
			throw new ProtocolError('expected V2 array');
		return {
			join_ref: asRef(parsed[0]),
			ref: asRef(parsed[1]),
			topic: parsed[2],
			event: parsed[3],
			payload: parsed[4]
		};
	}
	const o = parsed as Record<string, unknown> | null;
	if (!o || typeof o !== 'object' || typeof o.topic !== 'string' || typeof o.event !== 'string')
		throw new ProtocolError('expected a message object');
	return {
		join_ref: asRef(o.join_ref),
		ref: asRef(o.ref),
		topic: o.topic,
		event: o.event,
		payload: o.payload
	};
}

/**
 * kind 3: [kind, join_ref size, ref size, topic size, user event size, metadata size, encoding] then the
 * strings, then the user payload. Decoded as Phoenix would: event "broadcast" whose payload is
 * { type: 'broadcast', event, payload, ...metadata }.
 */
function decodeUserBroadcastPush(buf: Buffer): PhxMessage {
	if (buf.length < 7 || buf[0] !== KIND_USER_BROADCAST_PUSH) throw new ProtocolError('unknown binary frame');
	const [joinRefSize, refSize, topicSize, eventSize, metaSize, encoding] = buf.subarray(1, 7);
	let offset = 7;
	const take = (n: number) => {
		if (offset + n > buf.length) throw new ProtocolError('truncated binary frame');
		const s = buf.subarray(offset, offset + n).toString('utf8');
		offset += n;
		return s;
	};
	const joinRef = take(joinRefSize);
	const ref = take(refSize);
	const topic = take(topicSize);
	const event = take(eventSize);
	const metaText = take(metaSize);
	const rest = buf.subarray(offset);
	let meta: Record<string, unknown> = {};
	let payload: unknown;
	try {
		if (metaText) meta = JSON.parse(metaText);
		payload = encoding === ENCODING_JSON ? JSON.parse(rest.toString('utf8') || 'null') : undefined;
	} catch {
		throw new ProtocolError('bad JSON in binary frame');
	}
	const body: Record<string, unknown> = { ...meta, type: 'broadcast', event };
	if (encoding === ENCODING_BINARY) body.binary = new Uint8Array(rest);
	else body.payload = payload;
	return { join_ref: joinRef || null, ref: ref || null, topic, event: 'broadcast', payload: body };
}

/** Encodes a message to a client (a reply, a push, a close ...). */
export function encodeMessage(vsn: Vsn, m: PhxMessage): string {
	if (vsn === '2.0.0') return JSON.stringify([m.join_ref, m.ref, m.topic, m.event, m.payload]);
	return JSON.stringify({
		topic: m.topic,
		event: m.event,
		payload: m.payload,
		ref: m.ref,
		join_ref: m.join_ref
	});
}

export function encodeReply(
	vsn: Vsn,
	joinRef: string | null,
	ref: string | null,
	topic: string,
	status: 'ok' | 'error',
	response: unknown
): string {
	return encodeMessage(vsn, {
		join_ref: joinRef,
		ref,
		topic,
		event: 'phx_reply',
		payload: { status, response }
	});
}

/**
 * A broadcast to a client: for vsn 2.0.0 the binary kind 4 frame (topic, user event, metadata JSON, encoding,
 * payload), for 1.0.0 the JSON message { event: 'broadcast', payload: { type, event, payload, meta } }.
 */
export function encodeBroadcast(vsn: Vsn, b: UserBroadcast): Buffer | string {
	if (vsn === '1.0.0') {
		const payload: Record<string, unknown> = { type: 'broadcast', event: b.event, payload: b.payload };
		if (b.meta) payload.meta = b.meta;
		return encodeMessage(vsn, { join_ref: null, ref: null, topic: b.topic, event: 'broadcast', payload });
	}
	const topic = Buffer.from(b.topic, 'utf8');
	const event = Buffer.from(b.event, 'utf8');
	const meta = b.meta ? Buffer.from(JSON.stringify(b.meta), 'utf8') : Buffer.alloc(0);
	if (topic.length > 255 || event.length > 255 || meta.length > 255)
		throw new ProtocolError('topic, event and metadata must each be at most 255 bytes');
	const body = b.binary ? Buffer.from(b.binary) : Buffer.from(JSON.stringify(b.payload ?? {}), 'utf8');
	const header = Buffer.from([
		KIND_USER_BROADCAST,
		topic.length,
		event.length,
		meta.length,
		b.binary ? ENCODING_BINARY : ENCODING_JSON
	]);
	return Buffer.concat([header, topic, event, meta, body]);
}

// ---------------------------------------------------------------------------------------------------------
// Join payloads
// ---------------------------------------------------------------------------------------------------------

export interface JoinConfig {
	private: boolean;
	ackBroadcast: boolean;
	selfBroadcast: boolean;
	presenceEnabled: boolean;
	/** postgres_changes bindings asked for (the embedded stack offers none). */
	postgresChanges: number;
	/** The token the join carries (access_token, else the legacy user_token), if any. */
	accessToken: string | null;
}

const flag = (v: unknown): boolean => v === true || v === 'true';

export function parseJoin(payload: unknown): JoinConfig {
	const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
	const config = (p.config && typeof p.config === 'object' ? p.config : {}) as Record<string, unknown>;
	const broadcast = (
		config.broadcast && typeof config.broadcast === 'object' ? config.broadcast : {}
	) as Record<string, unknown>;
	const presence = (config.presence && typeof config.presence === 'object' ? config.presence : {}) as Record<
		string,
		unknown
	>;
	const token =
		typeof p.access_token === 'string'
			? p.access_token
			: typeof p.user_token === 'string'
				? p.user_token
				: null;
	return {
		private: flag(config.private),
		ackBroadcast: flag(broadcast.ack),
		selfBroadcast: flag(broadcast.self),
		presenceEnabled: flag(presence.enabled),
		postgresChanges: Array.isArray(config.postgres_changes)
			? config.postgres_changes.filter(Boolean).length
			: 0,
		accessToken: token
	};
}

// ---------------------------------------------------------------------------------------------------------
// Hosted Realtime's words (lib/realtime_web/channels/realtime_channel.ex): a refused join answers
// { reason: "<Code>: <message>" }; a channel shut down later gets a `system` message with the bare message.
// ---------------------------------------------------------------------------------------------------------

export type TokenProblem =
	| { kind: 'malformed' }
	| { kind: 'signature' }
	| { kind: 'signer' }
	| { kind: 'expired'; secondsAgo: number }
	| { kind: 'missing_claims' };

/** The reason a join is refused for a token problem. */
export function joinTokenReason(p: TokenProblem): string {
	switch (p.kind) {
		case 'malformed':
			return 'MalformedJWT: The token provided is not a valid JWT';
		case 'signature':
			return 'JwtSignatureError: Failed to validate JWT signature';
		case 'signer':
			return 'JwtSignerError: Failed to generate JWT signer, check your JWT secret or JWKS configuration';
		case 'expired':
			return `InvalidJWTToken: Token has expired ${p.secondsAgo} seconds ago`;
		case 'missing_claims':
			return 'InvalidJWTToken: Fields `role` and `exp` are required in JWT';
	}
}

/** The `system` message that ends an open channel whose token (refreshed, or reaching its expiry) fails. */
export function shutdownTokenMessage(p: TokenProblem): string {
	switch (p.kind) {
		case 'malformed':
			return 'The token provided is not a valid JWT';
		case 'signature':
			return ':signature_error';
		case 'signer':
			return 'Failed to generate JWT signer, check your JWT secret or JWKS configuration';
		case 'expired':
			return `Token has expired ${p.secondsAgo} seconds ago`;
		case 'missing_claims':
			return 'Fields `role` and `exp` are required in JWT';
	}
}

export const unauthorizedReason = (subTopic: string) =>
	`Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}`;
export const unauthorizedMessage = (subTopic: string) =>
	`You do not have permissions to read from this Channel topic: ${subTopic}`;
export const TOPIC_REQUIRED_REASON = 'TopicNameRequired: You must provide a topic name';
export const UNMATCHED_TOPIC_REASON = 'unmatched topic';
export const POSTGRES_CHANGES_REASON =
	'PostgresChangesNotOffered: the embedded stack offers Broadcast (private channels fed by realtime.send), not Postgres Changes';
export const PRESENCE_REASON = 'PresenceNotOffered: the embedded stack offers Broadcast, not Presence';

/** The `system` message hosted Realtime pushes before it closes a channel. */
export function systemMessage(subTopic: string, message: string, status: 'ok' | 'error' = 'error') {
	return { extension: 'system', status, message, channel: subTopic };
}

/** Seconds from `exp` (JWT seconds) to `nowMs`, as hosted counts "expired N seconds ago". */
export function secondsSinceExpiry(exp: number, nowMs: number): number {
	return Math.floor(nowMs / 1000) - exp;
}
